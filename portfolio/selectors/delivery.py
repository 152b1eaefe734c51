"""Approved ideas in delivery: their latest updates, benefits realised, totals and who owes an update."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from harrow_innovation.people.models import User
from ideas.models import (
    Idea,
)
from ideas.permissions import owned_filter
from ideas.selectors import visible_ideas

from ..models import BenefitRecord, DeliveryStatus, DeliveryUpdate
from .common import (
    LONG_TEXT,
    ZERO,
    _approved_q,
    _money,
    approved_stage_ids,
    portfolio_ideas,
    stalled_after_days,
    total_cost_expression,
    update_every_days,
)


def _latest_update(field_name: str):
    return Subquery(DeliveryUpdate.objects.filter(idea=OuterRef("pk")).order_by("-at", "-pk").values(field_name)[:1])


def _realised(since: date | None = None):
    records = BenefitRecord.objects.filter(idea=OuterRef("pk"))
    if since:
        records = records.filter(period__gte=since)
    return _money(Subquery(records.values("idea").annotate(s=Sum("cash_realised")).values("s")[:1]))


def delivery_ideas(*, user: User, approved_ids: set[int], stalled_only: bool = False,
                   now: datetime | None = None) -> QuerySet[Idea]:
    """Approved ideas with their latest delivery update, realised benefits and whether delivery has stalled."""
    now = now or timezone.now()
    stale_before = now - timedelta(days=stalled_after_days())
    year_ago = (now - timedelta(days=365)).date()
    qs = (
        portfolio_ideas(user=user)
        .filter(_approved_q(approved_ids))
        .annotate(
            latest_status=_latest_update("status"),
            latest_percent=_latest_update("percent_complete"),
            latest_at=_latest_update("at"),
            realised_total=_realised(),
            realised_year=_realised(year_ago),
            expected_year=_money(F("cash_savings_per_year")),
            total_cost=total_cost_expression(),
        )
        .annotate(
            stalled=Case(
                When(stage__is_final=True, then=Value(False)),
                When(latest_status=DeliveryStatus.OFF_TRACK, then=Value(True)),
                When(latest_at__lt=stale_before, then=Value(True)),
                When(latest_at__isnull=True, stage_entered_at__lt=stale_before, then=Value(True)),
                default=Value(False),
            )
        )
    )
    if stalled_only:
        qs = qs.filter(stalled=True)
    return qs.select_related("stage", "department").defer(*LONG_TEXT).order_by("-stalled", "stage__order", "title", "pk")


def delivery_totals(*, user: User, approved_ids: set[int], now: datetime | None = None) -> dict:
    """Expected and realised figures summed over all approved ideas the user may see (three queries)."""
    now = now or timezone.now()
    approved = portfolio_ideas(user=user).filter(_approved_q(approved_ids))
    totals = approved.order_by().aggregate(
        ideas=Count("pk"),
        expected_year=Sum(_money(F("cash_savings_per_year"))),
        one_off=Sum(_money(F("one_off_cost"))),
        recurring=Sum(_money(F("recurring_cost"))),
        integration=Sum(_money(F("integration_cost"))),
    )
    year_ago = (now - timedelta(days=365)).date()
    totals |= BenefitRecord.objects.filter(idea__in=approved.values("pk")).aggregate(
        realised_total=Sum("cash_realised"), realised_year=Sum("cash_realised", filter=Q(period__gte=year_ago))
    )
    totals["stalled"] = delivery_ideas(user=user, approved_ids=approved_ids, stalled_only=True, now=now).count()
    return {k: (v if v is not None else ZERO) for k, v in totals.items()}


def idea_for_delivery(*, user: User, pk: int) -> Idea | None:
    """One idea with its delivery updates and benefit records, or None if the user may not see it."""
    idea = (
        visible_ideas(user=user)
        .select_related("stage", "department", "owner")
        .prefetch_related(
            "co_owners",
            "reviews",
            Prefetch("delivery_updates", queryset=DeliveryUpdate.objects.select_related("by")),
            Prefetch("benefit_records", queryset=BenefitRecord.objects.select_related("by")),
        )
        .filter(pk=pk)
        .first()
    )
    return idea


def ideas_owned_in_delivery(*, user: User, approved_ids: set[int]) -> QuerySet[Idea]:
    """The user's own approved ideas, for recording progress and benefits."""
    owned = owned_filter(user)
    return (
        visible_ideas(user=user)
        .filter(owned, _approved_q(approved_ids))
        .annotate(latest_status=_latest_update("status"), latest_percent=_latest_update("percent_complete"),
                  latest_at=_latest_update("at"), realised_total=_realised())
        .select_related("stage")
        .defer(*LONG_TEXT)
        .order_by("stage__is_final", "title", "pk")
    )


def delivery_updates_due_from(*, user: User, limit: int) -> list[Idea]:
    """The person's approved ideas in delivery with no update in the reporting period (two queries).

    In delivery: at an approved stage that is not final, and not reported complete.
    An update is due ``update_every_days()`` after the last one, or after the idea
    reached its stage if there is none yet; ``update_due`` says since when.
    """
    if not user.is_authenticated:
        return []
    period = timedelta(days=update_every_days())
    cutoff = timezone.now() - period
    owned = owned_filter(user)
    ideas = list(
        Idea.objects.filter(owned, _approved_q(approved_stage_ids()), stage__is_final=False)
        .annotate(latest_status=_latest_update("status"), latest_at=_latest_update("at"))
        .filter(Q(latest_at__lt=cutoff) | Q(latest_at__isnull=True, stage_entered_at__lt=cutoff))
        .filter(Q(latest_status__isnull=True) | Q(latest_status__in=[
            status for status in DeliveryStatus.values if status != DeliveryStatus.COMPLETE
        ]))
        .select_related("stage")
        .defer(*LONG_TEXT)
        .order_by(Coalesce("latest_at", "stage_entered_at"), "pk")[:limit]
    )
    for idea in ideas:
        idea.update_due = timezone.localdate((idea.latest_at or idea.stage_entered_at) + period)
    return ideas
