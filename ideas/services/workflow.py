"""Moving ideas through the workflow: which moves a person may make, and making them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

import notifications
from harrow_innovation.core import outbox
from harrow_innovation.people.models import User

from .. import overlaps_kept, permissions
from ..models import (
    DataDependency,
    DataOutput,
    EventKind,
    Guard,
    Idea,
    Review,
    StageChange,
    StageKind,
    Transition,
)
from .common import WorkflowError, _event, _lock, _own_idea_refused, missing_answers


@dataclass(frozen=True)
class TransitionOption:
    transition: Transition
    blocked_reason: str  # empty when the move can be taken now


def guard_failure(idea: Idea, transition: Transition) -> str:
    """Why ``transition`` cannot be taken now, or "" if it can."""
    if transition.guard == Guard.BUSINESS_CASE_COMPLETE:
        missing = missing_answers(idea)
        if missing:
            return "Some answers are still needed: " + "; ".join(message for _, message in missing) + "."
    elif transition.guard == Guard.REVIEWER_ASSIGNED:
        if not idea.reviews.filter(stage_id=idea.stage_id).exclude(status=Review.Status.CANCELLED).exists():
            return "Assign at least one reviewer first."
    elif transition.guard == Guard.ALL_REVIEWS_COMPLETE:
        reviews = idea.reviews.filter(stage_id=idea.stage_id).exclude(status=Review.Status.CANCELLED)
        if not reviews.exists():
            return "Assign at least one reviewer first."
        waiting = reviews.filter(status=Review.Status.ASSIGNED).count()
        if waiting:
            return f"{waiting} review{'s are' if waiting != 1 else ' is'} not complete yet."
    return ""


@dataclass(frozen=True)
class MoveOptions:
    offered: list[TransitionOption]
    withheld_as_owner: list[Transition]  # the user's role would allow them, but they own the idea


def move_options(*, idea: Idea, user: User) -> MoveOptions:
    """The moves ``user`` may take from the idea's current stage, and those withheld because they own it."""
    if idea.stage.is_final:
        return MoveOptions([], [])
    candidates = Transition.objects.filter(workflow_id=idea.workflow_id).select_related("target", "source")
    options, withheld = [], []
    for transition in candidates:
        if not transition.applies_from(idea.stage):
            continue
        if transition.outcome:
            continue  # Board decisions are recorded at a meeting, not from the idea page
        if permissions.withheld_as_owner(user, idea, transition):
            withheld.append(transition)
        if not permissions.can_take_transition(user, idea, transition):
            continue
        options.append(TransitionOption(transition, guard_failure(idea, transition)))
    return MoveOptions(options, withheld)


def transitions_for(*, idea: Idea, user: User) -> list[TransitionOption]:
    """The moves ``user`` may take from the idea's current stage, with any reason they are blocked now."""
    return move_options(idea=idea, user=user).offered


@transaction.atomic
def idea_move(
    *,
    idea_id: int,
    transition: Transition,
    by: User | None,
    comment: str = "",
    expected_stage_id: int | None = None,
    as_board_decision: bool = False,
) -> StageChange:
    """Move an idea along ``transition``.

    Locks the idea row, so of two people moving the same idea at once one
    succeeds and the other is told it has moved on. ``expected_stage_id`` is the
    stage the user saw (a stale page or a double click fails cleanly). ``by`` is
    None only when the system carries out a Board decision by itself (a parked
    idea's date has come); the move is then recorded as the system's.
    """
    if by is None and not as_board_decision:
        raise ValueError("Only a Board decision is carried out without a person.")
    idea = _lock(idea_id)
    if expected_stage_id is not None and idea.stage_id != expected_stage_id:
        raise WorkflowError(f"This idea has already moved on: it is now at “{idea.stage.name}”. Nothing was changed.")
    if idea.stage.is_final:
        raise WorkflowError(f"This idea is closed: it is at “{idea.stage.name}”. Nothing was changed.")
    if transition.workflow_id != idea.workflow_id or not transition.applies_from(idea.stage):
        raise WorkflowError(f"That move is not possible from “{idea.stage.name}”. Nothing was changed.")
    if transition.outcome and not as_board_decision:
        raise WorkflowError("Board decisions are recorded at a Board meeting.")
    if not as_board_decision and permissions.withheld_as_owner(by, idea, transition):
        raise WorkflowError(_own_idea_refused(f"take the step “{transition.label}” on this idea", transition.allowed_roles))
    if not as_board_decision and not permissions.can_take_transition(by, idea, transition):
        raise WorkflowError("You are not allowed to make that move.")
    blocked = guard_failure(idea, transition)
    if blocked:
        raise WorkflowError(blocked)
    comment = comment.strip()
    if transition.comment_required and not comment:
        raise WorkflowError("Enter a comment to explain this move.")
    source = idea.stage
    now = timezone.now()
    idea.stage = transition.target
    idea.stage_entered_at = now
    update = ["stage", "stage_entered_at", "updated_at"]
    if source.is_draft and idea.submitted_at is None:
        idea.submitted_at = now
        update.append("submitted_at")
    if transition.target.kind != StageKind.DECISION and idea.parked_until:
        idea.parked_until = None
        update.append("parked_until")
    idea._change_reason = f"Moved to {transition.target.name}"[:100]
    idea.save(update_fields=update)
    # Reviews still waiting in the stage being left no longer apply; their history says why.
    waiting = list(Review.objects.filter(idea=idea, stage=source, status=Review.Status.ASSIGNED))
    for review in waiting:
        review.status = Review.Status.CANCELLED
    if waiting:
        bulk_update_with_history(
            waiting, Review, ["status"], default_user=by, default_date=now,
            default_change_reason=f"Idea moved to {transition.target.name}"[:100],
        )
    change = StageChange.objects.create(
        idea=idea, transition=transition, from_stage=source, to_stage=transition.target, by=by, at=now, comment=comment
    )
    _event(idea, EventKind.MOVED, by, f"{change.by_name}: {transition.label} ({source.name} → {transition.target.name})",
           comment)
    outbox.enqueue("ideas.stage_changed", change.pk)
    if source.is_draft != transition.target.is_draft:
        # Submitted: its overlaps are worked out for triage; back to a draft: the kept ones go.
        outbox.enqueue(overlaps_kept.TASK, idea.pk)
    if source.is_draft and DataOutput.valued_by.through.objects.filter(dataoutput__idea_id=idea.pk).exists():
        # Data contacts hear of it only when some department values its data: no task for the rest.
        notifications.publish("ideas.data_valued", idea_id=idea.pk)
    if source.is_draft and DataDependency.objects.filter(idea_id=idea.pk).exists():
        # The owners of the data it depends on hear of it once it is submitted.
        notifications.publish("ideas.data_needed", idea_id=idea.pk)
    return change


@transaction.atomic
def idea_submit(*, idea_id: int, by: User) -> StageChange:
    """Take the owner's first move out of the draft stage."""
    idea = Idea.objects.select_related("stage").get(pk=idea_id)
    transition = (
        Transition.objects.filter(workflow_id=idea.workflow_id, source=idea.stage, owners_may_take=True, outcome="")
        .exclude(target__kind=StageKind.CLOSED)
        .order_by("order", "pk")
        .first()
    )
    if transition is None:
        raise WorkflowError("This idea has already been submitted.")
    return idea_move(idea_id=idea_id, transition=transition, by=by, expected_stage_id=idea.stage_id)
