"""Every write to notifications goes through these functions (and ``delivery`` for email).

``notify`` is the one way in: the apps' event handlers and scans describe what happened as
``Notice`` values and hand them over in bulk. Each notice is issued at most once
per (kind, recipient, object, due date): the key is claimed with a bulk
INSERT … ON CONFLICT DO NOTHING against a unique constraint, so reruns, retries
and two beat processes racing each other cannot issue it twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .kinds import KINDS, channel_for, is_fixed
from .models import Channel, DeliveryKey, EmailStatus, Notification, Preference

CHUNK = 2000  # notices handled per transaction: bounds memory whatever the run's size


class NotificationError(Exception):
    """A change to notifications that is not allowed. The message is for the user."""


@dataclass(frozen=True)
class Notice:
    """One thing to tell one person. (kind, recipient, object, due date) identifies it."""

    kind: str
    recipient_id: int
    object_type: str
    object_id: int
    due_date: date
    title: str
    url: str
    body: str = ""

    @property
    def key(self) -> tuple:
        return (self.kind, self.recipient_id, self.object_type, self.object_id, self.due_date)


def chunked(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def notify(notices: Iterable[Notice], *, send: bool = True) -> list[int]:
    """Record each notice once and email the ones wanted now (after commit). Returns new notification ids.

    Deactivated people get nothing. The queries per chunk are fixed, whatever
    the number of notices per person.
    """
    wanted: dict[tuple, Notice] = {}
    for notice in notices:
        wanted.setdefault(notice.key, notice)
    created: list[int] = []
    # Keys are claimed in one order everywhere, so two runs inserting the same keys
    # wait for each other instead of deadlocking.
    for batch in chunked((wanted[key] for key in sorted(wanted)), CHUNK):
        created += _notify_chunk(batch, send=send)
    return created


def _notify_chunk(notices: list[Notice], *, send: bool) -> list[int]:
    recipient_ids = {n.recipient_id for n in notices}
    emails = dict(get_user_model().objects.filter(pk__in=recipient_ids, is_active=True).values_list("pk", "email"))
    notices = [n for n in notices if n.recipient_id in emails]
    if not notices:
        return []
    chosen = {
        (user_id, kind): channel
        for user_id, kind, channel in Preference.objects.filter(
            user_id__in=emails, kind__in={n.kind for n in notices}
        ).values_list("user_id", "kind", "channel")
    }
    by_key = {n.key: n for n in notices}
    run = uuid.uuid4()
    now = timezone.now()
    with transaction.atomic():
        DeliveryKey.objects.bulk_create(
            [
                DeliveryKey(kind=n.kind, recipient_id=n.recipient_id, object_type=n.object_type, object_id=n.object_id,
                            due_date=n.due_date, created_at=now, run=run)
                for n in notices
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        won = DeliveryKey.objects.filter(run=run).order_by("pk").values_list(
            "pk", "kind", "recipient_id", "object_type", "object_id", "due_date"
        )
        rows = []
        for pk, *key in won:
            notice = by_key[tuple(key)]
            channel = channel_for(notice.kind, chosen.get((notice.recipient_id, notice.kind)))
            status, error = EmailStatus.PENDING, ""
            if channel == Channel.OFF:
                status, error = EmailStatus.SKIPPED, "Switched off in their preferences."
            elif not emails[notice.recipient_id]:
                status, error = EmailStatus.SKIPPED, "No email address."
            rows.append(
                Notification(
                    recipient_id=notice.recipient_id, kind=notice.kind, key_id=pk, object_type=notice.object_type,
                    object_id=notice.object_id, title=notice.title[:200], body=notice.body, url=notice.url[:500],
                    created_at=now, channel=channel, email_status=status, email_error=error,
                )
            )
        made = Notification.objects.bulk_create(rows, batch_size=1000)
        now_ids = [n.pk for n in made if n.channel == Channel.IMMEDIATE and n.email_status == EmailStatus.PENDING]
        if send and now_ids:
            from .delivery import send_notification_emails

            transaction.on_commit(lambda: send_notification_emails(now_ids), robust=True)
    return [n.pk for n in made]


# --- Preferences ----------------------------------------------------------------


def preferences_set(*, user: AbstractBaseUser, choices: dict[str, str]) -> list[str]:
    """Save ``user``'s choice (kind → channel) for each optional kind. Returns the kinds that changed."""
    for kind, channel in choices.items():
        if kind not in KINDS or channel not in Channel.values:
            raise NotificationError("Choose how you want to hear about each kind of event.")
        if is_fixed(kind):
            raise NotificationError(f"“{KINDS[kind].question}” cannot be changed.")
    current = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    changed = [kind for kind, channel in choices.items() if current.get(kind, KINDS[kind].default) != channel]
    if changed:
        Preference.objects.bulk_create(
            [Preference(user=user, kind=kind, channel=choices[kind]) for kind in changed],
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["channel", "updated_at"],
        )
    return changed


def unsubscribe(*, user_id: int, kind: str) -> bool:
    """Switch off emails of one kind for one person (the link in optional emails). True if it changed."""
    if kind not in KINDS or is_fixed(kind):
        raise NotificationError("These emails cannot be switched off.")
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise NotificationError("This link is no longer valid.")
    return bool(preferences_set(user=user, choices={kind: Channel.OFF}))


def preference_of(*, user_id: int, kind: str) -> str:
    chosen = Preference.objects.filter(user_id=user_id, kind=kind).values_list("channel", flat=True).first()
    return channel_for(kind, chosen)


# --- Reading --------------------------------------------------------------------


def notification_mark_read(*, user: AbstractBaseUser, notification_id: int) -> bool:
    """Mark one of ``user``'s notifications read. Raises Notification.DoesNotExist if it is not theirs."""
    if not Notification.objects.filter(pk=notification_id, recipient=user).exists():
        raise Notification.DoesNotExist
    return bool(
        Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    )


def notifications_mark_all_read(*, user: AbstractBaseUser) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


__all__ = [
    "Notice",
    "NotificationError",
    "notify",
    "notification_mark_read",
    "notifications_mark_all_read",
    "preference_of",
    "preferences_set",
    "unsubscribe",
]
