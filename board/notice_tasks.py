"""Celery tasks for the board's notices and reminder scans. Each takes ids and is safe to run twice.

Loaded by BoardConfig.ready(), so workers register them with the rest. Their
names predate the move of this work from the notifications app and are kept:
beat rows and outbox rows in existing databases name them. New events travel
as ``notifications.publish`` (see ``board.notices``).
"""

from __future__ import annotations

from celery import shared_task

from . import notices, reminders


@shared_task(name="notifications.agenda_published", acks_late=True)
def agenda_published(meeting_id: int) -> int:
    return notices.agenda_published(meeting_id=meeting_id)


@shared_task(name="notifications.pack_ready", acks_late=True)
def pack_ready(pack_id: int) -> int:
    return notices.pack_ready(pack_id=pack_id)


@shared_task(name="notifications.ideas_on_agenda", acks_late=True)
def ideas_on_agenda(meeting_id: int) -> int:
    return notices.ideas_on_agenda(meeting_id=meeting_id)


@shared_task(name="notifications.action_assigned", acks_late=True)
def action_assigned(action_id: int) -> int:
    return notices.action_assigned(action_id=action_id)


@shared_task(name="notifications.decision_recorded", acks_late=True)
def decision_recorded(decision_id: int) -> int:
    return notices.decision_recorded(decision_id=decision_id)


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
