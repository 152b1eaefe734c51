"""Reads for the portfolio pages: aggregates done in the database.

Every idea queryset starts from ``ideas.selectors.visible_ideas(user)``, so a
confidential idea never reaches a total, a chart or an export for someone who
may not see it. Each page costs a fixed number of queries whatever the data
size: totals come from GROUP BY queries and annotations, lists are paginated.

On PostgreSQL the central systems, data flows, register count and dashboards
read the totals kept by triggers (``portfolio.totals``), so their cost does not
grow with the number of ideas; the ``*_counted`` forms add up the rows instead
(SQLite, and the fresh counts tests/portfolio/test_totals.py compares them with).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
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
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from board.models import Decision
from harrow_innovation.people.models import Department, User
from ideas.models import (
    CentralSystem,
    DataOutput,
    Idea,
    IdeaCentralSystem,
    Outcome,
    Stage,
    StageChange,
    StageKind,
    Transition,
)
from ideas.selectors import visible_ideas

from . import totals
from .models import BenefitRecord, DeliveryStatus, DeliveryUpdate

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=16, decimal_places=2)
APPROVING_OUTCOMES = (Outcome.APPROVE, Outcome.APPROVE_WITH_CONDITIONS)
DEFAULT_STALLED_DAYS = 60
# An idea's long answers: lists never show them, and sorting rows that carry them is slow.
LONG_TEXT = ("problem", "solution", "search_text", "other_benefits", "risks", "future_proofing",
             "resources_internal", "resources_external")
LONG_TEXT_OF_IDEA = tuple(f"idea__{name}" for name in LONG_TEXT)


def update_every_days() -> int:
    """How often owners report on delivery: an update is due this many days after the last (PORTFOLIO_UPDATE_DAYS)."""
    return settings.PORTFOLIO_UPDATE_DAYS


def stalled_after_days() -> int:
    """Days without a delivery update before delivery counts as stalled (setting PORTFOLIO_STALLED_DAYS)."""
    return int(getattr(settings, "PORTFOLIO_STALLED_DAYS", DEFAULT_STALLED_DAYS))


def _money(expression) -> Coalesce:
    return Coalesce(expression, Value(ZERO), output_field=MONEY)


def total_cost_expression():
    """One-off cost + integration cost + one year of recurring cost: what the Board weighs as effort."""
    return ExpressionWrapper(
        _money(F("one_off_cost")) + _money(F("recurring_cost")) + _money(F("integration_cost")), output_field=MONEY
    )

# --- Which stages count as approved --------------------------------------------


def approved_stage_ids() -> set[int]:
    """Stages approved ideas are in, read from the admin-configured workflow (one query).

    The targets of transitions that carry an approving Board decision, and every
    delivery or closed stage reached onward from them (In delivery, Delivered).
    """
    rows = list(Transition.objects.values_list("source_id", "target_id", "outcome", "target__kind"))
    approved = {target for _, target, outcome, _ in rows if outcome in APPROVING_OUTCOMES}
    grew = True
    while grew:
        grew = False
        for source, target, _, kind in rows:
            onward = source in approved and target not in approved and kind in (StageKind.DELIVERY, StageKind.CLOSED)
            if onward:
                approved.add(target)
                grew = True
    return approved


def portfolio_ideas(user: User) -> QuerySet[Idea]:
    """Ideas the user may see that have left their draft: what every portfolio figure counts."""
    return visible_ideas(user).exclude(stage__kind=StageKind.DRAFT)


def _approved_q(approved_ids: set[int], prefix: str = "") -> Q:
    return Q(**{f"{prefix}stage_id__in": approved_ids or [0]})


def _pipeline_q(approved_ids: set[int], prefix: str = "") -> Q:
    return ~_approved_q(approved_ids, prefix) & Q(**{f"{prefix}stage__is_final": False})


# --- Central systems -----------------------------------------------------------


@dataclass
class Load:
    """What a group of ideas puts on a system, each figure kept apart and never added to another.

    ``integration`` is the system's own load: the integration costs recorded on the
    ideas' links to it (one-off; links record no yearly cost). ``one_off`` and
    ``recurring`` are the ideas' own costs, whole: an idea that touches three systems
    shows them under each, so they are not the system's cost. One-off and yearly
    money are different kinds and are never summed together.
    """

    ideas: int = 0
    integration: Decimal = ZERO
    one_off: Decimal = ZERO
    recurring: Decimal = ZERO


@dataclass
class SystemLoad:
    system: CentralSystem
    approved: Load = field(default_factory=Load)
    pipeline: Load = field(default_factory=Load)

    @property
    def ideas(self) -> int:
        return self.approved.ideas + self.pipeline.ideas

    @property
    def integration(self) -> Decimal:
        """The integration load on the system: approved and pipeline links' integration costs."""
        return self.approved.integration + self.pipeline.integration


