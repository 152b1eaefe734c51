"""What a Board paper says about the staff time and partners an idea needs, and the teams it would take
over capacity if approved (from ``ideas.capacity``: the same rule the capacity view uses)."""

from __future__ import annotations

from harrow_innovation.core.money import format_money
from ideas.capacity import capacity_strains
from ideas.models import Idea
from ideas.resource_text import ask_summary

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
