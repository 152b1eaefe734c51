"""What a Board paper says about the staff time and partners an idea needs, and the teams it would take
over capacity if approved (from ``ideas.capacity``: the same rule the capacity view uses); and the load on
the central systems it needs, with the thresholds it would cross (from ``ideas.system_load``).

Papers are read only by Board members, the secretary and admins, who all read confidential ideas, and a
pack is built once for all of them: both count every idea, as figures, never naming another idea."""

from __future__ import annotations

from harrow_innovation.core.money import format_money
from ideas.capacity import capacity_strains
from ideas.models import Idea
from ideas.resource_text import ask_summary
from ideas.system_load import loads_from_links, threshold_flags

NOT_GIVEN = "Not given"


def resource_rows(idea: Idea) -> list[tuple[str, str]]:
    """(label, text) rows for the paper's business case: staff time, then partners and suppliers."""
    asks = [f"{ask.team.name if ask.team_id else 'Note'}: {ask_summary(ask)}" + (f". {ask.note}" if ask.note else "")
            for ask in idea.resource_asks.all()]
    partners = [f"{item}: " + (format_money(item.cost) if item.cost is not None else "cost not known")
                + (f". {item.note}" if item.note else "") for item in idea.external_resources.all()]
    return [("Staff time", "\n".join(asks) or NOT_GIVEN), ("Partners and suppliers", "\n".join(partners) or NOT_GIVEN)]


def capacity_flags(idea: Idea) -> list[str]:
    """One sentence per team quarter this idea would take over capacity if the Board approved it."""
    return [strain.text for strain in capacity_strains(idea_ids=[idea.pk]).get(idea.pk, [])]


def strains_by_idea(*, items, ideas) -> dict[int, list[str]]:
    """For the agenda builder: {idea id: flag sentences} for ideas on the agenda and ideas ready for it (4 queries)."""
    ids = {item.idea_id for item in items if item.idea_id} | {idea.pk for idea in ideas}
    return {pk: [s.text for s in strains] for pk, strains in capacity_strains(idea_ids=sorted(ids)).items()}


def system_load(idea: Idea, links) -> list:
    """For each central system the idea needs: its cost, other ideas' load and the total if approved (one query)."""
    return loads_from_links(idea=idea, links=list(links), user=None)


def system_flags_by_idea(*, items, ideas) -> dict[int, list[str]]:
    """For the agenda builder: {idea id: sentences} for ideas that would take a system over a threshold (2 queries)."""
    ids = {item.idea_id for item in items if item.idea_id} | {idea.pk for idea in ideas}
    return threshold_flags(idea_ids=sorted(ids))