def _load_aggregates(approved_ids: set[int]) -> dict:
    approved = _approved_q(approved_ids, "idea__")
    pipeline = _pipeline_q(approved_ids, "idea__")
    out = {}
    for name, condition in (("approved", approved), ("pipeline", pipeline)):
        out[f"{name}_ideas"] = Count("pk", filter=condition)
        out[f"{name}_integration"] = Sum("integration_cost", filter=condition)
        out[f"{name}_one_off"] = Sum("idea__one_off_cost", filter=condition)
        out[f"{name}_recurring"] = Sum("idea__recurring_cost", filter=condition)
    return out


def _load_from_row(row: dict, name: str) -> Load:
    return Load(
        ideas=row[f"{name}_ideas"] or 0,
        integration=row[f"{name}_integration"] or ZERO,
        one_off=row[f"{name}_one_off"] or ZERO,
        recurring=row[f"{name}_recurring"] or ZERO,
    )


SYSTEM_SORTS = {
    "integration": "Integration cost on the system",
    "ideas": "Number of ideas",
    "one_off": "Ideas' own one-off cost",
    "recurring": "Ideas' own yearly cost",
    "name": "Name",
}
DEFAULT_SYSTEM_SORT = "integration"


def _system_rows_counted(user: User, approved_ids: set[int]) -> dict[int, tuple[Load, Load]]:
    """system id → (approved load, pipeline load), adding up the links of every idea the user sees (one query)."""
    links = IdeaCentralSystem.objects.filter(idea__in=portfolio_ideas(user).values("pk"))
    rows = links.values("system_id").annotate(**_load_aggregates(approved_ids))
    return {row["system_id"]: (_load_from_row(row, "approved"), _load_from_row(row, "pipeline")) for row in rows}


def _system_rows_kept(user: User, approved_ids: set[int]) -> dict[int, tuple[Load, Load]]:
    """The same from the kept totals (one query): per system and stage, summed into approved and pipeline."""
    out: dict[int, tuple[Load, Load]] = {}
    for row in totals.system_stage_rows(totals.Viewer.of(user)):
        if row.stage_id in approved_ids:
            load = out.setdefault(row.system_id, (Load(), Load()))[0]
        elif not row.stage_is_final:
            load = out.setdefault(row.system_id, (Load(), Load()))[1]
        else:
            continue
        load.ideas += row.ideas
        load.integration += row.integration
        load.one_off += row.one_off
        load.recurring += row.recurring
    return out


