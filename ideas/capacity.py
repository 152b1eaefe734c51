"""Staff capacity: what teams can give to innovation each quarter, and what ideas ask of them.

Read-only selectors. Demand is counted in two parts:

- *committed*: asks of approved ideas still open (approved, approved with conditions, in
  delivery; not delivered or otherwise closed);
- *if approved*: asks of ideas ready for the Board, on top of the committed demand.

A team is over capacity in a quarter when the days asked are more than the days it declared
(no declaration counts as none). Every function costs a fixed number of queries whatever
the number of teams, quarters or ideas.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from harrow_innovation.core.quarters import days_text, next_quarter, quarter_label, quarter_of
from harrow_innovation.people.models import Team, TeamCapacity, User

from .approval import approved_stage_ids
from .models import ResourceAskQuarter
from .selectors import visible_ideas

ZERO = Decimal("0")
QUARTERS_SHOWN = 8
DAYS = DecimalField(max_digits=10, decimal_places=1)


@dataclass
class Cell:
    quarter: date
    capacity: Decimal | None
    committed: Decimal = ZERO
    ready: Decimal = ZERO

    @property
    def if_approved(self) -> Decimal:
        return self.committed + self.ready

    @property
    def over_now(self) -> bool:
        return self.committed > (self.capacity or ZERO)

    @property
    def over_if_approved(self) -> bool:
        return self.if_approved > (self.capacity or ZERO)


@dataclass
class TeamRow:
    team: Team
    cells: list[Cell] = field(default_factory=list)

    @property
    def over_now(self) -> bool:
        return any(c.over_now for c in self.cells)

    @property
    def over_if_approved(self) -> bool:
        return any(c.over_if_approved for c in self.cells)


def quarters_from(*, start: date | None = None, count: int = QUARTERS_SHOWN) -> list[date]:
    quarter = quarter_of(start or timezone.localdate())
    out = []
    for _ in range(count):
        out.append(quarter)
        quarter = next_quarter(quarter)
    return out


def _open_approved_q(approved: set[int], prefix: str = "ask__idea__") -> Q:
    return Q(**{f"{prefix}stage_id__in": approved or [0], f"{prefix}stage__is_final": False})


def _ready_q(approved: set[int], prefix: str = "ask__idea__") -> Q:
    return Q(**{f"{prefix}stage__ready_for_board": True}) & ~Q(**{f"{prefix}stage_id__in": approved or [0]})


def _demand(asks: QuerySet, approved: set[int]) -> QuerySet:
    return asks.values("ask__team_id", "quarter").annotate(
        committed=Coalesce(Sum("days", filter=_open_approved_q(approved)), Value(ZERO), output_field=DAYS),
        ready=Coalesce(Sum("days", filter=_ready_q(approved)), Value(ZERO), output_field=DAYS),
    ).order_by()


def team_capacity_table(*, user: User, quarters: list[date], teams: QuerySet[Team] | None = None) -> list[TeamRow]:
    """Every active team (or ``teams``) by quarter: capacity, committed demand and demand if approved.

    Four queries: teams, capacities, approved stages, demand (ideas the user may see).
    """
    chosen = teams if teams is not None else Team.objects.filter(is_active=True)
    teams = list(chosen.select_related("department").order_by("department__name", "name"))
    team_ids = chosen.order_by().values("pk")
    first, last = quarters[0], quarters[-1]
    capacity = {
        (row["team_id"], row["quarter"]): row["days"]
        for row in TeamCapacity.objects.filter(team__in=team_ids, quarter__gte=first, quarter__lte=last)
        .order_by().values("team_id", "quarter", "days")
    }
    approved = approved_stage_ids()
    asks = ResourceAskQuarter.objects.filter(
        _open_approved_q(approved) | _ready_q(approved),  # only the ideas counted: fewer rows to group
        ask__team__in=team_ids, quarter__gte=first, quarter__lte=last,
        ask__idea__in=visible_ideas(user=user).values("pk"),
    )
    demand = {(row["ask__team_id"], row["quarter"]): row for row in _demand(asks, approved)}
    rows = []
    for team in teams:
        cells = []
        for quarter in quarters:
            found = demand.get((team.pk, quarter), {})
            cells.append(Cell(quarter=quarter, capacity=capacity.get((team.pk, quarter)),
                              committed=found.get("committed", ZERO), ready=found.get("ready", ZERO)))
        rows.append(TeamRow(team=team, cells=cells))
    return rows


@dataclass(frozen=True)
class Strain:
    """One team and quarter an idea's ask would take over capacity if it were approved."""

    team: str
    quarter: date
    asked: Decimal
    committed: Decimal
    capacity: Decimal | None

    @property
    def total(self) -> Decimal:
        return self.committed + self.asked

    @property
    def text(self) -> str:
        capacity = days_text(self.capacity) if self.capacity is not None else "no days declared"
        return (f"{self.team}, {quarter_label(self.quarter)}: {days_text(self.total)} asked "
                f"({days_text(self.committed)} already approved + {days_text(self.asked)} for this idea) "
                f"against {capacity}")


def capacity_strains(*, idea_ids: list[int]) -> dict[int, list[Strain]]:
    """For each idea, the team quarters its asks would push over capacity if it were approved.

    Committed demand counts other approved, open ideas (not the idea itself). All ideas count,
    whoever reads: a Board paper or agenda is the same for every reader. Four queries.
    """
    if not idea_ids:
        return {}
    own = list(ResourceAskQuarter.objects.filter(ask__idea_id__in=idea_ids, ask__team__isnull=False)
               .values("ask__idea_id", "ask__team_id", "ask__team__name", "quarter").annotate(days=Sum("days"))
               .order_by("ask__team__name", "quarter"))
    if not own:
        return {}
    teams = {row["ask__team_id"] for row in own}
    quarters = {row["quarter"] for row in own}
    capacity = {
        (row["team_id"], row["quarter"]): row["days"]
        for row in TeamCapacity.objects.filter(team_id__in=teams, quarter__in=quarters).order_by()
        .values("team_id", "quarter", "days")
    }
    approved = approved_stage_ids()
    committed_rows = (ResourceAskQuarter.objects.filter(ask__team_id__in=teams, quarter__in=quarters)
                      .filter(_open_approved_q(approved))
                      .values("ask__team_id", "quarter", "ask__idea_id").annotate(days=Sum("days")).order_by())
    committed: dict[tuple[int, date], list[tuple[int, Decimal]]] = defaultdict(list)
    for row in committed_rows:
        committed[(row["ask__team_id"], row["quarter"])].append((row["ask__idea_id"], row["days"]))
    out: dict[int, list[Strain]] = defaultdict(list)
    for row in own:
        key = (row["ask__team_id"], row["quarter"])
        others = sum((days for idea_id, days in committed[key] if idea_id != row["ask__idea_id"]), ZERO)
        strain = Strain(team=row["ask__team__name"], quarter=row["quarter"], asked=row["days"], committed=others,
                        capacity=capacity.get(key))
        if strain.total > (strain.capacity or ZERO):
            out[row["ask__idea_id"]].append(strain)
    return dict(out)


def teams_managed_by(*, user: User) -> QuerySet[Team]:
    return Team.objects.filter(manager=user, is_active=True).select_related("department").order_by("name")
