"""Hand tasks to Celery only after the transaction commits, and never lose them.

``enqueue(task_name, *args)`` writes an ``OutboxTask`` row inside the caller's
transaction. After commit it tries to publish at once, with a short timeout so
a broker outage never makes a user wait; anything not published is published
later by ``drain_outbox`` (a beat job). Tasks must be idempotent.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from .models import OutboxTask

log = logging.getLogger(__name__)


def enqueue(task_name: str, *args) -> OutboxTask:
    row = OutboxTask.objects.create(task_name=task_name, args=list(args))
    transaction.on_commit(lambda: _publish(row.pk))
    return row


def _publish(pk: int) -> bool:
    from harrow_innovation.celery import app

    # Claim the row so two publishers (web and drain) do not both send it.
    claimed = OutboxTask.objects.filter(pk=pk, dispatched_at__isnull=True).update(
        dispatched_at=timezone.now()
    )
    if not claimed:
        return False
    row = OutboxTask.objects.get(pk=pk)
    try:
        if app.conf.task_always_eager:
            app.tasks[row.task_name].apply(args=row.args, throw=True)
        else:
            app.send_task(row.task_name, args=row.args, retry=False)
    except Exception as exc:  # broker down or task failed in-process: try again later
        log.warning("Outbox task %s not published: %s", row.pk, exc)
        OutboxTask.objects.filter(pk=pk).update(
            dispatched_at=None, attempts=row.attempts + 1, last_error=str(exc)[:2000]
        )
        return False
    OutboxTask.objects.filter(pk=pk).update(attempts=row.attempts + 1, last_error="")
    return True


def drain(*, limit: int = 500) -> int:
    """Publish what is still pending. Returns how many were published."""
    pending = list(
        OutboxTask.objects.filter(dispatched_at__isnull=True).order_by("created_at").values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in pending if _publish(pk))
