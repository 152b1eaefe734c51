"""Figures for the dashboards: ideas per stage and department, decisions, cost and benefit, time in stage."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from board.models import Decision
from harrow_innovation.people.models import User
from ideas.models import (
    Idea,
    Stage,
    StageChange,
)

from .. import totals
from .common import ZERO, _approved_q, _money, portfolio_ideas


@dataclass
class DashboardFilters:
    date_from: date
    date_to: date
    department_id: int | None = None

    @classmethod
    def default(cls, today: date | None = None) -> DashboardFilters:
        today = today or timezone.localdate()
        return cls(date_from=today.replace(day=1) - timedelta(days=334), date_to=today)

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.combine(self.date_from, time.min), tz)
        end = timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min), tz)
        return start, end


def _submitted_in(user: User, filters: DashboardFilters) -> QuerySet[Idea]:
    start, end = filters.bounds()
    qs = portfolio_ideas(user=user).filter(submitted_at__gte=start, submitted_at__lt=end)
    if filters.department_id:
        qs = qs.filter(department_id=filters.department_id)
    return qs


def stages_in_order() -> list[Stage]:
    return list(Stage.objects.filter(workflow__is_default=True).order_by("order", "pk"))


def _submitted_kept(user: User, filters: DashboardFilters) -> list[totals.PeriodRow]:
    return totals.submitted_rows(totals.Viewer.of(user), date_from=filters.date_from, date_to=filters.date_to,
                                 department_id=filters.department_id)


def submitted_in_period(*, user: User, filters: DashboardFilters) -> list[totals.PeriodRow] | None:
    """The kept rows that ``ideas_per_stage``, ``ideas_per_department_month`` and ``approved_cost_and_benefit``
    are drawn from (one query), for a page that shows all three to pass them each; None where no totals are
    kept (SQLite), where each counts its own rows."""
    return _submitted_kept(user, filters) if totals.available() else None


def ideas_per_stage(*, user: User, filters: DashboardFilters, counted: bool = False,
                    kept: list[totals.PeriodRow] | None = None) -> dict[int, int]:
    """stage id → ideas submitted in the period that are in it now (one query, none given ``kept``)."""
    if totals.available() and not counted:
        per_stage: dict[int, int] = defaultdict(int)
        for row in _submitted_kept(user, filters) if kept is None else kept:
            per_stage[row.stage_id] += row.ideas
        return dict(per_stage)
    rows = _submitted_in(user, filters).order_by().values("stage_id").annotate(n=Count("pk"))
    return {row["stage_id"]: row["n"] for row in rows}


def ideas_per_department_month(*, user: User, filters: DashboardFilters, counted: bool = False,
                               kept: list[totals.PeriodRow] | None = None) -> dict[tuple[int | None, date], int]:
    """(department id, first day of month) → ideas submitted (one query, none given ``kept``)."""
    if totals.available() and not counted:
        per_month: dict[tuple[int | None, date], int] = defaultdict(int)
        for row in _submitted_kept(user, filters) if kept is None else kept:
            per_month[(row.department_id, row.month)] += row.ideas
        return dict(per_month)
    tz = timezone.get_current_timezone()
    rows = (
        _submitted_in(user, filters)
        .order_by()
        .annotate(month=TruncMonth("submitted_at", tzinfo=tz))
        .values("department_id", "month")
        .annotate(n=Count("pk"))
    )
    out: dict[tuple[int | None, date], int] = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime) else month
        out[(row["department_id"], month)] = out.get((row["department_id"], month), 0) + row["n"]
    return out


def decisions_by_outcome(*, user: User, filters: DashboardFilters) -> dict[str, int]:
    """Board decision outcome → how many the Board recorded in the period (one query).

    Counted from the Board's Decision rows, not from stage changes: a deferral moves
    no stage, and an outcome-carrying move made outside a meeting is not a decision.
    """
    start, end = filters.bounds()
    # Driven from the decisions in the period (the Board's pace, not the number of ideas), each idea checked
    # for visibility on its own, rather than listing every idea the user may see first.
    qs = Decision.objects.filter(
        Exists(portfolio_ideas(user=user).filter(pk=OuterRef("item__idea_id"))), recorded_at__gte=start, recorded_at__lt=end
    )
    if filters.department_id:
        qs = qs.filter(item__idea__department_id=filters.department_id)
    rows = qs.order_by().values("outcome").annotate(n=Count("pk"))
    return {row["outcome"]: row["n"] for row in rows}


def approved_cost_and_benefit(*, user: User, filters: DashboardFilters, approved_ids: set[int],
                              counted: bool = False, kept: list[totals.PeriodRow] | None = None) -> list[dict]:
    """Per department: approved ideas' costs against their expected savings (one query, none given ``kept``)."""
    if totals.available() and not counted:
        per_department: dict[int | None, dict] = {}
        for row in _submitted_kept(user, filters) if kept is None else kept:
            if row.stage_id not in approved_ids:
                continue
            out = per_department.setdefault(row.department_id, {
                "department_id": row.department_id, "ideas": 0, "one_off": ZERO, "recurring": ZERO, "savings": ZERO})
            out["ideas"] += row.ideas
            out["one_off"] += row.one_off
            out["recurring"] += row.recurring
            out["savings"] += row.savings
        return list(per_department.values())
    rows = (
        _submitted_in(user, filters)
        .filter(_approved_q(approved_ids))
        .order_by()
        .values("department_id")
        .annotate(
            ideas=Count("pk"),
            one_off=Sum(_money(F("one_off_cost")) + _money(F("integration_cost"))),
            recurring=Sum(_money(F("recurring_cost"))),
            savings=Sum(_money(F("cash_savings_per_year"))),
        )
    )
    return list(rows)


