"""Every write to ideas goes through these functions.

State changes lock the idea row, check the state they expect, write the change
and a timeline event, and hand follow-up tasks to Celery only after commit
(through the outbox, so a broker outage loses nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from harrow_innovation.core import outbox
from harrow_innovation.people.models import Department, User

from . import permissions
from .attachments import AttachmentError, inspect_upload
from .models import (
    Attachment,
    CentralSystem,
    Comment,
    Criterion,
    DataOutput,
    EventKind,
    Follow,
    Guard,
    Idea,
    IdeaCentralSystem,
    IdeaEvent,
    Review,
    Score,
    Stage,
    StageChange,
    StageKind,
    Transition,
    Workflow,
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


def _event(idea: Idea, kind: str, actor: User | None, summary: str, detail: str = "") -> IdeaEvent:
    return IdeaEvent.objects.create(idea=idea, kind=kind, actor=actor, summary=summary[:300], detail=detail)


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


# --- Drafting -----------------------------------------------------------------


@transaction.atomic
def idea_create(*, by: User, title: str, problem: str = "", workflow: Workflow | None = None) -> Idea:
    """Start a draft idea owned by ``by``."""
    workflow = workflow or Workflow.objects.get(is_default=True)
    stage = workflow.initial_stage()
    idea = Idea.objects.create(
        title=title.strip(),
        problem=problem.strip(),
        owner=by,
        department=by.department,
        workflow=workflow,
        stage=stage,
    )
    if by.department_id:
        idea.departments.add(by.department_id)
    _event(idea, EventKind.CREATED, by, f"{by} started a draft")
    return idea


EDITABLE_FIELDS = {
    "title", "problem", "solution", "services", "source", "source_detail", "cash_savings_per_year",
    "other_benefits", "one_off_cost", "recurring_cost", "timescale", "start_date", "end_date", "risks",
    "future_proofing", "resources_internal", "resources_external", "is_confidential",
}


@transaction.atomic
def idea_update(*, idea_id: int, by: User, departments: list[Department] | None = None, **changes) -> Idea:
    """Change an idea's answers. Records which answers changed in the timeline."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    idea = _lock(idea_id)
    _require_editable(idea, by)
    changed = [f for f, value in changes.items() if getattr(idea, f) != value]
    for field in changed:
        setattr(idea, field, changes[field])
    start, end = idea.start_date, idea.end_date
    if start and end and end < start:
        raise WorkflowError("The end date must be the same as or after the start date.")
    if changed:
        idea._change_reason = ("Edited " + ", ".join(changed))[:100]
        idea.save()
    if departments is not None:
        before = set(idea.departments.values_list("pk", flat=True))
        after = {d.pk for d in departments}
        if before != after:
            idea.departments.set(departments)
            changed.append("departments")
    if changed and not idea.stage.is_draft:
        labels = ", ".join(Idea._meta.get_field(f).verbose_name for f in changed)
        _event(idea, EventKind.EDITED, by, f"{by} changed {labels}")
    return idea


def _refresh_integration_cost(idea: Idea) -> None:
    total = idea.system_links.aggregate(total=Sum("integration_cost"))["total"] or Decimal("0")
    Idea.objects.filter(pk=idea.pk).update(integration_cost=total)


@transaction.atomic
def system_link_set(
    *, idea_id: int, by: User, system: CentralSystem, integration_note: str, integration_cost: Decimal
) -> IdeaCentralSystem:
    """Add a central system to an idea, or update its note and cost."""
    idea = _lock(idea_id)
    _require_editable(idea, by)
    if integration_cost is None or integration_cost < 0:
        raise WorkflowError("Enter an integration cost of £0 or more.")
    link, created = IdeaCentralSystem.objects.update_or_create(
        idea=idea, system=system, defaults={"integration_note": integration_note, "integration_cost": integration_cost}
    )
    _refresh_integration_cost(idea)
    if not idea.stage.is_draft:
        _event(idea, EventKind.EDITED, by, f"{by} {'added' if created else 'changed'} central system {system}")
    return link


@transaction.atomic
def system_link_remove(*, idea_id: int, by: User, link_id: int) -> None:
    idea = _lock(idea_id)
    _require_editable(idea, by)
    deleted, _ = IdeaCentralSystem.objects.filter(idea=idea, pk=link_id).delete()
    if deleted:
        _refresh_integration_cost(idea)


@transaction.atomic
def data_output_add(*, idea_id: int, by: User, description: str, valued_by: list[Department]) -> DataOutput:
    idea = _lock(idea_id)
    _require_editable(idea, by)
    output = DataOutput.objects.create(idea=idea, description=description.strip())
    output.valued_by.set(valued_by)
    return output


@transaction.atomic
def data_output_remove(*, idea_id: int, by: User, output_id: int) -> None:
    idea = _lock(idea_id)
    _require_editable(idea, by)
    DataOutput.objects.filter(idea=idea, pk=output_id).delete()


