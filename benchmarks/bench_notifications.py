"""The daily reminders run at scale: 2,000 people, 50,000 Board actions falling due.

The run is what beat does each morning: the actions scan issues one reminder per
action (keys, notifications) and the daily digest sends one email per person.
The baseline renders and sends the same 2,000 digest emails (same templates,
same 25 items each) to the locmem backend with no database work at all.
"""

from __future__ import annotations

import time
import tracemalloc
from datetime import timedelta

from django.core import mail
from django.db import connection
from django.utils import timezone

from benchmarks.harness import report

USERS = 2_000
ITEMS = 50_000


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _setup() -> None:
    from board.models import Action, Board, Meeting
    from board.notices import Kind as BoardKind
    from harrow_innovation.people.models import User
    from notifications.models import Channel, Preference

    users = User.objects.bulk_create(
        [User(email=f"bench{n}@harrow.example", full_name=f"Bench Person {n}", password="!") for n in range(USERS)],
        batch_size=1000,
    )
    Preference.objects.bulk_create(
        [Preference(user=u, kind=BoardKind.ACTION_DUE_SOON, channel=Channel.DIGEST) for u in users], batch_size=1000
    )
    board = Board.objects.create(name="Bench Board")
    meeting = Meeting.objects.create(board=board, starts_at=timezone.now(), created_by=users[0])
    due = timezone.localdate() + timedelta(days=2)
    Action.objects.bulk_create(
        [
            Action(meeting=meeting, owner=users[n % USERS], due_date=due,
                   description=f"Bring the costed plan for workstream {n} to the next meeting")
            for n in range(ITEMS)
        ],
        batch_size=2000,
    )


def _forget_reminders() -> None:
    from notifications.models import DeliveryKey, Digest, Notification

    Digest.objects.all().delete()
    Notification.objects.all().delete()
    DeliveryKey.objects.all().delete()


def _unsend_digests() -> None:
    """Put the day back as it was before the digest ran: items waiting, no digest rows."""
    from notifications.models import Digest, EmailStatus, Notification

    Notification.objects.update(email_status=EmailStatus.PENDING, attempts=0, emailed_at=None)
    Digest.objects.all().delete()
    mail.outbox = []


def _scan() -> tuple[float, int]:
    from board import reminders as board_reminders

    counter = QueryCounter()
    start = time.perf_counter()
    with connection.execute_wrapper(counter):
        issued = board_reminders.scan_actions()
    elapsed = time.perf_counter() - start
    assert issued == ITEMS, issued
    return elapsed, counter.count


def _digest() -> tuple[float, int]:
    from notifications import delivery

    mail.outbox = []
    counter = QueryCounter()
    start = time.perf_counter()
    with connection.execute_wrapper(counter):
        sent = delivery.digest_run()
    elapsed = time.perf_counter() - start
    assert sent == {"sent": USERS}, sent
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == USERS == len(set(recipients)), "exactly one digest per person"
    assert delivery.digest_run() == {}, "a second run the same day sends nothing"
    mail.outbox = []
    return elapsed, counter.count


def _peak_mb(fn) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def _baseline() -> float:
    """The same 2,000 digests, 25 items each, rendered and sent to locmem with no database."""
    from board.notices import Kind as BoardKind
    from notifications.delivery import (
        DigestGroup,
        DigestItem,
        Sender,
        digest_message,
        unsubscribe_url,
    )
    from notifications.kinds import label_of

    day = timezone.localdate()
    per_person = ITEMS // USERS
    mail.outbox = []
    start = time.perf_counter()
    sender = Sender()
    for person in range(USERS):
        group = DigestGroup(heading=label_of(BoardKind.ACTION_DUE_SOON), unsubscribe_url=unsubscribe_url(person + 1, "action_due_soon"))
        group.items = [
            DigestItem(f"Board action due {day:%-d %B %Y}: Bring the costed plan for workstream {n} to the next meeting",
                       f"It is due on {day:%-d %B %Y}.", "https://innovation.example/board/meetings/1/")
            for n in range(per_person)
        ]
        message = digest_message(to=f"bench{person}@harrow.example", name="Bench", day=day, groups=[group],
                                 count=per_person)
        assert not sender.send(message)
    sender.close()
    elapsed = time.perf_counter() - start
    assert len(mail.outbox) == USERS
    mail.outbox = []
    return elapsed


def run() -> None:
    _setup()
    baseline_name = "2,000 digests rendered and sent to locmem, no database"
    scan, scan_queries = _scan()
    # Baseline and digest alternate, best of three each, so a busy moment on the
    # machine does not favour one side.
    baselines, digests = [], []
    for _ in range(3):
        baselines.append(_baseline())
        seconds, digest_queries = _digest()
        digests.append(seconds)
        _unsend_digests()
    baseline, digest = min(baselines), min(digests)
    digest_peak = _peak_mb(_digest)
    _forget_reminders()
    scan_peak = _peak_mb(_scan)

    report(f"notifications daily digest run ({USERS:,} people, {ITEMS:,} due items, one email each)", digest, "s",
           baseline=baseline, baseline_name=baseline_name)
    report("notifications daily digest run SQL queries (fixed per 200 people, whatever the items each)",
           digest_queries, "queries")
    report("notifications daily digest run peak memory (Python allocations)", digest_peak, "MB")
    report("notifications baseline: 2,000 digests rendered and sent to locmem", baseline, "s")
    report(f"notifications reminders scan ({ITEMS:,} due Board actions, one reminder each)", scan, "s",
           baseline=baseline, baseline_name=baseline_name)
    report("notifications reminders scan SQL queries (fixed per 2,000 reminders)", scan_queries, "queries")
    report("notifications reminders scan peak memory (Python allocations)", scan_peak, "MB")
    report("notifications whole morning (scan, then digest)", scan + digest, "s",
           baseline=baseline, baseline_name=baseline_name)