def system_loads(user: User, *, approved_ids: set[int], sort: str = DEFAULT_SYSTEM_SORT,
                 counted: bool = False) -> list[SystemLoad]:
    """Every central system with the load its dependent ideas put on it (two queries).

    ``counted``: add up the ideas' rows rather than read the kept totals (what SQLite does).
    """
    kept = totals.available() and not counted
    rows = (_system_rows_kept if kept else _system_rows_counted)(user, approved_ids)
    loads = []
    for system in CentralSystem.objects.select_related("owner_department"):
        row = rows.get(system.pk)
        if row is None and not system.is_active:
            continue
        load = SystemLoad(system=system)
        if row:
            load.approved, load.pipeline = row
        loads.append(load)
    keys = {
        "integration": lambda s: (-s.integration, -s.ideas, s.system.name),
        "ideas": lambda s: (-s.ideas, -s.integration, s.system.name),
        "one_off": lambda s: (-(s.approved.one_off + s.pipeline.one_off), s.system.name),
        "recurring": lambda s: (-(s.approved.recurring + s.pipeline.recurring), s.system.name),
        "name": lambda s: s.system.name.lower(),
    }
    loads.sort(key=keys.get(sort, keys[DEFAULT_SYSTEM_SORT]))
    return loads


@dataclass
class StageGroup:
    stage_id: int
    name: str
    order: int
    category: str  # approved, pipeline or closed
    ideas: int
    integration: Decimal
    one_off: Decimal
    recurring: Decimal


def _category(stage_id: int, is_final: bool, approved_ids: set[int]) -> str:
    return "approved" if stage_id in approved_ids else "closed" if is_final else "pipeline"


def system_stage_summary(user: User, system: CentralSystem, *, approved_ids: set[int],
                         counted: bool = False) -> list[StageGroup]:
    """Dependent ideas of one system counted and summed per stage (one query)."""
    if totals.available() and not counted:
        return [
            StageGroup(stage_id=row.stage_id, name=row.stage_name, order=row.stage_order,
                       category=_category(row.stage_id, row.stage_is_final, approved_ids), ideas=row.ideas,
                       integration=row.integration, one_off=row.one_off, recurring=row.recurring)
            for row in totals.system_stage_rows(totals.Viewer.of(user), system_id=system.pk)
        ]
    rows = (
        IdeaCentralSystem.objects.filter(system=system, idea__in=portfolio_ideas(user).values("pk"))
        .values("idea__stage_id", "idea__stage__name", "idea__stage__order", "idea__stage__is_final")
        .annotate(
            ideas=Count("pk"),
            integration=Sum("integration_cost"),
            one_off=Sum("idea__one_off_cost"),
            recurring=Sum("idea__recurring_cost"),
        )
        .order_by("idea__stage__order", "idea__stage_id")
    )
    groups = []
    for row in rows:
        stage_id = row["idea__stage_id"]
        category = _category(stage_id, row["idea__stage__is_final"], approved_ids)
        groups.append(
            StageGroup(
                stage_id=stage_id, name=row["idea__stage__name"], order=row["idea__stage__order"], category=category,
                ideas=row["ideas"], integration=row["integration"] or ZERO, one_off=row["one_off"] or ZERO,
                recurring=row["recurring"] or ZERO,
            )
        )
    return groups


def system_links(user: User, system: CentralSystem) -> QuerySet[IdeaCentralSystem]:
    """The dependent ideas of one system, in stage order so a page of them groups by stage."""
    return (
        IdeaCentralSystem.objects.filter(system=system, idea__in=portfolio_ideas(user).values("pk"))
        .select_related("idea", "idea__stage", "idea__department")
        .defer(*LONG_TEXT_OF_IDEA)
        .order_by("idea__stage__order", "idea__stage_id", "-integration_cost", "idea_id")
    )


# --- Data outputs ----------------------------------------------------------------


