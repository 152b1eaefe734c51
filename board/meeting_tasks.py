"""Celery tasks for Board meetings (agenda-pack tasks live in board.tasks).

Loaded by BoardConfig.ready(), so workers register them with the rest.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="board.return_parked_ideas", acks_late=True)
def return_parked_ideas() -> dict:
    """Beat job: parked ideas whose date has come go back to the Board's list. Safe to run twice."""
    from django.utils import timezone

    from .services import parked_ideas_return

    moved = parked_ideas_return(today=timezone.localdate())
    return {"returned": moved}
