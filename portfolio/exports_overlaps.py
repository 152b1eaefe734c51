"""Overlaps as a spreadsheet: the ideas waiting for triage, each with the ideas it overlaps and why.

For the Board secretary (and admins, who stand in), as the triage view shows them
(``ideas.triage``: links owners made, then the kept overlaps of the combined lookup, with
their score and reasons), so a meeting can work from one list. Visibility is the reader's own: an overlap is only an idea they may see, never a
draft. Bounded whatever the data: at most ``LIMIT`` waiting ideas, longest waiting first,
found in a fixed number of queries (``ideas.triage.overlaps_by_idea``); the file says when
more were waiting, and when each idea's overlaps were worked out.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone

from harrow_innovation.people.models import User
from ideas import overlaps_kept, selectors, triage

LIMIT = 200

HEADER = [
    "Reference", "Title", "Stage", "Department", "Waiting since",
    "Overlapping idea", "Its title", "Its stage", "Its department", "Its owner", "Why", "Overlap score (0 to 1)",
    "Overlaps as of",
]


def _as_of(checked):
    """When overlaps were worked out, as a spreadsheet cell (local time, to the second); None if never."""
    return timezone.localtime(checked).replace(tzinfo=None, microsecond=0) if checked else None


def _department(idea) -> str:
    return idea.department.name if idea.department_id else ""


def overlap_rows(*, user: User) -> Iterator[list]:
    """One row per waiting idea and overlap (a waiting idea with none has one row saying so)."""
    waiting = list(
        selectors.ideas_needing_secretary(user=user).select_related("stage", "department")[: LIMIT + 1]
    )
    more = len(waiting) > LIMIT
    waiting = waiting[:LIMIT]
    found = triage.overlaps_by_idea(user=user, ideas=waiting)
    for idea in waiting:
        entered = idea.stage_entered_at
        mine = [idea.reference, idea.title, idea.stage.name, _department(idea),
                timezone.localtime(entered).date() if entered else None]
        overlaps = found.get(idea.pk, [])
        checked = found.checked_at.get(idea.pk)
        as_of = _as_of(checked)
        if not overlaps:
            why = "No overlap found" if checked else "Overlaps not yet worked out"
            yield [*mine, "", "", "", "", "", why, None, as_of]
        for overlap in overlaps:
            other = overlap.idea
            yield [
                *mine, other.reference, other.title, other.stage.name, _department(other), other.owner.full_name,
                "; ".join(overlap.reasons),
                round(overlap.score, 2) if overlap.score is not None else None,
                as_of,
            ]
    if more:
        yield [f"More than {LIMIT} ideas are waiting: these are the {LIMIT} waiting longest."] + [""] * (len(HEADER) - 1)


# --- The idea export's overlap columns -----------------------------------------------------------

IDEA_HEADER = ["Overlapping ideas (score 0 to 1, why)", "Overlaps as of"]


def overlap_cells(user: User, ids: list[int]) -> dict[int, list]:
    """For each idea id: [its kept overlaps the person may see, one a line; when they were worked out].

    Two queries per chunk of ideas, whatever its size (``ideas.overlaps_kept.kept_by_idea``). A draft's
    overlaps are not kept (only its owners see it, on its own pages); an idea not yet checked says so.
    """
    kept = overlaps_kept.kept_by_idea(user=user, ids=ids)
    out: dict[int, list] = {}
    for pk in ids:
        checked = kept.checked_at.get(pk)
        if checked is None:
            out[pk] = ["Not worked out yet", None]
            continue
        lines = [
            f"IDEA-{row.other_id:05d} ({row.score:.2f}): {'; '.join(row.reasons)}" for row in kept.rows.get(pk, [])
        ]
        out[pk] = ["\n".join(lines) or "None found", _as_of(checked)]
    return out