@transaction.atomic
def co_owner_add(*, idea_id: int, by: User, user: User) -> None:
    idea = _lock(idea_id)
    _require_editable(idea, by)
    if user.pk == idea.owner_id:
        raise WorkflowError(f"{user} already owns this idea.")
    if not user.is_active:
        raise WorkflowError(f"{user}'s account is closed.")
    idea.co_owners.add(user)
    _event(idea, EventKind.EDITED, by, f"{by} added {user} as a co-owner")


@transaction.atomic
def co_owner_remove(*, idea_id: int, by: User, user: User) -> None:
    idea = _lock(idea_id)
    _require_editable(idea, by)
    idea.co_owners.remove(user)
    _event(idea, EventKind.EDITED, by, f"{by} removed {user} as a co-owner")


@transaction.atomic
def attachment_add(*, idea_id: int, by: User, upload) -> Attachment:
    """Store an upload after checking its real type by content and its size."""
    idea = _lock(idea_id)
    _require_editable(idea, by)
    try:
        kind = inspect_upload(upload)
    except AttachmentError as exc:
        raise WorkflowError(str(exc)) from None
    original = (upload.name or "attachment").replace("/", "_").replace("\\", "_")[-200:]
    attachment = Attachment(idea=idea, original_name=original, kind=kind, size=upload.size, uploaded_by=by)
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    _event(idea, EventKind.ATTACHMENT, by, f"{by} attached {original}")
    return attachment


@transaction.atomic
def attachment_remove(*, idea_id: int, by: User, attachment_id: int) -> None:
    """Hide an attachment from the idea. The file is kept for the history."""
    idea = _lock(idea_id)
    _require_editable(idea, by)
    updated = Attachment.objects.filter(idea=idea, pk=attachment_id, is_removed=False).update(is_removed=True)
    if updated:
        _event(idea, EventKind.ATTACHMENT, by, f"{by} removed an attachment")


# --- Moving through the workflow ----------------------------------------------


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


# --- Reviews ------------------------------------------------------------------


@transaction.atomic
def review_assign(
    *, idea_id: int, reviewer: User, by: User, due_date=None, expected_stage_id: int | None = None
) -> Review:
    """Ask ``reviewer`` to review the idea at its current stage. ``expected_stage_id``: the stage the secretary saw."""
    idea = _lock(idea_id)
    if expected_stage_id is not None and idea.stage_id != expected_stage_id:
        raise WorkflowError(f"This idea has moved on to “{idea.stage.name}” since you opened the page. Nothing was changed.")
    if permissions.assigns_reviewers_but_owns(by, idea):
        raise WorkflowError(_own_idea_refused("assign reviewers to this idea", permissions.SECRETARY_WORK))
    if not permissions.can_assign_reviewers(by, idea):
        raise WorkflowError("Only the Board secretary can assign reviewers.")
    if idea.stage.is_final:
        raise WorkflowError("This idea is closed.")
    if due_date and due_date < timezone.localdate():
        raise WorkflowError("The due date must be today or in the future.")
    role = permissions.reviewer_role_for(idea.stage)
    if not reviewer.has_role(role):
        raise WorkflowError(f"{reviewer} is not a {role.replace('_', ' ')}.")
    if permissions.is_owner(reviewer, idea):
        raise WorkflowError(f"{reviewer} owns this idea and cannot review it.")
    existing = Review.objects.filter(idea=idea, stage=idea.stage, reviewer=reviewer).first()
    if existing and existing.status != Review.Status.CANCELLED:
        raise WorkflowError(f"{reviewer} is already reviewing this idea.")
    if existing:
        existing.status = Review.Status.ASSIGNED
        existing.assigned_by = by
        existing.assigned_at = timezone.now()
        existing.due_date = due_date
        existing.save(update_fields=["status", "assigned_by", "assigned_at", "due_date"])
        review = existing
    else:
        try:
            with transaction.atomic():
                review = Review.objects.create(idea=idea, stage=idea.stage, reviewer=reviewer, assigned_by=by, due_date=due_date)
        except IntegrityError:
            raise WorkflowError(f"{reviewer} is already reviewing this idea.") from None
    _event(idea, EventKind.REVIEW_ASSIGNED, by, f"{by} asked {reviewer} to review it ({idea.stage.name})")
    outbox.enqueue("ideas.review_assigned", review.pk)
    return review


