"""Shared-system load: for each central system an idea integrates with, what other ideas already put on it.

For each of the idea's systems: the idea's own integration cost; the load from *other*
ideas, split into approved (not yet in delivery), in delivery, and in the pipeline
(submitted, in review, waiting for the Board; drafts never count); and the total if this
idea were approved (approved + in delivery + this idea). Delivered and closed ideas are
not load: their integration is done or will not happen.

Admins may give a system thresholds (``CentralSystem.integration_budget``, money a
year, and ``max_projects``, integration projects at once). The total if approved is
compared with them: crossing one is a flag on the Board paper and in the agenda builder.
The budget is compared with the integration cost of the approved and in-delivery work
(one-off costs, the work the system's team must absorb now), which the council plans a
year at a time.

Who counts: a person sees the load of the ideas they may see (confidential ideas only
if their role reads them or they own, co-own or review them: the rule of
``ideas.permissions.visible_filter``). ``user=None`` is the Board: papers, packs and the
agenda builder are read only by Board members, the secretary and admins, who all read
confidential ideas, and a pack is built once for all of them, so every idea counts
there (figures only, never another idea's name), as the capacity flags do.

Cost: on PostgreSQL the figures come from the totals the portfolio app keeps with
triggers; that app plugs its reader in (``use_kept_reader``), since ideas never imports
portfolio. One query reads them whatever the number of ideas; one more reads the
ideas' links. Elsewhere (SQLite) the links are counted (three queries).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Sum

from harrow_innovation.core.money import format_money
from harrow_innovation.people.models import User

from .approval import approved_stage_ids
from .models import Idea, IdeaCentralSystem, StageKind
from .selectors import visible_ideas

ZERO = Decimal("0")
APPROVED, DELIVERY, PIPELINE = "approved", "delivery", "pipeline"
CATEGORIES = (APPROVED, DELIVERY, PIPELINE)

# (idea id, or 0 for every idea the reader may see; system id; category; ideas; integration cost)
Row = tuple[int, int, str, int, Decimal]
Reader = Callable[..., list[Row]]
_kept_reader: Reader | None = None


def use_kept_reader(reader: Reader | None) -> None:
    """Read the loads with ``reader(user=…, system_ids=…, idea_ids=…)`` on PostgreSQL (the portfolio's kept totals)."""
    global _kept_reader
    _kept_reader = reader


def stage_category(*, stage_id: int, kind: str, is_final: bool, approved: set[int]) -> str | None:
    """approved, delivery, pipeline, or None (drafts, delivered and closed ideas are no load).

    The same rule is written in SQL in ``portfolio.totals.system_load_rows``; tests/ideas/test_system_load.py
    checks they agree."""
    if kind == StageKind.DRAFT or is_final:
        return None
    if kind == StageKind.DELIVERY:
        return DELIVERY
    if stage_id in approved:
        return APPROVED
    return PIPELINE


@dataclass
class Part:
    ideas: int = 0
    integration: Decimal = ZERO


@dataclass
class SystemLoadLine:
    """One system an idea integrates with: its cost, the other ideas' load, and the total if it were approved."""

    system_id: int
    name: str
    slug: str
    cost: Decimal
    budget: Decimal | None
    max_projects: int | None
    approved: Part = field(default_factory=Part)
    delivery: Part = field(default_factory=Part)
    pipeline: Part = field(default_factory=Part)

    @property
    def committed(self) -> Decimal:
        return self.approved.integration + self.delivery.integration

    @property
    def committed_projects(self) -> int:
        return self.approved.ideas + self.delivery.ideas

    @property
    def total_if_approved(self) -> Decimal:
        return self.committed + self.cost

    @property
    def projects_if_approved(self) -> int:
        return self.committed_projects + 1

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.total_if_approved > self.budget

    @property
    def over_projects(self) -> bool:
        return self.max_projects is not None and self.projects_if_approved > self.max_projects

    @property
    def over(self) -> bool:
        return self.over_budget or self.over_projects

    @property
    def flags(self) -> list[str]:
        """A sentence for each threshold this idea would take the system over if approved."""
        out = []
        if self.over_budget:
            out.append(
                f"{self.name}: {format_money(self.total_if_approved)} of integration if approved "
                f"({format_money(self.committed)} already approved or in delivery + {format_money(self.cost)} "
                f"for this idea) against a budget of {format_money(self.budget)} a year"
            )
        if self.over_projects:
            out.append(
                f"{self.name}: {self.projects_if_approved} integration projects at once if approved "
                f"({self.committed_projects} already approved or in delivery + this one) against a limit of "
                f"{self.max_projects}"
            )
        return out


def _kept() -> bool:
    return _kept_reader is not None and connection.vendor == "postgresql"


def _counted_rows(*, user: User | None, system_ids: list[int], idea_ids: list[int]) -> list[Row]:
    """The figures added up from the ideas' links (three queries): what SQLite does, and the tests' reference."""
    approved = approved_stage_ids()
    seen = Idea.objects.all() if user is None else visible_ideas(user=user)
    seen = seen.exclude(stage__kind=StageKind.DRAFT).values("pk")
    stage = ("idea__stage_id", "idea__stage__kind", "idea__stage__is_final")
    out: dict[tuple[int, int, str], list] = defaultdict(lambda: [0, ZERO])

    def add(idea_id, system_id, stage_id, kind, is_final, ideas, integration):
        category = stage_category(stage_id=stage_id, kind=kind, is_final=is_final, approved=approved)
        if category is not None:
            cell = out[(idea_id, system_id, category)]
            cell[0] += ideas
            cell[1] += integration or ZERO

    for row in (
        IdeaCentralSystem.objects.filter(system_id__in=system_ids, idea__in=seen)
        .values("system_id", *stage)
        .annotate(n=Count("pk"), cost=Sum("integration_cost"))
        .order_by()
    ):
        add(
            0,
            row["system_id"],
            row["idea__stage_id"],
            row["idea__stage__kind"],
            row["idea__stage__is_final"],
            row["n"],
            row["cost"],
        )
    for idea_id, system_id, *rest, cost in IdeaCentralSystem.objects.filter(
        idea_id__in=idea_ids, idea__in=seen
    ).values_list("idea_id", "system_id", *stage, "integration_cost"):
        add(idea_id, system_id, *rest, 1, cost)
    return [(i, s, c, n, money) for (i, s, c), (n, money) in out.items()]


def _lines(
    links_by_idea: dict[int, list[IdeaCentralSystem]], *, user: User | None, counted: bool
) -> dict[int, list[SystemLoadLine]]:
    system_ids = sorted({link.system_id for links in links_by_idea.values() for link in links})
    if not system_ids:
        return {idea_id: [] for idea_id in links_by_idea}
    reader = _kept_reader if _kept() and not counted else _counted_rows
    figures: dict[tuple[int, int, str], tuple[int, Decimal]] = {}
    for idea_id, system_id, category, ideas, integration in reader(
        user=user, system_ids=system_ids, idea_ids=sorted(links_by_idea)
    ):
        figures[(idea_id, system_id, category)] = (int(ideas), integration or ZERO)
    out = {}
    for idea_id, links in links_by_idea.items():
        lines = []
        for link in links:
            system = link.system
            line = SystemLoadLine(
                system_id=system.pk,
                name=system.name,
                slug=system.slug,
                cost=link.integration_cost,
                budget=system.integration_budget,
                max_projects=system.max_projects,
            )
            for category in CATEGORIES:
                all_ideas, all_money = figures.get((0, system.pk, category), (0, ZERO))
                own_ideas, own_money = figures.get((idea_id, system.pk, category), (0, ZERO))
                setattr(line, category, Part(ideas=all_ideas - own_ideas, integration=all_money - own_money))
            lines.append(line)
        out[idea_id] = sorted(lines, key=lambda line: line.name.lower())
    return out


def _links_of(idea_ids: Iterable[int]) -> dict[int, list[IdeaCentralSystem]]:
    out: dict[int, list[IdeaCentralSystem]] = {pk: [] for pk in idea_ids}
    for link in IdeaCentralSystem.objects.filter(idea_id__in=list(out)).select_related("system").order_by("pk"):
        out[link.idea_id].append(link)
    return out


def loads_for_ideas(
    *, idea_ids: Iterable[int], user: User | None, counted: bool = False
) -> dict[int, list[SystemLoadLine]]:
    """{idea id: a line per system it integrates with}. Two queries on PostgreSQL, whatever the data.

    ``user``: whose view of other ideas counts (None: the Board, every idea). ``counted``: add up the links rather
    than read the kept totals."""
    return _lines(_links_of(idea_ids), user=user, counted=counted)


def loads_for_idea(*, idea: Idea, user: User | None, counted: bool = False) -> list[SystemLoadLine]:
    """The lines for one idea's page (two queries on PostgreSQL)."""
    return loads_for_ideas(idea_ids=[idea.pk], user=user, counted=counted)[idea.pk]


def loads_from_links(*, idea: Idea, links: list[IdeaCentralSystem], user: User | None) -> list[SystemLoadLine]:
    """The lines for an idea whose links (with their systems) are already loaded: one query on PostgreSQL."""
    return _lines({idea.pk: links}, user=user, counted=False)[idea.pk]


def threshold_flags(*, idea_ids: Iterable[int]) -> dict[int, list[str]]:
    """For the agenda builder: {idea id: sentences} for ideas that would take a system over a threshold if approved.

    Counted as the Board sees it (every idea). Two queries on PostgreSQL."""
    out = {}
    for idea_id, lines in loads_for_ideas(idea_ids=idea_ids, user=None).items():
        flags = [flag for line in lines for flag in line.flags]
        if flags:
            out[idea_id] = flags
    return out
