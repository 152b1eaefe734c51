"""Every write the portfolio makes: owners' delivery updates and realised benefits.

Each locks the idea row, checks the idea is still approved and the person is
still one of its owners, writes the record and a line in the idea's timeline.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from harrow_innovation.core.money import format_money
from harrow_innovation.people.models import User
from ideas.models import MAX_MONEY, EventKind, Idea
from ideas.services import lock_idea, timeline_add

from . import permissions
from .models import BenefitRecord, DeliveryStatus, DeliveryUpdate, StageMedianSnapshot
from .selectors import approved_stage_ids


class PortfolioError(Exception):
    """A delivery or benefit record that cannot be made now. The message is for the user."""


def _lock(idea_id: int) -> Idea:
    try:
        return lock_idea(idea_id=idea_id)
    except Idea.DoesNotExist:
        raise PortfolioError("This idea no longer exists.") from None


@transaction.atomic
def delivery_update_record(
    *, idea_id: int, by: User, status: str, percent_complete: int, narrative: str
) -> DeliveryUpdate:
    """Record an owner's progress report on an approved idea being delivered."""
    idea = _lock(idea_id)
    if not permissions.can_record_delivery(by, idea, approved_stage_ids=approved_stage_ids()):
        raise PortfolioError(
            f"You cannot report progress on this idea now: it is at “{idea.stage.name}”. Nothing was saved."
        )
    if status not in DeliveryStatus.values:
        raise PortfolioError("Choose a delivery status from the list.")
    if not 0 <= percent_complete <= 100:
        raise PortfolioError("Percent complete must be between 0 and 100.")
    if status == DeliveryStatus.COMPLETE and percent_complete != 100:
        raise PortfolioError("Delivery marked complete must be 100% complete.")
    narrative = narrative.strip()
    if not narrative:
        raise PortfolioError("Describe progress since the last update.")
    update = DeliveryUpdate.objects.create(
        idea=idea, status=status, percent_complete=percent_complete, narrative=narrative, by=by, at=timezone.now()
    )
    timeline_add(
        idea=idea, kind=EventKind.DELIVERY, actor=by,
        summary=f"{by} reported delivery {update.get_status_display().lower()}, {percent_complete}% complete",
        detail=narrative,
    )
    return update


@transaction.atomic
def benefit_record_add(
    *, idea_id: int, by: User, period: date, cash_realised: Decimal, other_benefits: str = ""
) -> BenefitRecord:
    """Record benefits an approved idea realised in a period."""
    idea = _lock(idea_id)
    if not permissions.can_record_benefit(by, idea, approved_stage_ids=approved_stage_ids()):
        raise PortfolioError(
            f"You cannot record benefits for this idea: it is at “{idea.stage.name}”. Nothing was saved."
        )
    if period > timezone.localdate():
        raise PortfolioError("The period must be today or in the past: record benefits once they are realised.")
    if cash_realised < 0 or cash_realised > MAX_MONEY:
        raise PortfolioError("Cash realised must be between £0 and £100,000,000.")
    other_benefits = other_benefits.strip()
    if not cash_realised and not other_benefits:
        raise PortfolioError("Enter the cash realised or describe the other benefits.")
    record = BenefitRecord.objects.create(
        idea=idea, period=period, cash_realised=cash_realised, other_benefits=other_benefits, by=by
    )
    timeline_add(
        idea=idea, kind=EventKind.DELIVERY, actor=by,
        summary=f"{by} recorded benefits realised in {period:%B %Y}: {format_money(cash_realised)}",
        detail=other_benefits,
    )
    return record


MEDIANS_FORGOTTEN_AFTER_DAYS = 7


def stage_medians_refresh(*, now: datetime | None = None) -> int:
    """Compute again every kept median snapshot a page read in the last week; forget older ones.

    Also computes today's default dashboard period (every department) for the two
    shared classes of viewer, so the first visit of the day finds it ready. Runs
    every hour (beat job ``portfolio.refresh_stage_medians``); running it twice is
    harmless (each snapshot is replaced, keyed by period, department and viewer).
    Returns how many snapshots were computed. On SQLite there are none: the
    dashboards compute medians on each request.
    """
    from . import totals
    from .selectors import DashboardFilters

    if not totals.available():
        return 0
    now = now or timezone.now()
    today = timezone.localdate(now)
    StageMedianSnapshot.objects.filter(used_on__lt=today - timedelta(days=MEDIANS_FORGOTTEN_AFTER_DAYS)).delete()
    default = DashboardFilters.default(today)
    wanted = {(default.date_from, default.date_to, 0, "all"), (default.date_from, default.date_to, 0, "open")}
    wanted |= set(StageMedianSnapshot.objects.values_list("date_from", "date_to", "department_id", "viewer"))
    shared = {"all": totals.Viewer(user_id=0, reads_all=True, sees_any=True),
              "open": totals.Viewer(user_id=0, reads_all=False, sees_any=True)}
    users = User.objects.in_bulk([int(v[1:]) for *_, v in wanted if v.startswith("u") and v[1:].isdigit()])
    computed = 0
    for date_from, date_to, department_id, viewer in sorted(wanted):
        if viewer in shared:
            who = shared[viewer]
        elif viewer[1:].isdigit() and int(viewer[1:]) in users:
            who = totals.Viewer.of(users[int(viewer[1:])])  # computed under the key their links give them now
        else:
            continue
        filters = DashboardFilters(date_from=date_from, date_to=date_to, department_id=department_id or None)
        start, end = filters.bounds()
        totals.median_days_kept(who, date_from=date_from, date_to=date_to, start=start, end=end,
                                department_id=department_id or None, now=now, today=today, fresh_after=now)
        computed += 1
    return computed
