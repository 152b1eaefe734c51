"""Overlaps as a spreadsheet: the ideas waiting for triage, each with the ideas it overlaps and why.

For the Board secretary (and admins, who stand in), as the triage view shows them
(``ideas.triage``: links owners made, then similar ideas), so a meeting can work from one
list. Visibility is the reader's own: an overlap is only an idea they may see, never a
draft. Bounded whatever the data: at most ``LIMIT`` waiting ideas, longest waiting first,
found in a fixed number of queries (``ideas.triage.overlaps_by_idea``); the file says when
more were waiting.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone

from harrow_innovation.people.models import User
from ideas import selectors, triage

LIMIT = 200

HEADER = [
    "Reference", "Title", "Stage", "Department", "Waiting since",
    "Overlapping idea", "Its title", "Its stage", "Its department", "Its owner", "Why", "Similarity (0 to 1)",
]


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
        if not overlaps:
            yield [*mine, "", "", "", "", "", "No overlap found", None]
        for overlap in overlaps:
            other = overlap.idea
            yield [
                *mine, other.reference, other.title, other.stage.name, _department(other), other.owner.full_name,
                "; ".join(overlap.reasons),
                round(overlap.similarity, 2) if overlap.similarity is not None else None,
            ]
    if more:
        yield [f"More than {LIMIT} ideas are waiting: these are the {LIMIT} waiting longest."] + [""] * (len(HEADER) - 1)
