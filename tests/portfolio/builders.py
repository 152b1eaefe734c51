"""Small known data for the portfolio's tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Sum

from tests.factories import make_idea

D = Decimal


def idea(owner, at, *, title="An idea", one_off="0", recurring="0", savings="0", systems=(), outputs=(), **fields):
    """An idea at a stage with known costs, central-system links [(system, cost)] and outputs [(text, [depts])]."""
    from ideas.models import DataOutput, Idea, IdeaCentralSystem

    submitted_at = fields.pop("submitted_at", None)
    made = make_idea(owner, at=at, title=title, one_off_cost=D(one_off), recurring_cost=D(recurring),
                     cash_savings_per_year=D(savings), **fields)
    if submitted_at:
        Idea.objects.filter(pk=made.pk).update(submitted_at=submitted_at)
        made.submitted_at = submitted_at
    for system, cost in systems:
        IdeaCentralSystem.objects.create(idea=made, system=system, integration_cost=D(cost))
    total = made.system_links.aggregate(t=Sum("integration_cost"))["t"] or D("0")
    Idea.objects.filter(pk=made.pk).update(integration_cost=total)
    made.integration_cost = total
    for text, departments in outputs:
        output = DataOutput.objects.create(idea=made, description=text)
        output.valued_by.set(departments)
    return made


def system(name: str):
    from django.utils.text import slugify

    from ideas.models import CentralSystem

    return CentralSystem.objects.create(name=name, slug=slugify(name))


def decide_series(people, outcomes):
    """Ideas at "Ready for Board" on a published past meeting, each decided through the Board's service."""
    from django.utils import timezone

    from board import services as board_services
    from tests.world_extras.board import idea_item_on, make_board, past_meeting

    meeting = past_meeting(make_board(people), people["secretary"], days_ago=3)
    for order, outcome in enumerate(outcomes, start=1):
        made = idea(people["officer"], "ready-for-board", title=f"Decided {order} ({outcome})")
        item = idea_item_on(meeting, made, order=order)
        extra = {"conditions": "Pilot first."} if outcome == "approve_with_conditions" else {}
        if outcome == "park":
            extra = {"park_until": timezone.localdate() + datetime.timedelta(days=60)}
        board_services.decision_record(item_id=item.pk, by=people["secretary"], outcome=outcome, **extra)
    return meeting
