"""Notifications: delivers (email, in-app, daily digest), deduplicates and schedules; knows no other app.

Apps declare their notice kinds, events and periodic jobs from their own
``notices.py`` and publish events with ``notifications.publish(...)``.
"""


def publish(event: str, **ids: int) -> None:
    """Hand a declared event to notifications after the caller's transaction commits (see ``events.publish``)."""
    from .events import publish as publish_event  # models are not loaded when Django imports this package

    publish_event(event, **ids)
