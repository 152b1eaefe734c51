"""Celery tasks: a few lines each, taking ids, safe to run twice (``acks_late``).

Apps hand their events over with ``notifications.publish(...)``, which runs
``notifications.publish`` here after their transaction commits; the email sweep
and the digest run from beat. The apps' own scans are their own tasks.
"""

from __future__ import annotations

from celery import shared_task

from . import delivery, events


@shared_task(name="notifications.publish", acks_late=True)
def publish(event: str, ids: dict) -> int:
    return events.handle(event, ids)


@shared_task(name="notifications.send_pending", acks_late=True)
def send_pending() -> dict:
    return delivery.send_pending()


@shared_task(name="notifications.daily_digest", acks_late=True)
def daily_digest() -> dict:
    return delivery.digest_run()