def median_days_in_stage_kept(*, user: User, filters: DashboardFilters,
                              now: datetime | None = None) -> tuple[dict[int, tuple[float, int]], datetime | None]:
    """``median_days_in_stage`` and the time its figures were computed ("as of"), or None when computed now.

    On PostgreSQL the medians come from a snapshot kept per period, department
    and class of viewer (``portfolio.models.StageMedianSnapshot``), refreshed by
    the beat job every hour and on demand when missing or stale: reading every
    stay that ended in the period grows with the ideas held. Elsewhere (SQLite)
    they are computed on each request. One query either way.
    """
    if not totals.available():
        return median_days_in_stage(user=user, filters=filters, counted=True), None
    start, end = filters.bounds()
    now = now or timezone.now()
    return totals.median_days_kept(totals.Viewer.of(user), date_from=filters.date_from, date_to=filters.date_to,
                                   start=start, end=end, department_id=filters.department_id, now=now,
                                   today=timezone.localdate(now))


def median_days_in_stage(*, user: User, filters: DashboardFilters, counted: bool = False) -> dict[int, tuple[float, int]]:
    """stage id → (median days ideas spent in it, how many stays), for stays that ended in the period.

    A stay starts when the idea entered the stage (its previous stage change, or
    its creation for the first) and ends at the next stage change. One query.
    """
    start, end = filters.bounds()
    if totals.available() and not counted:
        return median_days_in_stage_kept(user=user, filters=filters)[0]
    ideas = portfolio_ideas(user=user)
    if filters.department_id:
        ideas = ideas.filter(department_id=filters.department_id)
    try:
        visible_sql, visible_params = ideas.values("pk").query.sql_with_params()
    except EmptyResultSet:  # a signed-out or closed account sees no idea
        return {}
    sc, idea_table = StageChange._meta.db_table, Idea._meta.db_table
    if connection.vendor == "postgresql":
        sql = f"""
            WITH stays AS (
                SELECT sc.from_stage_id AS stage_id, sc.at AS left_at,
                       EXTRACT(EPOCH FROM (sc.at - COALESCE(
                           LAG(sc.at) OVER (PARTITION BY sc.idea_id ORDER BY sc.at, sc.id), i.created_at
                       ))) / 86400.0 AS days
                FROM {sc} sc JOIN {idea_table} i ON i.id = sc.idea_id
                WHERE sc.idea_id IN ({visible_sql})
            )
            SELECT stage_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY days), COUNT(*)
            FROM stays WHERE left_at >= %s AND left_at < %s GROUP BY stage_id
        """  # noqa: S608 - table names from model meta; values are parameters
        with connection.cursor() as cursor:
            cursor.execute(sql, [*visible_params, start, end])
            return {stage_id: (max(float(median), 0.0), n) for stage_id, median, n in cursor.fetchall()}
    # Elsewhere (SQLite on a laptop): the same stays, median taken in Python.
    rows = (
        StageChange.objects.filter(idea__in=ideas.values("pk"))
        .order_by("idea_id", "at", "pk")
        .values_list("idea_id", "from_stage_id", "at", "idea__created_at")
    )
    stays: dict[int, list[float]] = defaultdict(list)
    previous_idea, previous_at = None, None
    for idea_id, stage_id, at, created_at in rows.iterator(chunk_size=2000):
        entered = previous_at if idea_id == previous_idea else created_at
        previous_idea, previous_at = idea_id, at
        if start <= at < end:
            stays[stage_id].append(max((at - entered).total_seconds() / 86400, 0.0))
    return {stage_id: (statistics.median(days), len(days)) for stage_id, days in stays.items()}
