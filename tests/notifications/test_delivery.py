"""Email delivery: single notices, the daily digest, failures, retries and query counts."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ideas.notices import Kind as IdeaKind
from notifications import delivery
from notifications.models import Channel, Digest, EmailStatus, Notification, Preference
from notifications.services import Notice, notify
from tests.factories import UserFactory
from tests.services import need_postgres

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BOUNCING = "tests.notifications.backends.BouncingBackend"


def notices(user, n: int, *, kind=IdeaKind.COMMENT_ADDED, start: int = 0) -> list[Notice]:
    return [
        Notice(kind=kind, recipient_id=user.pk, object_type="ideas.comment", object_id=start + i, due_date=TODAY,
               title=f"Comment {start + i} for {user.full_name}", url=f"/ideas/{start + i}/", body="Looks good.")
        for i in range(n)
    ]


def to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


# --- Single notices ----------------------------------------------------------------------


def test_a_refused_address_is_recorded_and_the_rest_of_the_batch_is_sent(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = BOUNCING
    people = [UserFactory(email=f"ok{n}@harrow.example") for n in range(2)] + [UserFactory(email="bounce@harrow.example")]
    people.append(UserFactory(email="ok-last@harrow.example"))
    with django_capture_on_commit_callbacks(execute=True):
        notify([n for person in people for n in notices(person, 1, kind=IdeaKind.STAGE_CHANGED)])
    statuses = dict(Notification.objects.values_list("recipient__email", "email_status"))
    assert statuses == {"ok0@harrow.example": "sent", "ok1@harrow.example": "sent", "bounce@harrow.example": "failed",
                        "ok-last@harrow.example": "sent"}
    failed = Notification.objects.get(email_status=EmailStatus.FAILED)
    assert "SMTPRecipientsRefused" in failed.email_error and "No such user" in failed.email_error
    assert failed.attempts == 1 and failed.emailed_at is not None
    assert len(mail.outbox) == 3


def test_the_sweep_retries_failures_and_sends_what_a_dead_worker_left(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.BrokenServerBackend"
    user = UserFactory()
    [first] = notify(notices(user, 1, kind=IdeaKind.STAGE_CHANGED), send=False)  # as if the worker died after commit
    Notification.objects.filter(pk=first).update(created_at=timezone.now() - timedelta(minutes=10))
    assert delivery.send_pending() == {"failed": 1}
    assert Notification.objects.get(pk=first).email_error.startswith("SMTPServerDisconnected")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.send_pending() == {}  # not yet: failures wait half an hour
    Notification.objects.filter(pk=first).update(emailed_at=timezone.now() - timedelta(hours=1))
    assert delivery.send_pending() == {"sent": 1}
    assert delivery.send_pending() == {}
    row = Notification.objects.get(pk=first)
    assert (row.email_status, row.attempts, row.email_error) == ("sent", 2, "")
    assert len(mail.outbox) == 1


def test_someone_deactivated_after_the_notice_was_made_is_not_emailed():
    user = UserFactory()
    [pk] = notify(notices(user, 1, kind=IdeaKind.STAGE_CHANGED), send=False)
    user.is_active = False
    user.save()
    assert delivery.send_notification_emails([pk]) == {"skipped": 1}
    assert mail.outbox == []


def test_sending_twice_sends_once():
    user = UserFactory()
    ids = notify(notices(user, 3, kind=IdeaKind.STAGE_CHANGED), send=False)
    assert delivery.send_notification_emails(ids) == {"sent": 3}
    assert delivery.send_notification_emails(ids) == {}
    assert len(mail.outbox) == 3


def test_notify_costs_the_same_queries_for_1_and_20_notices_per_person():
    def cost(per_person: int, start: int) -> int:
        people = [UserFactory() for _ in range(3)]
        with CaptureQueriesContext(connection) as queries:
            notify([n for p in people for n in notices(p, per_person, start=start)], send=False)
        assert Notification.objects.filter(recipient__in=people).count() == 3 * per_person
        return len(queries)

    assert cost(1, 0) == cost(20, 100)


# --- The daily digest -----------------------------------------------------------------------


def test_the_digest_sends_one_email_a_day_to_each_person_with_something_in_it():
    anna, ben, cat = UserFactory(full_name="Anna A"), UserFactory(full_name="Ben B"), UserFactory(full_name="Cat C")
    notify(notices(anna, 3) + notices(ben, 1) + notices(cat, 1, kind=IdeaKind.STAGE_CHANGED), send=False)
    assert delivery.digest_run() == {"sent": 2}
    assert delivery.digest_run() == {}  # run again the same day
    assert sorted(m.to[0] for m in mail.outbox) == sorted([anna.email, ben.email])
    message = to(anna.email)[0]
    assert message.subject.startswith("Your daily summary: 3 updates")
    assert message.body.count("https://innovation.example.gov.uk/ideas/") == 3
    assert "Stop emails about this: https://innovation.example.gov.uk/notifications/unsubscribe/" in message.body
    html = message.alternatives[0].content
    assert "<h2>A comment on an idea</h2>" in html and "style=" not in html
    digest = Digest.objects.get(recipient=anna)
    assert (digest.email_status, digest.item_count, digest.day) == ("sent", 3, TODAY)
    assert set(Notification.objects.filter(recipient=anna).values_list("email_status", "emailed_at")) == {
        ("sent", digest.emailed_at)
    }


def test_something_arriving_after_the_days_digest_waits_for_tomorrows():
    anna = UserFactory()
    notify(notices(anna, 1), send=False)
    delivery.digest_run()
    notify(notices(anna, 1, start=50), send=False)
    assert delivery.digest_run() == {}
    assert len(mail.outbox) == 1
    assert delivery.digest_run(day=TODAY + timedelta(days=1)) == {"sent": 1}
    assert len(mail.outbox) == 2 and "Comment 50" in mail.outbox[1].body


def test_the_digest_honours_a_preference_switched_off_since_and_skips_closed_accounts():
    anna, ben = UserFactory(), UserFactory()
    notify(notices(anna, 2) + notices(anna, 1, kind=IdeaKind.IDEA_STALLED, start=10) + notices(ben, 1), send=False)
    Preference.objects.create(user=anna, kind=IdeaKind.COMMENT_ADDED, channel=Channel.OFF)
    ben.is_active = False
    ben.save()
    assert delivery.digest_run() == {"sent": 1, "skipped": 1}
    [message] = mail.outbox
    assert message.to == [anna.email] and "Comment 10" in message.body and "Comment 0" not in message.body
    assert Notification.objects.filter(recipient=anna, kind=IdeaKind.COMMENT_ADDED, email_status="skipped").count() == 2
    assert Notification.objects.get(recipient=ben).email_status == "skipped"


def test_a_failing_digest_address_does_not_stop_the_others_and_an_admin_can_retry_it(settings):
    settings.EMAIL_BACKEND = BOUNCING
    good, bad = UserFactory(email="good@harrow.example"), UserFactory(email="bounce@harrow.example")
    notify(notices(good, 2) + notices(bad, 2), send=False)
    assert delivery.digest_run() == {"sent": 1, "failed": 1}
    assert Digest.objects.get(recipient=bad).email_status == "failed"
    failed_items = list(Notification.objects.filter(recipient=bad).values_list("pk", "email_status"))
    assert {status for _, status in failed_items} == {"failed"}
    bad.email = "fixed@harrow.example"
    bad.save()
    assert delivery.retry_failed([pk for pk, _ in failed_items]) == {"digest sent": 1}
    assert Digest.objects.get(recipient=bad).email_status == "sent"
    assert len(to("fixed@harrow.example")) == 1 and len(to(good.email)) == 1


def test_the_digest_costs_the_same_queries_for_1_and_20_items_per_person():
    def cost(per_person: int, day) -> int:
        people = [UserFactory() for _ in range(3)]
        notify([n for p in people for n in notices(p, per_person)], send=False)
        with CaptureQueriesContext(connection) as queries:
            assert delivery.digest_run(day=day) == {"sent": 3}
        return len(queries)

    one, twenty = cost(1, TODAY), cost(20, TODAY + timedelta(days=1))
    assert one == twenty == 12  # waiting people, their digests, then per chunk: lock, preferences, items, 2 updates
    assert sum(len(m.body.splitlines()) for m in mail.outbox[3:]) > sum(len(m.body.splitlines()) for m in mail.outbox[:3])


@pytest.mark.django_db(transaction=True)
def test_two_digest_runs_at_once_send_each_person_one_email():
    need_postgres()
    people = [UserFactory() for _ in range(40)]
    notify([n for p in people for n in notices(p, 3)], send=False)
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait(timeout=10)
            delivery.digest_run(chunk=5)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert Digest.objects.filter(email_status="sent").count() == 40
