"""Demo delivery updates and realised benefits for the demo's approved ideas (for `seed_demo`). Idempotent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ideas.models import Idea

from .models import BenefitRecord, DeliveryStatus, DeliveryUpdate

# title, [(days ago, status, percent, narrative)], [(days ago, cash, other)]
DELIVERY = [
    ("Route optimisation for waste collection",
     [(100, DeliveryStatus.ON_TRACK, 30, "Rounds for the north of the borough re-planned and trialled."),
      (40, DeliveryStatus.AT_RISK, 55, "Vehicle tracking data arrives late; the supplier is fixing the feed.")],
     [(60, Decimal("18000"), "Two rounds removed; fuel use down 9%."),
      (30, Decimal("21000"), "")]),
    ("Automated invoice matching",
     [(200, DeliveryStatus.ON_TRACK, 60, "Bot live for the three largest suppliers."),
      (120, DeliveryStatus.COMPLETE, 100, "All suppliers covered; exceptions handled by the team.")],
     [(90, Decimal("6500"), "Invoices paid on time rose from 81% to 96%."),
      (30, Decimal("7200"), "")]),
    ("Chatbot for council tax questions",
     [(80, DeliveryStatus.OFF_TRACK, 15, "Procurement delayed: the first supplier withdrew.")],
     []),
]


def seed_demo_delivery() -> None:
    now = timezone.now()
    for title, updates, benefits in DELIVERY:
        idea = Idea.objects.filter(title=title).select_related("owner").first()
        if idea is None or idea.delivery_updates.exists() or idea.benefit_records.exists():
            continue
        by = idea.owner
        for days_ago, status, percent, narrative in updates:
            DeliveryUpdate.objects.create(idea=idea, status=status, percent_complete=percent, narrative=narrative,
                                          by=by, at=now - timedelta(days=days_ago))
        for days_ago, cash, other in benefits:
            BenefitRecord.objects.create(idea=idea, period=(now - timedelta(days=days_ago)).date(),
                                         cash_realised=cash, other_benefits=other, by=by)
