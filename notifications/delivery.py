"""Email: single notices sent at once, and the daily digest.

Both follow one pattern. In a transaction, lock a chunk of rows that still
need sending (``SELECT … FOR UPDATE SKIP LOCKED``, so two workers or two beat
processes take different rows), send each email on one open connection,
record each outcome, commit. A failure for one address is recorded on its row
and the rest of the batch carries on. If a worker dies mid-chunk the
transaction rolls back and the rows are sent by the next run.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, F, Q
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from harrow_innovation.core.text import one_line

from .kinds import is_fixed, label_of
from .models import Channel, Digest, EmailStatus, Notification, Preference
from .services import chunked
from .tokens import make_token

log = logging.getLogger(__name__)

EMAIL_CHUNK = 100
DIGEST_CHUNK = 200
AUTO_RETRIES = 3  # failed single emails are tried again by the sweep up to this many attempts


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


def unsubscribe_url(user_id: int, kind: str) -> str:
    return absolute(reverse("notifications:unsubscribe", kwargs={"token": make_token(user_id, kind)}))


def preferences_url() -> str:
    return absolute(reverse("notifications:preferences"))


class Sender:
    """One connection for a batch; a failure is returned, not raised, so the batch carries on."""

    def __init__(self) -> None:
        self.connection = get_connection()

    def send(self, message: EmailMultiAlternatives) -> str:
        """Send ``message``. Returns "" on success, else what went wrong."""
        message.connection = self.connection
        try:
            sent = self.connection.send_messages([message])
        except Exception as exc:  # SMTP errors, refused addresses, a dropped connection
            log.warning("Email to %s failed: %s", message.to, exc)
            self.close()  # a fresh connection for the next message, in case this one is broken
            return f"{type(exc).__name__}: {exc}"[:2000]
        return "" if sent else "The mail server did not accept the message."

    def close(self) -> None:
        try:
            self.connection.close()
        except Exception:  # noqa: S110 - closing a broken connection may fail too; nothing to do
            pass


def _message(*, to: str, subject: str, text: str, html: str, unsubscribe: str = "") -> EmailMultiAlternatives:
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # A title saved with a line break must not stop the email: Django refuses newlines in headers.
    message = EmailMultiAlternatives(subject=one_line(subject), body=text, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


# --- Single notices -------------------------------------------------------------


def notice_message(notification: Notification) -> EmailMultiAlternatives:
    user = notification.recipient
    unsubscribe = "" if is_fixed(notification.kind) else unsubscribe_url(user.pk, notification.kind)
    context = {
        "name": user.known_name,
        "title": notification.title,
        "body": notification.body,
        "link": absolute(notification.url),
        "unsubscribe_url": unsubscribe,
        "kind_label": label_of(notification.kind),
        "preferences_url": preferences_url(),
    }
    return _message(
        to=user.email,
        subject=notification.title,
        text=get_template("notifications/email/notice.txt").render(context),
        html=get_template("notifications/email/notice.html").render(context),
        unsubscribe=unsubscribe,
    )


def send_notification_emails(ids: Iterable[int], *, statuses: tuple[str, ...] = (EmailStatus.PENDING,)) -> dict:
    """Email these notifications if they are still waiting to go now. Safe to call twice."""
    totals: dict[str, int] = defaultdict(int)
    for batch in chunked(ids, EMAIL_CHUNK):
        for status, count in _send_notice_chunk(batch, statuses).items():
            totals[status] += count
    return dict(totals)


def _send_notice_chunk(ids: list[int], statuses: tuple[str, ...]) -> dict:
    totals: dict[str, int] = defaultdict(int)
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk__in=ids, channel=Channel.IMMEDIATE, email_status__in=statuses)
            .order_by("pk")
        )
        if not rows:
            return totals
        sender = Sender()
        now = timezone.now()
        try:
            for row in rows:
                user = row.recipient
                if not user.is_active:
                    row.email_status, row.email_error = EmailStatus.SKIPPED, "The account is closed."
                elif not user.email:
                    row.email_status, row.email_error = EmailStatus.SKIPPED, "No email address."
                else:
                    error = sender.send(notice_message(row))
                    row.email_status = EmailStatus.FAILED if error else EmailStatus.SENT
                    row.email_error = error
                    row.attempts += 1
                    row.emailed_at = now
                totals[row.email_status] += 1
        finally:
            sender.close()
        Notification.objects.bulk_update(rows, ["email_status", "email_error", "attempts", "emailed_at"])
    return totals


def send_pending(*, older_than: timedelta = timedelta(minutes=2), limit: int = 1000) -> dict:
    """The sweep: single emails left waiting (a worker died after commit) and failures worth another try."""
    now = timezone.now()
    waiting = Q(email_status=EmailStatus.PENDING, created_at__lt=now - older_than)
    retry = Q(email_status=EmailStatus.FAILED, attempts__lt=AUTO_RETRIES, emailed_at__lt=now - timedelta(minutes=30))
    ids = list(
        Notification.objects.filter(waiting | retry, channel=Channel.IMMEDIATE).order_by("pk").values_list("pk", flat=True)[:limit]
    )
    return send_notification_emails(ids, statuses=(EmailStatus.PENDING, EmailStatus.FAILED))


def retry_failed(ids: Iterable[int]) -> dict:
    """Admins' "retry": single notices are sent again now; digest items go again in their person's digest."""
    ids = list(ids)
    failed = Notification.objects.filter(pk__in=ids, email_status=EmailStatus.FAILED)
    people = set(failed.filter(channel=Channel.DIGEST).values_list("recipient_id", flat=True))
    single = list(failed.filter(channel=Channel.IMMEDIATE).values_list("pk", flat=True))
    totals = send_notification_emails(single, statuses=(EmailStatus.FAILED,))
    if people:
        with transaction.atomic():
            Notification.objects.filter(
                recipient_id__in=people, channel=Channel.DIGEST, email_status=EmailStatus.FAILED
            ).update(email_status=EmailStatus.PENDING, email_error="")
            digests = Digest.objects.filter(recipient_id__in=people, email_status=EmailStatus.FAILED)
            digest_ids = list(digests.values_list("pk", flat=True))
            digests.update(email_status=EmailStatus.PENDING, email_error="")
        for status, count in send_digests(Digest.objects.filter(pk__in=digest_ids), cutoff=timezone.now()).items():
            totals[f"digest {status}"] = totals.get(f"digest {status}", 0) + count
    return totals


# --- The daily digest -----------------------------------------------------------


def _save_outcomes(digests: list[Digest], counted: dict[int, int], now) -> None:
    """One UPDATE per outcome, not a CASE per row (slow to build for hundreds of rows).

    ``counted`` is each digest's item count as stored when it was made; only the
    rare digest whose count changed since (an item switched off) is updated alone.
    """
    by_outcome: dict[tuple[str, str], list[int]] = defaultdict(list)
    for digest in digests:
        by_outcome[(digest.email_status, digest.email_error)].append(digest.pk)
        if digest.item_count != counted[digest.pk]:
            Digest.objects.filter(pk=digest.pk).update(item_count=digest.item_count)
    for (status, error), ids in by_outcome.items():
        tried = status != EmailStatus.SKIPPED
        Digest.objects.filter(pk__in=ids).update(
            email_status=status, email_error=error, emailed_at=now if tried else None,
            attempts=F("attempts") + (1 if tried else 0),
        )


@dataclass
class DigestGroup:
    heading: str
    items: list = field(default_factory=list)
    unsubscribe_url: str = ""


@dataclass(frozen=True)
class DigestItem:
    title: str
    body: str
    link: str


def digest_message(*, to: str, name: str, day: date, groups: list[DigestGroup], count: int) -> EmailMultiAlternatives:
    subject = f"Your daily summary: {count} update{'s' if count != 1 else ''} ({day:%-d %B %Y})"
    context = {"name": name, "day": day, "groups": groups, "subject": subject, "preferences_url": preferences_url()}
    return _message(
        to=to,
        subject=subject,
        text=get_template("notifications/email/digest.txt").render(context),
        html=get_template("notifications/email/digest.html").render(context),
    )


def digest_groups(user_id: int, rows: list[tuple]) -> list[DigestGroup]:
    """Rows (kind, title, body, url), ordered by kind, grouped under one heading per kind."""
    groups: dict[str, DigestGroup] = {}
    for kind, title, body, url in rows:
        group = groups.get(kind)
        if group is None:
            group = groups[kind] = DigestGroup(
                heading=label_of(kind),
                unsubscribe_url="" if is_fixed(kind) else unsubscribe_url(user_id, kind),
            )
        group.items.append(DigestItem(title, body, absolute(url)))
    return list(groups.values())


def digest_run(*, day: date | None = None, chunk: int = DIGEST_CHUNK) -> dict:
    """Send today's digest to everyone with something waiting for it: at most one per person per day.

    A second run the same day sends nothing more (the digest row is unique per
    person and day); anything that arrives later waits for tomorrow's. The
    number of queries depends on the number of people (in chunks), never on the
    number of items each has.
    """
    day = day or timezone.localdate()
    cutoff = timezone.now()
    waiting = (
        Notification.objects.filter(channel=Channel.DIGEST, email_status=EmailStatus.PENDING, created_at__lte=cutoff)
        .values("recipient_id")
        .annotate(items=Count("pk"))
        .values_list("recipient_id", "items")
    )
    Digest.objects.bulk_create(
        [Digest(recipient_id=user_id, day=day, item_count=items) for user_id, items in waiting],
        ignore_conflicts=True,
        batch_size=1000,
    )
    return send_digests(Digest.objects.filter(day=day), cutoff=cutoff, chunk=chunk)


def send_digests(digests, *, cutoff, chunk: int = DIGEST_CHUNK) -> dict:
    """Send the pending digests in ``digests`` (a queryset), a chunk of people at a time."""
    totals: dict[str, int] = defaultdict(int)
    while True:
        done = _send_digest_chunk(digests, cutoff=cutoff, chunk=chunk)
        if not done:
            return dict(totals)
        for status, count in done.items():
            totals[status] += count


def _send_digest_chunk(digests, *, cutoff, chunk: int) -> dict:
    totals: dict[str, int] = defaultdict(int)
    with transaction.atomic():
        batch = list(
            digests.filter(email_status=EmailStatus.PENDING)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .order_by("pk")[:chunk]
        )
        if not batch:
            return totals
        counted = {d.pk: d.item_count for d in batch}
        people = [d.recipient_id for d in batch]
        switched_off = set(
            Preference.objects.filter(user_id__in=people, channel=Channel.OFF).values_list("user_id", "kind")
        )
        items: dict[int, list[tuple]] = defaultdict(list)
        waiting = Notification.objects.filter(
            recipient_id__in=people, channel=Channel.DIGEST, email_status=EmailStatus.PENDING, created_at__lte=cutoff
        )
        for pk, user_id, kind, title, body, url in waiting.order_by("recipient_id", "kind", "created_at", "pk").values_list(
            "pk", "recipient_id", "kind", "title", "body", "url"
        ):
            items[user_id].append((pk, kind, title, body, url))

        sent_ids: list[int] = []
        skipped_ids: list[int] = []
        failed: dict[str, list[int]] = defaultdict(list)
        sender = Sender()
        now = timezone.now()
        try:
            for digest in batch:
                user = digest.recipient
                mine = [row for row in items[user.pk] if (user.pk, row[1]) not in switched_off]
                skipped_ids += [row[0] for row in items[user.pk] if (user.pk, row[1]) in switched_off]
                digest.item_count = len(mine)
                if not user.is_active or not user.email or not mine:
                    digest.email_status = EmailStatus.SKIPPED
                    digest.email_error = (
                        "The account is closed." if not user.is_active
                        else "No email address." if not user.email else "Nothing left to send."
                    )
                    skipped_ids += [row[0] for row in mine]
                else:
                    message = digest_message(
                        to=user.email, name=user.known_name, day=digest.day,
                        groups=digest_groups(user.pk, [row[1:] for row in mine]), count=len(mine),
                    )
                    error = sender.send(message)
                    digest.email_status = EmailStatus.FAILED if error else EmailStatus.SENT
                    digest.email_error = error
                    (failed[error] if error else sent_ids).extend(row[0] for row in mine)
                totals[digest.email_status] += 1
        finally:
            sender.close()
        _save_outcomes(batch, counted, now)
        # One UPDATE per outcome.
        done = dict(emailed_at=now, attempts=F("attempts") + 1)
        if sent_ids:
            Notification.objects.filter(pk__in=sent_ids).update(email_status=EmailStatus.SENT, email_error="", **done)
        for error, ids in failed.items():
            Notification.objects.filter(pk__in=ids).update(email_status=EmailStatus.FAILED, email_error=error, **done)
        if skipped_ids:
            Notification.objects.filter(pk__in=skipped_ids).update(
                email_status=EmailStatus.SKIPPED, email_error="Switched off, or the account is closed."
            )
    return totals


__all__ = ["digest_run", "retry_failed", "send_notification_emails", "send_pending"]
