"""Follow-up work after ideas change, and the ideas app's periodic scans. Each task takes ids and is safe to run twice.

``ideas.notices`` decides who hears about a change, and ``notifications``
delivers; a task run twice tells nobody twice (each notice has a unique key in
the database). The return values describe what changed, the same on every run.
"""

from __future__ import annotations

from celery import shared_task

from . import notices, overlaps_kept, reminders
from .models import Comment, Review, StageChange


@shared_task(name="ideas.stage_changed", acks_late=True)
def stage_changed(change_id: int) -> dict:
    change = StageChange.objects.select_related("to_stage").filter(pk=change_id).first()
    if change is None:
        return {"change": change_id, "status": "gone"}
    notices.stage_changed(change_id=change_id)
    return {"change": change_id, "idea": change.idea_id, "stage": change.to_stage.slug}


@shared_task(name="ideas.review_assigned", acks_late=True)
def review_assigned(review_id: int) -> dict:
    review = Review.objects.filter(pk=review_id).first()
    if review is not None:
        notices.review_assigned(review_id=review_id)
    return {"review": review_id, "status": review.status if review else "gone"}


@shared_task(name="ideas.review_submitted", acks_late=True)
def review_submitted(review_id: int) -> dict:
    review = Review.objects.filter(pk=review_id).first()
    if review is not None:
        notices.review_submitted(review_id=review_id)
    return {"review": review_id, "status": review.status if review else "gone"}


@shared_task(name="ideas.comment_added", acks_late=True)
def comment_added(comment_id: int) -> dict:
    exists = Comment.objects.filter(pk=comment_id).exists()
    if exists:
        notices.comment_added(comment_id=comment_id)
    return {"comment": comment_id, "exists": exists}


@shared_task(name="ideas.refresh_overlaps", acks_late=True)
def refresh_overlaps(idea_id: int, tell_others: bool = True) -> dict:
    return overlaps_kept.refresh(idea_id, tell_others=tell_others)


@shared_task(name="ideas.refresh_overlaps_of", acks_late=True)
def refresh_overlaps_of(idea_ids: list[int]) -> int:
    for pk in idea_ids:
        overlaps_kept.refresh(pk)
    return len(idea_ids)


@shared_task(name="ideas.refresh_stale_overlaps", acks_late=True)
def refresh_stale_overlaps() -> int:
    return overlaps_kept.refresh_stale()


# The scans' names predate their move from the notifications app: beat rows in existing databases name them.


@shared_task(name="notifications.scan_overdue_reviews", acks_late=True)
def scan_overdue_reviews() -> int:
    return reminders.scan_overdue_reviews()


@shared_task(name="notifications.scan_stalled_ideas", acks_late=True)
def scan_stalled_ideas() -> int:
    return reminders.scan_stalled_ideas()
