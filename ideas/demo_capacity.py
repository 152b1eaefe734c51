"""Demo teams, their capacity and what two demo ideas ask of them, so `make run` shows a capacity flag:
IT integration is asked for 15 days this quarter by the approved council tax chatbot and 8 more by
the falls sensors idea waiting for the Board, against 20 days declared."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from harrow_innovation.core.quarters import next_quarter, quarter_of
from harrow_innovation.people.models import Department, Team, TeamCapacity, User

from .models import Idea, ResourceAsk, ResourceAskQuarter

TEAMS = [
    # name, department, manager, days a quarter
    ("IT integration", "Resources and Finance", "reviewer@harrow.example", "20"),
    ("Adult Social Care practice", "Adult Social Care", "officer@harrow.example", "15"),
    ("Housing options", "Housing", "housing.officer@harrow.example", "10"),
]
ASKS = [
    # idea title, [(team, [days in this quarter and the next ones])]
    ("Chatbot for council tax questions", [("IT integration", ["15", "10"])]),
    ("Sensors to prevent falls for people living alone",
     [("IT integration", ["8", "4"]), ("Adult Social Care practice", ["10", "10", "5"])]),
]


def seed_demo_capacity() -> None:
    first = quarter_of(timezone.localdate())
    quarters = [first]
    for _ in range(3):
        quarters.append(next_quarter(quarters[-1]))
    teams = {}
    for name, department, manager, days in TEAMS:
        dept = Department.objects.filter(name=department).first()
        if dept is None:
            continue
        team, _ = Team.objects.get_or_create(department=dept, name=name,
                                             defaults={"manager": User.objects.filter(email=manager).first()})
        teams[name] = team
        for quarter in quarters:
            TeamCapacity.objects.get_or_create(team=team, quarter=quarter, defaults={"days": Decimal(days)})
    for title, asks in ASKS:
        idea = Idea.objects.filter(title=title).first()
        if idea is None or idea.resource_asks.filter(team__isnull=False).exists():
            continue
        if not (idea.start_date and idea.end_date and idea.start_date <= first):
            # Placed directly: the demo ideas are past the stages where owners may edit.
            Idea.objects.filter(pk=idea.pk).update(start_date=first, end_date=quarters[-1] + timedelta(days=80))
        for team_name, days in asks:
            if team_name not in teams:
                continue
            ask = ResourceAsk.objects.create(idea=idea, team=teams[team_name], note="Demo ask for staff time")
            ResourceAskQuarter.objects.bulk_create(
                ResourceAskQuarter(ask=ask, quarter=quarter, days=Decimal(value)) for quarter, value in zip(quarters, days, strict=False))
