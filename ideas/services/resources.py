"""What an idea asks of people: staff time from teams (days per quarter of its timescale) and
external partners with their cost. Each write locks the idea, checks it may be changed, and
refuses bad input with a ``WorkflowError`` that changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from harrow_innovation.core.money import format_money
from harrow_innovation.core.quarters import days_error, quarter_label, quarters_between
from harrow_innovation.people.models import Team, User

from ..models import EventKind, ExternalResource, Idea, ResourceAsk, ResourceAskQuarter
from .common import WorkflowError, _event, _lock, _require_editable

MAX_COST = Decimal("9999999999.99")


def idea_quarters(idea: Idea) -> list[date]:
    """The quarters of the idea's timescale (its start and end dates); none until both are given."""
    if not (idea.start_date and idea.end_date) or idea.end_date < idea.start_date:
        return []
    return quarters_between(idea.start_date, idea.end_date)


def _check_days(idea: Idea, days_by_quarter: dict[date, Decimal]) -> dict[date, Decimal]:
    allowed = set(idea_quarters(idea))
    if days_by_quarter and not allowed:
        raise WorkflowError("Give the idea's start and end dates (on the business case page) before asking for days.")
    for quarter, days in days_by_quarter.items():
        if quarter not in allowed:
            raise WorkflowError(f"{quarter_label(quarter)} is outside the idea's timescale "
                                f"({idea.start_date:%-d %B %Y} to {idea.end_date:%-d %B %Y}).")
        problem = days_error(days)
        if problem:
            raise WorkflowError(f"{quarter_label(quarter)}: {problem}.")
    kept = {q: Decimal(str(d)) for q, d in days_by_quarter.items() if Decimal(str(d)) > 0}
    return kept


@transaction.atomic
def resource_ask_set(*, idea_id: int, by: User, team: Team | None, note: str,
                     days_by_quarter: dict[date, Decimal], ask_id: int | None = None) -> ResourceAsk:
    """Ask a team for days in quarters of the idea's timescale (or change an ask). Zero days are left out."""
    idea = _lock(idea_id)
    _require_editable(idea, by)
    if team is not None and not team.is_active:
        raise WorkflowError(f"{team.name} no longer takes asks for time. Choose another team.")
    if team is None and days_by_quarter and any(Decimal(str(d)) > 0 for d in days_by_quarter.values()):
        raise WorkflowError("Choose the team you are asking for days.")
    days = _check_days(idea, days_by_quarter)
    if ask_id is None:
        ask = ResourceAsk.objects.create(idea=idea, team=team, note=note.strip())
    else:
        ask = ResourceAsk.objects.filter(idea=idea, pk=ask_id).first()
        if ask is None:
            raise WorkflowError("That ask for time has been removed.")
        ask.team, ask.note = team, note.strip()
        ask.save(update_fields=["team", "note"])
        ask.quarters.all().delete()
    ResourceAskQuarter.objects.bulk_create(ResourceAskQuarter(ask=ask, quarter=q, days=d) for q, d in sorted(days.items()))
    if not idea.stage.is_draft:
        what = team.name if team else "a note on internal resources"
        _event(idea, EventKind.EDITED, by, f"{by} {'changed' if ask_id else 'added'} time asked of {what}")
    return ask


@transaction.atomic
def resource_ask_remove(*, idea_id: int, by: User, ask_id: int) -> None:
    idea = _lock(idea_id)
    _require_editable(idea, by)
    deleted, _ = ResourceAsk.objects.filter(idea=idea, pk=ask_id).delete()
    if deleted and not idea.stage.is_draft:
        _event(idea, EventKind.EDITED, by, f"{by} removed an ask for staff time")


@transaction.atomic
def external_resource_add(*, idea_id: int, by: User, name: str, cost: Decimal | None, note: str) -> ExternalResource:
    """Add a partner or supplier the idea needs, with its cost (blank when not known)."""
    idea = _lock(idea_id)
    _require_editable(idea, by)
    if not name.strip():
        raise WorkflowError("Enter the partner or supplier's name.")
    if cost is not None and not (Decimal("0") <= cost <= MAX_COST):
        raise WorkflowError(f"Enter a cost from £0 to {format_money(MAX_COST)}.")
    item = ExternalResource.objects.create(idea=idea, name=name.strip(), cost=cost, note=note.strip())
    if not idea.stage.is_draft:
        _event(idea, EventKind.EDITED, by, f"{by} added partner or supplier {item.name}")
    return item


@transaction.atomic
def external_resource_remove(*, idea_id: int, by: User, item_id: int) -> None:
    idea = _lock(idea_id)
    _require_editable(idea, by)
    deleted, _ = ExternalResource.objects.filter(idea=idea, pk=item_id).delete()
    if deleted and not idea.stage.is_draft:
        _event(idea, EventKind.EDITED, by, "A partner or supplier was removed")


def asks_outside(idea: Idea) -> list[date]:
    """Quarters with days asked that the idea's (possibly just changed) dates no longer cover."""
    allowed = set(idea_quarters(idea))
    asked = set(ResourceAskQuarter.objects.filter(ask__idea=idea).values_list("quarter", flat=True))
    return sorted(asked - allowed)
