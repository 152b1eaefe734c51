"""Hand tasks to Celery only after the transaction commits, and never lose them.

``enqueue(task_name, *args)`` writes an ``OutboxTask`` row inside the caller's
transaction. After commit it tries to publish at once, with a short timeout so
a broker outage never makes a user wait; anything not published is published
later by ``drain_outbox`` (a beat job). Tasks must be idempotent.

Delivery is at least once, and tasks make it exactly once in effect:

* A publisher holds the row's lock (``SELECT … FOR UPDATE SKIP LOCKED``) from
  before it sends until it records the send, so the web process and any number
  of drains never publish one row at the same time; a publisher that dies
  mid-send leaves the row pending (its transaction rolls back) for the next
  drain. Only a crash between the broker accepting the message and the commit
  can publish a row twice, and the tasks are idempotent.
* Publishing uses its own connection: one attempt, short socket timeouts, no
  retries, and no result-backend subscription (nothing reads these results).
  Celery's defaults would retry for seconds and, with the Redis result backend,
  block a request for about 20 s when Redis is down. After a failure this
  process leaves new rows to the drain for a short while instead of paying the
  timeout on every request.

Bookkeeping (settings ``OUTBOX_MAX_ATTEMPTS``, ``OUTBOX_RETENTION_DAYS``):

* In-process mode (no broker: tasks run eagerly) a failing task is the task's
  fault, not the broker's: after ``OUTBOX_MAX_ATTEMPTS`` tries the row is marked
  failed and left for an admin to retry (Django admin), instead of running every
  minute for ever. A broker outage never fails a row: the row waits, as before.
* Delivered rows are deleted ``OUTBOX_RETENTION_DAYS`` after delivery by
  ``prune()`` (the daily ``core.prune_outbox`` job); waiting and failed rows stay.
"""

from __future__ import annotations

import logging
import time
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import OutboxTask

log = logging.getLogger(__name__)

PUBLISH_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 1, "socket_timeout": 2}
BROKER_BACKOFF_SECONDS = 15.0
_broker_down_until = 0.0  # monotonic time before which requests leave publishing to the drain


class BrokerUnavailable(Exception):
    """The broker did not take a message; the row stays pending for the drain."""


def enqueue(task_name: str, *args) -> OutboxTask:
    row = OutboxTask.objects.create(task_name=task_name, args=list(args))
    transaction.on_commit(lambda: _publish_after_commit(row.pk), robust=True)
    return row


def _publish_after_commit(pk: int) -> None:
    if time.monotonic() < _broker_down_until:
        return  # the broker failed moments ago: drain_outbox will publish this row
    try:
        _publish(pk)
    except BrokerUnavailable:
        pass  # recorded on the row; drain_outbox publishes it once the broker is back


def _connection():
    from harrow_innovation.celery import app

    return app.connection_for_write(transport_options=PUBLISH_TRANSPORT_OPTIONS)


def _publish(pk: int, connection=None) -> bool:
    """Publish one pending row. True if this call published it; raises BrokerUnavailable if the broker is down."""
    global _broker_down_until
    from harrow_innovation.celery import app

    broker_down = False
    with transaction.atomic():
        row = OutboxTask.objects.select_for_update(skip_locked=True).filter(
            pk=pk, dispatched_at__isnull=True, failed_at__isnull=True
        ).first()
        if row is None:
            return False  # already published or given up, or another publisher holds it right now
        row.attempts += 1
        try:
            if app.conf.task_always_eager:
                # Outside a worker nothing imports the apps' tasks modules: autodiscover them first.
                app.loader.import_default_modules()
                with transaction.atomic():  # a failing task's writes roll back; the row's bookkeeping stays
                    app.tasks[row.task_name].apply(args=row.args, throw=True)
            else:
                with nullcontext(connection) if connection is not None else _connection() as conn:
                    app.send_task(row.task_name, args=row.args, retry=False, ignore_result=True, connection=conn)
        except Exception as exc:  # broker down, or the task failed in-process: try again later
            log.warning("Outbox task %s not published: %s", row.pk, exc)
            row.last_error = str(exc)[:2000]
            broker_down = not app.conf.task_always_eager
            if not broker_down and row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                row.failed_at = timezone.now()
                log.error("Outbox task %s (%s) failed %s times: given up until an admin retries it",
                          row.pk, row.task_name, row.attempts)
            row.save(update_fields=["attempts", "last_error", "failed_at"])
            if not broker_down:
                return False  # the task failed: not published
        else:
            row.dispatched_at = timezone.now()
            row.last_error = ""
            row.save(update_fields=["attempts", "last_error", "dispatched_at"])
    if broker_down:
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        raise BrokerUnavailable(row.last_error)
    return True


def drain(*, limit: int = 500) -> int:
    """Publish what is still pending, oldest first. Returns how many were published.

    Stops at the first broker failure: the rest wait for the next run.
    """
    from harrow_innovation.celery import app

    pending = list(
        OutboxTask.objects.filter(dispatched_at__isnull=True, failed_at__isnull=True)
        .order_by("created_at", "pk").values_list("pk", flat=True)[:limit]
    )
    if not pending:
        return 0
    published = 0
    try:
        if app.conf.task_always_eager:
            return sum(1 for pk in pending if _publish(pk))
        with _connection() as conn:  # one connection for the whole batch
            for pk in pending:
                published += _publish(pk, connection=conn)
    except BrokerUnavailable:
        log.warning("Broker unavailable: %s outbox task(s) left for the next drain", len(pending) - published)
    return published


def prune(*, now=None) -> int:
    """Delete rows delivered more than ``OUTBOX_RETENTION_DAYS`` ago. Returns how many. Safe to run twice."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    deleted, _ = OutboxTask.objects.filter(dispatched_at__lt=cutoff).delete()
    return deleted


def retry_failed(pks) -> list[int]:
    """Give failed rows a fresh set of attempts and try each once now. Returns those that had failed.

    A row that fails again waits for the drain, which gives it ``OUTBOX_MAX_ATTEMPTS`` more tries.
    (Publishing at once, not after commit: the rows' work was committed long ago.)
    """
    with transaction.atomic():
        rows = list(
            OutboxTask.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(pks), failed_at__isnull=False, dispatched_at__isnull=True).values_list("pk", flat=True)
        )
        OutboxTask.objects.filter(pk__in=rows).update(failed_at=None, attempts=0)
    try:
        for pk in rows:
            _publish(pk)
    except BrokerUnavailable:
        pass  # the rest wait for the drain
    return rows
