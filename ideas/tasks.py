"""Follow-up work after ideas change. Each task takes ids and is safe to run twice.

Delivery (email, in-app notices) is done by the notifications app; these tasks
load what changed and hand it over.
"""

from __future__ import annotations

from celery import shared_task

from .models import Comment, Review, StageChange


@shared_task(name="ideas.stage_changed", acks_late=True)
def stage_changed(change_id: int) -> dict:
    change = StageChange.objects.select_related("idea", "to_stage").filter(pk=change_id).first()
    if change is None:
        return {"change": change_id, "status": "gone"}
    return {"change": change_id, "idea": change.idea_id, "stage": change.to_stage.slug}


@shared_task(name="ideas.review_assigned", acks_late=True)
def review_assigned(review_id: int) -> dict:
    review = Review.objects.filter(pk=review_id).first()
    return {"review": review_id, "status": review.status if review else "gone"}


@shared_task(name="ideas.review_submitted", acks_late=True)
def review_submitted(review_id: int) -> dict:
    review = Review.objects.filter(pk=review_id).first()
    return {"review": review_id, "status": review.status if review else "gone"}


@shared_task(name="ideas.comment_added", acks_late=True)
def comment_added(comment_id: int) -> dict:
    return {"comment": comment_id, "exists": Comment.objects.filter(pk=comment_id).exists()}