def data_outputs(user: User, *, q: str = "", department_id: int | None = None,
                 producer_id: int | None = None) -> QuerySet[DataOutput]:
    """The data-output register: outputs of ideas the user may see, with who would value them.

    Visibility as a correlated EXISTS rather than ``idea__in``: PostgreSQL then walks
    the outputs in page order (index ``dataoutput_description``) checking each idea,
    and stops at the page, instead of first listing every idea the user may see.
    """
    qs = DataOutput.objects.filter(Exists(portfolio_ideas(user).filter(pk=OuterRef("idea_id"))))
    if q:
        qs = qs.filter(Q(description__icontains=q) | Q(idea__title__icontains=q))
    if department_id:
        qs = qs.filter(
            Exists(DataOutput.valued_by.through.objects.filter(dataoutput_id=OuterRef("pk"), department_id=department_id))
        )
    if producer_id:
        qs = qs.filter(idea__department_id=producer_id)
    return (
        qs.select_related("idea", "idea__stage", "idea__department")
        .defer(*LONG_TEXT_OF_IDEA)
        .prefetch_related("valued_by")
        .order_by("description", "pk")
    )


def data_output_count(user: User, *, q: str = "", department_id: int | None = None,
                      producer_id: int | None = None) -> int | None:
    """How many outputs the register lists, from the kept totals when only the producer is chosen; else None (count rows)."""
    if q or department_id or not totals.available():
        return None
    return totals.output_count(totals.Viewer.of(user), producer_id=producer_id)


def data_for_department(user: User, department: Department) -> QuerySet[DataOutput]:
    """Data a department could receive: outputs it would value, and the ideas that would produce them."""
    return data_outputs(user, department_id=department.pk).order_by("idea__department__name", "description", "pk")


def data_sources_for_department(user: User, department: Department, *, counted: bool = False) -> list[dict]:
    """How many outputs a department would value, per producing department (one query)."""
    if totals.available() and not counted:
        rows = [
            {"dataoutput__idea__department_id": producer, "dataoutput__idea__department__name": name,
             "outputs": outputs, "ideas": ideas}
            for producer, name, _, outputs, ideas in totals.flows(totals.Viewer.of(user), receiver_id=department.pk)
        ]
        return sorted(rows, key=lambda r: (r["dataoutput__idea__department__name"] is None,
                                           r["dataoutput__idea__department__name"] or ""))
    through = DataOutput.valued_by.through
    return list(
        through.objects.filter(department=department, dataoutput__idea__in=portfolio_ideas(user).values("pk"))
        .values("dataoutput__idea__department_id", "dataoutput__idea__department__name")
        .annotate(outputs=Count("pk"), ideas=Count("dataoutput__idea", distinct=True))
        .order_by("dataoutput__idea__department__name")
    )


@dataclass
class FlowMatrix:
    producers: list[Department | None]
    receivers: list[Department]
    counts: dict[tuple[int | None, int], int]

    def rows(self) -> list[tuple[Department | None, list[int], int]]:
        out = []
        for producer in self.producers:
            key = producer.pk if producer else None
            cells = [self.counts.get((key, r.pk), 0) for r in self.receivers]
            out.append((producer, cells, sum(cells)))
        return out

    def column_totals(self) -> list[int]:
        return [sum(self.counts.get((p.pk if p else None, r.pk), 0) for p in self.producers) for r in self.receivers]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def data_flow_matrix(user: User, *, counted: bool = False) -> FlowMatrix:
    """Producer department (the idea's department) × valuing department: how many data outputs flow (two queries)."""
    if totals.available() and not counted:
        counts = {(producer, receiver): outputs
                  for producer, _, receiver, outputs, _ in totals.flows(totals.Viewer.of(user))}
    else:
        through = DataOutput.valued_by.through
        rows = (
            through.objects.filter(dataoutput__idea__in=portfolio_ideas(user).values("pk"))
            .values("dataoutput__idea__department_id", "department_id")
            .annotate(n=Count("pk"))
        )
        counts = {(row["dataoutput__idea__department_id"], row["department_id"]): row["n"] for row in rows}
    departments = list(Department.objects.order_by("name"))
    used_producers = {p for p, _ in counts}
    used_receivers = {r for _, r in counts}
    producers: list[Department | None] = [d for d in departments if d.is_active or d.pk in used_producers]
    if None in used_producers:
        producers.append(None)
    receivers = [d for d in departments if d.is_active or d.pk in used_receivers]
    return FlowMatrix(producers=producers, receivers=receivers, counts=counts)


