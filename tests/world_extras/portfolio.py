"""Objects for the portfolio's URLs and API.

Adds: ``portfolio_delivery`` (the officer's idea in delivery, with an update and
a benefit record), ``portfolio_meeting`` and ``portfolio_decision`` (a held
meeting with an approve decision on an approved idea of the officer's),
``portfolio_output`` (a data output of the submitted idea valued by the other
department), ``portfolio_stage`` (Ready for Board) and ``department`` objects'
slugs through ``portfolio_department``.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from tests.factories import make_idea, stage


def extend(world: dict) -> None:
    from board.models import AgendaItem, Board, Decision, Meeting, MeetingStatus
    from ideas.models import DataOutput, IdeaCentralSystem
    from portfolio.models import BenefitRecord, DeliveryStatus, DeliveryUpdate

    people = world["people"]
    officer, secretary, other = people["officer"], people["secretary"], people["officer_other"]
    delivery = make_idea(officer, at="in-delivery", title="Online repairs, in delivery")
    IdeaCentralSystem.objects.create(idea=delivery, system=world["system"], integration_cost=Decimal("5000"))
    DeliveryUpdate.objects.create(idea=delivery, status=DeliveryStatus.ON_TRACK, percent_complete=40,
                                  narrative="Forms live in two teams.", by=officer)
    BenefitRecord.objects.create(idea=delivery, period=timezone.localdate() - timedelta(days=10),
                                 cash_realised=Decimal("1200"), by=officer)
    approved = make_idea(officer, at="approved", title="Approved idea with a decision")
    board, _ = Board.objects.get_or_create(name="Innovation Board")
    meeting = Meeting.objects.create(board=board, starts_at=timezone.now() - timedelta(days=5),
                                     status=MeetingStatus.HELD, created_by=secretary)
    item = AgendaItem.objects.create(meeting=meeting, order=1, kind="idea", idea=approved,
                                     stage_when_added=stage("ready-for-board"), title=approved.title)
    decision = Decision.objects.create(item=item, outcome="approve", recorded_by=secretary)
    output = DataOutput.objects.create(idea=world["submitted"], description="Repair requests by street")
    output.valued_by.set([other.department])
    world.update({
        "portfolio_delivery": delivery,
        "portfolio_meeting": meeting,
        "portfolio_decision": decision,
        "portfolio_output": output,
        "portfolio_stage": stage("ready-for-board"),
        "portfolio_department": other.department,
    })
