"""The load each central system carries from ideas in the pipeline and in delivery."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    QuerySet,
    Sum,
)

from harrow_innovation.people.models import User
from ideas.models import (
    CentralSystem,
    IdeaCentralSystem,
)

from .. import totals
from .common import LONG_TEXT_OF_IDEA, ZERO, _approved_q, _pipeline_q, portfolio_ideas


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
    links = IdeaCentralSystem.objects.filter(idea__in=portfolio_ideas(user=user).values("pk"))
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


def system_loads(*, user: User, approved_ids: set[int], sort: str = DEFAULT_SYSTEM_SORT,
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


def system_stage_summary(*, user: User, system: CentralSystem, approved_ids: set[int],
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
        IdeaCentralSystem.objects.filter(system=system, idea__in=portfolio_ideas(user=user).values("pk"))
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


def system_links(*, user: User, system: CentralSystem) -> QuerySet[IdeaCentralSystem]:
    """The dependent ideas of one system, in stage order so a page of them groups by stage."""
    return (
        IdeaCentralSystem.objects.filter(system=system, idea__in=portfolio_ideas(user=user).values("pk"))
        .select_related("idea", "idea__stage", "idea__department")
        .defer(*LONG_TEXT_OF_IDEA)
        .order_by("idea__stage__order", "idea__stage_id", "-integration_cost", "idea_id")
    )
