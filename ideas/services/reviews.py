"""Reviews: assigning reviewers, cancelling, submitting scores and keeping the idea's score."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from harrow_innovation.core import outbox
from harrow_innovation.people.models import User
from harrow_innovation.people.roles import SECRETARY_WORK

from .. import permissions
from ..models import (
    Criterion,
    EventKind,
    Idea,
    Review,
    Score,
)
from .common import WorkflowError, _event, _lock, _own_idea_refused


@transaction.atomic
def review_assign(
    *, idea_id: int, reviewer: User, by: User, due_date=None, expected_stage_id: int | None = None
) -> Review:
    """Ask ``reviewer`` to review the idea at its current stage. ``expected_stage_id``: the stage the secretary saw."""
    idea = _lock(idea_id)
    if expected_stage_id is not None and idea.stage_id != expected_stage_id:
        raise WorkflowError(f"This idea has moved on to “{idea.stage.name}” since you opened the page. Nothing was changed.")
    if permissions.assigns_reviewers_but_owns(by, idea):
        raise WorkflowError(_own_idea_refused("assign reviewers to this idea", SECRETARY_WORK))
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
        raise WorkflowError(_own_idea_refused("change the reviewers of this idea", SECRETARY_WORK))
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