# --- Prioritisation ------------------------------------------------------------


@dataclass
class PriorityFilters:
    department_id: int | None = None
    system_id: int | None = None
    min_score: Decimal | None = None
    scored_only: bool = False


def ready_for_board(user: User, filters: PriorityFilters | None = None) -> QuerySet[Idea]:
    """Ideas waiting for the Board, ranked by weighted score, then value for money, with their total cost."""
    filters = filters or PriorityFilters()
    qs = portfolio_ideas(user).filter(stage__ready_for_board=True)
    if filters.department_id:
        qs = qs.filter(
            Exists(Idea.departments.through.objects.filter(idea_id=OuterRef("pk"), department_id=filters.department_id))
        )
    if filters.system_id:
        qs = qs.filter(Exists(IdeaCentralSystem.objects.filter(idea_id=OuterRef("pk"), system_id=filters.system_id)))
    if filters.min_score is not None:
        qs = qs.filter(weighted_score__gte=filters.min_score)
    if filters.scored_only:
        qs = qs.filter(weighted_score__isnull=False)
    return (
        qs.annotate(total_cost=total_cost_expression(), savings=_money(F("cash_savings_per_year")))
        .select_related("stage", "department")
        .defer(*LONG_TEXT)
        .order_by(F("weighted_score").desc(nulls_last=True), F("savings").desc(), "total_cost", "pk")
    )


# --- Delivery and benefits -------------------------------------------------------


def _latest_update(field_name: str):
    return Subquery(DeliveryUpdate.objects.filter(idea=OuterRef("pk")).order_by("-at", "-pk").values(field_name)[:1])


def _realised(since: date | None = None):
    records = BenefitRecord.objects.filter(idea=OuterRef("pk"))
    if since:
        records = records.filter(period__gte=since)
    return _money(Subquery(records.values("idea").annotate(s=Sum("cash_realised")).values("s")[:1]))


