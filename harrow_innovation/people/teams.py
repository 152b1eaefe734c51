"""Teams' capacity for innovation: who may declare it, and the one service that writes it.

A team's manager (or an administrator) declares the working days the team can give to
innovation in each quarter. Bad input (days outside 0 to 65 or not in halves, a quarter that
has ended, a date that is not a quarter's start) raises ``TeamError`` and changes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from harrow_innovation.core.quarters import days_error, is_quarter_start, quarter_label, quarter_of

from .models import Team, TeamCapacity, User
from .roles import is_admin


class TeamError(Exception):
    """A capacity change was refused. The message says why, in words the manager can act on."""


def can_declare_capacity(user, team: Team) -> bool:
    """The team's manager or an administrator. One condition a line."""
    if not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    return team.manager_id == user.pk


def past_quarter(quarter: date, *, today: date | None = None) -> bool:
    return quarter < quarter_of(today or timezone.localdate())


@transaction.atomic
def team_capacity_set(*, team_id: int, by: User, days_by_quarter: dict[date, Decimal | None],
                      today: date | None = None) -> Team:
    """Declare the days a team can give in each quarter; ``None`` clears a quarter. All or nothing."""
    team = Team.objects.select_for_update().select_related("department").get(pk=team_id)
    if not can_declare_capacity(by, team):
        raise TeamError(f"Only {team.name}'s manager or an administrator can declare its capacity.")
    if not team.is_active:
        raise TeamError(f"{team.name} is no longer active.")
    for quarter, days in sorted(days_by_quarter.items()):
        if not is_quarter_start(quarter):
            raise TeamError("Quarters start on 1 January, 1 April, 1 July or 1 October.")
        if past_quarter(quarter, today=today):
            raise TeamError(f"{quarter_label(quarter)} has ended: capacity can only be declared for this quarter "
                            f"or later ones.")
        problem = days_error(days) if days is not None else ""
        if problem:
            raise TeamError(f"{quarter_label(quarter)}: {problem}.")
    for quarter, days in days_by_quarter.items():
        if days is None:
            TeamCapacity.objects.filter(team=team, quarter=quarter).delete()
        else:
            TeamCapacity.objects.update_or_create(team=team, quarter=quarter,
                                                  defaults={"days": Decimal(str(days)), "updated_by": by})
    return team
