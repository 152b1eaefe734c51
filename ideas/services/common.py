"""The ideas error, the answers an idea needs before it is submitted, locking an idea, and the
checks every ideas service shares."""

from __future__ import annotations

from harrow_innovation.people.models import User

from .. import permissions
from ..models import (
    Idea,
    IdeaEvent,
)


class WorkflowError(Exception):
    """A change to an idea that is not allowed now. The message is for the user."""


# Answers an idea needs before it can leave its draft stage.
REQUIRED_ANSWERS = {
    "title": "Enter a title",
    "problem": "Describe the problem and who has it",
    "solution": "Describe the proposed solution",
    "source": "Say where the idea came from",
    "other_benefits": "Describe the expected benefits",
    "timescale": "Give a timescale",
    "risks": "Describe the risks",
    "future_proofing": "Say how the idea stays future-proof",
}


def missing_answers(idea: Idea) -> list[tuple[str, str]]:
    """(field, message) for each answer still needed before submission."""
    missing = [(field, message) for field, message in REQUIRED_ANSWERS.items() if not getattr(idea, field)]
    if not idea.departments.exists():
        missing.append(("departments", "Choose at least one department the idea serves"))
    if idea.one_off_cost is None and idea.recurring_cost is None:
        missing.append(("one_off_cost", "Enter the estimated costs (enter 0 if there are none)"))
    return missing


def timeline_add(*, idea: Idea, kind: str, actor: User | None, summary: str, detail: str = "") -> IdeaEvent:
    """Write a line in an idea's timeline (``kind`` is an ``EventKind``; the summary is cut to 300 characters).

    The one way anything, in ideas or in another app (board, portfolio), annotates an idea's timeline.
    """
    return IdeaEvent.objects.create(idea=idea, kind=kind, actor=actor, summary=summary[:300], detail=detail)


def _event(idea: Idea, kind: str, actor: User | None, summary: str, detail: str = "") -> IdeaEvent:
    return timeline_add(idea=idea, kind=kind, actor=actor, summary=summary, detail=detail)


def lock_idea(*, idea_id: int) -> Idea:
    """Lock the idea's row for this transaction and return it freshly read, with its stage and workflow.

    The one way other apps (board, portfolio) lock an idea. Raises ``Idea.DoesNotExist`` if it is gone.
    """
    # Lock the idea's row alone, then read it with its stage. Locked in one query with the joins,
    # PostgreSQL re-checks a row that changed while we waited against the stage row it joined first
    # and drops it: the loser of a race got DoesNotExist (a 500) instead of "already moved on".
    Idea.objects.select_for_update().filter(pk=idea_id).values_list("pk", flat=True).get()
    return Idea.objects.select_related("stage", "workflow").get(pk=idea_id)


def _lock(idea_id: int) -> Idea:
    return lock_idea(idea_id=idea_id)


def _own_idea_refused(doing: str, roles) -> str:
    return f"{permissions.own_idea_refusal(doing, roles)} Nothing was changed."


def _require_editable(idea: Idea, by: User) -> None:
    if not permissions.can_edit_idea(by, idea):
        if permissions.is_owner(by, idea):
            raise WorkflowError(f"This idea can no longer be changed: it is at “{idea.stage.name}”.")
        raise WorkflowError("Only the idea's owners can change it.")
