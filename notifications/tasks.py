"""Celery tasks: a few lines each, taking ids, safe to run twice (``acks_late``).

Board code hands its events over with ``outbox.enqueue("notifications.<name>", id)``
after its transaction commits; the scans and the digest run from beat.
"""

from __future__ import annotations

from celery import shared_task

from . import delivery, events, reminders


@shared_task(name="notifications.agenda_published", acks_late=True)
def agenda_published(meeting_id: int) -> int:
    return events.agenda_published(meeting_id=meeting_id)


@shared_task(name="notifications.pack_ready", acks_late=True)
def pack_ready(pack_id: int) -> int:
    return events.pack_ready(pack_id=pack_id)


@shared_task(name="notifications.ideas_on_agenda", acks_late=True)
def ideas_on_agenda(meeting_id: int) -> int:
    return events.ideas_on_agenda(meeting_id=meeting_id)


@shared_task(name="notifications.action_assigned", acks_late=True)
def action_assigned(action_id: int) -> int:
    return events.action_assigned(action_id=action_id)


@shared_task(name="notifications.decision_recorded", acks_late=True)
def decision_recorded(decision_id: int) -> int:
    return events.decision_recorded(decision_id=decision_id)


@shared_task(name="notifications.send_emails", acks_late=True)
def send_emails(notification_ids: list[int]) -> dict:
    return delivery.send_notification_emails(notification_ids)


@shared_task(name="notifications.send_pending", acks_late=True)
def send_pending() -> dict:
    return delivery.send_pending()


@shared_task(name="notifications.daily_digest", acks_late=True)
def daily_digest() -> dict:
    return delivery.digest_run()


@shared_task(name="notifications.scan_overdue_reviews", acks_late=True)
def scan_overdue_reviews() -> int:
    return reminders.scan_overdue_reviews()


@shared_task(name="notifications.scan_stalled_ideas", acks_late=True)
def scan_stalled_ideas() -> int:
    return reminders.scan_stalled_ideas()


@shared_task(name="notifications.scan_parked_ideas", acks_late=True)
def scan_parked_ideas() -> int:
    return reminders.scan_parked_ideas()


@shared_task(name="notifications.scan_meetings", acks_late=True)
def scan_meetings() -> int:
    return reminders.scan_meetings()


@shared_task(name="notifications.scan_actions", acks_late=True)
def scan_actions() -> int:
    return reminders.scan_actions()


@shared_task(name="notifications.scan_board_events", acks_late=True)
def scan_board_events() -> int:
    return reminders.scan_board_events()