@transaction.atomic
def review_cancel(*, review_id: int, by: User) -> None:
    # Lock the idea before the review, in the same order as idea_move, so the two never deadlock.
    _lock(Review.objects.values_list("idea_id", flat=True).get(pk=review_id))
    review = Review.objects.select_for_update(of=("self",)).select_related("idea__stage").get(pk=review_id)
    if permissions.assigns_reviewers_but_owns(by, review.idea):
        raise WorkflowError(_own_idea_refused("change the reviewers of this idea", permissions.SECRETARY_WORK))
    if not permissions.can_assign_reviewers(by, review.idea):
        raise WorkflowError("Only the Board secretary can change reviewers.")
    if review.status != Review.Status.ASSIGNED:
        raise WorkflowError("That review is already complete or cancelled.")
    review.status = Review.Status.CANCELLED
    review.save(update_fields=["status"])
    _event(review.idea, EventKind.REVIEW_ASSIGNED, by, f"{by} withdrew the review request to {review.reviewer}")


def weighted_total(scores: list[tuple[int, int]]) -> Decimal:
    """Weighted mean of (score, weight) pairs on the 1–5 scale, to 2 decimal places."""
    total_weight = sum(weight for _, weight in scores)
    if not total_weight:
        return Decimal("0")
    value = Decimal(sum(score * weight for score, weight in scores)) / Decimal(total_weight)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _refresh_idea_score(idea: Idea) -> None:
    done = list(
        Review.objects.filter(idea=idea, status=Review.Status.SUBMITTED).values_list("weighted_score", flat=True)
    )
    score = (sum(done) / len(done)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if done else None
    Idea.objects.filter(pk=idea.pk).update(weighted_score=score, review_count=len(done))


@transaction.atomic
def review_submit(
    *, review_id: int, by: User, scores: dict[int, int], recommendation: str, comment: str
) -> Review:
    """Record a reviewer's scores (criterion id → 1..5), recommendation and comment."""
    # Idea first, then review (idea_move's order): no deadlock, and concurrent submissions
    # for one idea each see the other's score when the idea's mean is recomputed.
    _lock(Review.objects.values_list("idea_id", flat=True).get(pk=review_id))
    review = Review.objects.select_for_update(of=("self",)).select_related("idea", "stage").get(pk=review_id)
    if review.reviewer_id != by.pk:
        raise WorkflowError("This review is assigned to someone else.")
    if permissions.is_owner(by, review.idea):
        raise WorkflowError(_own_idea_refused("review this idea", [permissions.reviewer_role_for(review.stage)]))
    if review.status == Review.Status.SUBMITTED:
        raise WorkflowError("You have already submitted this review.")
    if review.status == Review.Status.CANCELLED:
        raise WorkflowError("This review is no longer needed: the idea has moved on.")
    criteria = list(Criterion.objects.filter(is_active=True))
    missing = [c.name for c in criteria if c.pk not in scores]
    if missing:
        raise WorkflowError("Score every criterion: " + ", ".join(missing) + ".")
    if any(not (1 <= int(scores[c.pk]) <= 5) for c in criteria):
        raise WorkflowError("Scores must be whole numbers from 1 to 5.")
    if not recommendation:
        raise WorkflowError("Choose a recommendation.")
    Score.objects.bulk_create(
        [Score(review=review, criterion=c, score=int(scores[c.pk]), weight=c.weight) for c in criteria]
    )
    review.weighted_score = weighted_total([(int(scores[c.pk]), c.weight) for c in criteria])
    review.recommendation = recommendation
    review.comment = comment.strip()
    review.status = Review.Status.SUBMITTED
    review.submitted_at = timezone.now()
    review.save(update_fields=["weighted_score", "recommendation", "comment", "status", "submitted_at"])
    _refresh_idea_score(review.idea)
    _event(
        review.idea,
        EventKind.REVIEWED,
        by,
        f"{by} reviewed it: {review.weighted_score} out of 5, “{review.get_recommendation_display()}”",
        review.comment,
    )
    outbox.enqueue("ideas.review_submitted", review.pk)
    return review


# --- Conversation -------------------------------------------------------------


@transaction.atomic
def comment_add(*, idea_id: int, by: User, body: str) -> Comment:
    idea = Idea.objects.select_related("stage").get(pk=idea_id)
    if not permissions.can_comment(by, idea):
        raise WorkflowError("You cannot comment on this idea.")
    body = body.strip()
    if not body:
        raise WorkflowError("Enter a comment.")
    comment = Comment.objects.create(idea=idea, author=by, body=body)
    _event(idea, EventKind.COMMENTED, by, f"{by} commented", body)
    outbox.enqueue("ideas.comment_added", comment.pk)
    return comment


@transaction.atomic
def follow_set(*, idea_id: int, by: User, following: bool) -> bool:
    idea = Idea.objects.select_related("stage").get(pk=idea_id)
    if following:
        if not permissions.can_follow(by, idea):
            raise WorkflowError("You cannot follow this idea.")
        Follow.objects.get_or_create(idea=idea, user=by)
    else:
        Follow.objects.filter(idea=idea, user=by).delete()
    return following


def stage_in_use(stage: Stage) -> bool:
    return Idea.objects.filter(stage=stage).exists()