def delivery_ideas(user: User, *, approved_ids: set[int], stalled_only: bool = False,
                   now: datetime | None = None) -> QuerySet[Idea]:
    """Approved ideas with their latest delivery update, realised benefits and whether delivery has stalled."""
    now = now or timezone.now()
    stale_before = now - timedelta(days=stalled_after_days())
    year_ago = (now - timedelta(days=365)).date()
    qs = (
        portfolio_ideas(user)
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


def delivery_totals(user: User, *, approved_ids: set[int], now: datetime | None = None) -> dict:
    """Expected and realised figures summed over all approved ideas the user may see (three queries)."""
    now = now or timezone.now()
    approved = portfolio_ideas(user).filter(_approved_q(approved_ids))
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
    totals["stalled"] = delivery_ideas(user, approved_ids=approved_ids, stalled_only=True, now=now).count()
    return {k: (v if v is not None else ZERO) for k, v in totals.items()}


def idea_for_delivery(user: User, pk: int) -> Idea | None:
    """One idea with its delivery updates and benefit records, or None if the user may not see it."""
    idea = (
        visible_ideas(user)
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


def ideas_owned_in_delivery(user: User, *, approved_ids: set[int]) -> QuerySet[Idea]:
    """The user's own approved ideas, for recording progress and benefits."""
    owned = Q(owner_id=user.pk) | Exists(Idea.co_owners.through.objects.filter(idea_id=OuterRef("pk"), user_id=user.pk))
    return (
        visible_ideas(user)
        .filter(owned, _approved_q(approved_ids))
        .annotate(latest_status=_latest_update("status"), latest_percent=_latest_update("percent_complete"),
                  latest_at=_latest_update("at"), realised_total=_realised())
        .select_related("stage")
        .defer(*LONG_TEXT)
        .order_by("stage__is_final", "title", "pk")
    )


def delivery_updates_due_from(user: User, limit: int) -> list[Idea]:
    """The person's approved ideas in delivery with no update in the reporting period (two queries).

    In delivery: at an approved stage that is not final, and not reported complete.
    An update is due ``update_every_days()`` after the last one, or after the idea
    reached its stage if there is none yet; ``update_due`` says since when.
    """
    if not user.is_authenticated:
        return []
    period = timedelta(days=update_every_days())
    cutoff = timezone.now() - period
    owned = Q(owner_id=user.pk) | Exists(Idea.co_owners.through.objects.filter(idea_id=OuterRef("pk"), user_id=user.pk))
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


# --- Dashboards ----------------------------------------------------------------


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
    qs = portfolio_ideas(user).filter(submitted_at__gte=start, submitted_at__lt=end)
    if filters.department_id:
        qs = qs.filter(department_id=filters.department_id)
    return qs


def stages_in_order() -> list[Stage]:
    return list(Stage.objects.filter(workflow__is_default=True).order_by("order", "pk"))


def _submitted_kept(user: User, filters: DashboardFilters) -> list[totals.PeriodRow]:
    return totals.submitted_rows(totals.Viewer.of(user), date_from=filters.date_from, date_to=filters.date_to,
                                 department_id=filters.department_id)


def ideas_per_stage(user: User, filters: DashboardFilters, *, counted: bool = False) -> dict[int, int]:
    """stage id → ideas submitted in the period that are in it now (one query)."""
    if totals.available() and not counted:
        per_stage: dict[int, int] = defaultdict(int)
        for row in _submitted_kept(user, filters):
            per_stage[row.stage_id] += row.ideas
        return dict(per_stage)
    rows = _submitted_in(user, filters).order_by().values("stage_id").annotate(n=Count("pk"))
    return {row["stage_id"]: row["n"] for row in rows}


def ideas_per_department_month(user: User, filters: DashboardFilters,
                               *, counted: bool = False) -> dict[tuple[int | None, date], int]:
    """(department id, first day of month) → ideas submitted (one query)."""
    if totals.available() and not counted:
        per_month: dict[tuple[int | None, date], int] = defaultdict(int)
        for row in _submitted_kept(user, filters):
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


def decisions_by_outcome(user: User, filters: DashboardFilters) -> dict[str, int]:
    """Board decision outcome → how many the Board recorded in the period (one query).

    Counted from the Board's Decision rows, not from stage changes: a deferral moves
    no stage, and an outcome-carrying move made outside a meeting is not a decision.
    """
    start, end = filters.bounds()
    # Driven from the decisions in the period (the Board's pace, not the number of ideas), each idea checked
    # for visibility on its own, rather than listing every idea the user may see first.
    qs = Decision.objects.filter(
        Exists(portfolio_ideas(user).filter(pk=OuterRef("item__idea_id"))), recorded_at__gte=start, recorded_at__lt=end
    )
    if filters.department_id:
        qs = qs.filter(item__idea__department_id=filters.department_id)
    rows = qs.order_by().values("outcome").annotate(n=Count("pk"))
    return {row["outcome"]: row["n"] for row in rows}


def approved_cost_and_benefit(user: User, filters: DashboardFilters, *, approved_ids: set[int],
                              counted: bool = False) -> list[dict]:
    """Per department: approved ideas' costs against their expected savings (one query)."""
    if totals.available() and not counted:
        per_department: dict[int | None, dict] = {}
        for row in _submitted_kept(user, filters):
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


def median_days_in_stage(user: User, filters: DashboardFilters, *, counted: bool = False) -> dict[int, tuple[float, int]]:
    """stage id → (median days ideas spent in it, how many stays), for stays that ended in the period.

    A stay starts when the idea entered the stage (its previous stage change, or
    its creation for the first) and ends at the next stage change. One query.
    """
    start, end = filters.bounds()
    if totals.available() and not counted:
        return totals.median_days(totals.Viewer.of(user), start=start, end=end, department_id=filters.department_id)
    ideas = portfolio_ideas(user)
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
