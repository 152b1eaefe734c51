"""Events: apps publish what happened; the app that declared the event decides who hears.

An app declares each event it publishes, with the function that turns it into
notices, from its ``notices.py`` (called in ``AppConfig.ready``)::

    events.declare("board.decision_recorded", decision_recorded)

and publishes it with one call inside the transaction that made the change::

    notifications.publish("board.decision_recorded", decision_id=decision.pk)

The event travels through the task outbox (``harrow_innovation.core.outbox``):
it is handed to a worker only after the transaction commits, and is never lost
if the broker is down. The handler takes ids, is safe to run twice (each
notice has a unique delivery key) and returns how many people were told.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.utils import timezone

from harrow_innovation.core import outbox

from .services import Notice, notify

EVENTS: dict[str, Callable[..., int]] = {}


def declare(name: str, handler: Callable[..., int]) -> None:
    """Register ``handler(**ids) -> int`` for the event ``name`` (idempotent for the same handler)."""
    if EVENTS.get(name, handler) is not handler:
        raise ImproperlyConfigured(f"The event {name!r} is declared twice.")
    EVENTS[name] = handler


def publish(event: str, **ids: int) -> None:
    """Hand ``event`` to notifications once the caller's transaction commits (through the outbox).

    Call it inside the transaction that made the change: if that rolls back,
    nobody hears. An undeclared event is a programming error and fails at once.
    """
    if event not in EVENTS:
        raise ImproperlyConfigured(f"No app declared the event {event!r}.")
    outbox.enqueue("notifications.publish", event, ids)


def handle(event: str, ids: dict) -> int:
    """Run the handler of a published event (the ``notifications.publish`` task). Returns how many were told."""
    return EVENTS[event](**ids)


# --- Helpers for the apps' handlers ----------------------------------------------


def object_type(obj: Model) -> str:
    return obj._meta.label_lower


def day(value) -> object:
    return timezone.localdate(value) if value else timezone.localdate()


def tell(people: set[int], **notice) -> int:
    """One notice, the same for each of ``people``. Returns how many were told."""
    return len(notify([Notice(recipient_id=person, **notice) for person in people]))
