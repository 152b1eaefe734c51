"""The export's shared-system load columns: for each central system an idea needs, its cost, the load other
ideas the person may see already put on it, and the total if it were approved (``ideas.system_load``).

Two queries per chunk of ideas, whatever its size, and the same visibility as the pages.
"""

from __future__ import annotations

from harrow_innovation.core.money import format_money
from harrow_innovation.people.models import User
from ideas.system_load import SystemLoadLine, loads_for_ideas

HEADER = ["Load on its central systems if approved", "Over a central system's threshold if approved"]


def _line_text(line: SystemLoadLine) -> str:
    return (
        f"{line.name}: this idea {format_money(line.cost)}, approved {format_money(line.approved.integration)} "
        f"({line.approved.ideas}), in delivery {format_money(line.delivery.integration)} ({line.delivery.ideas}), "
        f"in the pipeline {format_money(line.pipeline.integration)} ({line.pipeline.ideas}); "
        f"if approved {format_money(line.total_if_approved)} and {line.projects_if_approved} at once"
    )


def load_cells(user: User, ids: list[int]) -> dict[int, list[str]]:
    """For each idea id: [its systems' load, one system a line; "Yes" or "No" for a threshold crossed]."""
    out = {}
    for idea_id, lines in loads_for_ideas(idea_ids=ids, user=user).items():
        over = [line.name for line in lines if line.over]
        out[idea_id] = ["\n".join(_line_text(line) for line in lines), f"Yes: {', '.join(over)}" if over else "No"]
    return out
