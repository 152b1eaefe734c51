"""Redis outages, a real worker and beat's own schedule entries.

Each test starts a Redis server of its own, points the Celery app's broker at
it, and stops, freezes or restarts it: never the shared Redis.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from harrow_innovation.core import outbox
from harrow_innovation.core.models import OutboxTask
from harrow_innovation.people.roles import Role
from ideas import services
from ideas.notices import Kind as IdeaKind
from notifications.models import Notification
from notifications.services import Notice, notify
from tests.factories import UserFactory, make_idea
from tests.notifications.broker import OwnRedis, broker_at, need_redis_server, wait_for, worker
from tests.services import need_postgres, need_redis

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def own_redis():
    need_redis_server()
    need_redis()  # task results stay on the shared test Redis
    need_postgres()
    server = OwnRedis()
    server.start()
    try:
        yield server
    finally:
        if server.process is not None:
            server.thaw()
        server.stop()


def beat(task_name: str):
    """Send a task exactly as beat would, from its row in the database."""
    scheduler = DatabaseScheduler(app=outbox_app(), lazy=True)
    entry = DatabaseScheduler.Entry(PeriodicTask.objects.get(task=task_name), app=outbox_app())
    return scheduler.apply_async(entry, advance=False)


def outbox_app():
    from harrow_innovation.celery import app

    return app


@pytest.fixture
def co_owned_draft(people):
    co_owner = UserFactory(full_name="Cora Co-owner", email="cora@harrow.example", roles=[Role.OFFICER])
    idea = make_idea(people["officer"], at="draft")
    idea.co_owners.add(co_owner)
    return idea


def stage_change_emails() -> list:
    return [m for m in mail.outbox if "is now at Submitted" in m.subject]


def test_submitting_while_redis_is_down_is_quick_and_the_email_arrives_once_when_it_is_back(
    people, own_redis, co_owned_draft
):
    with broker_at(own_redis.url):
        own_redis.stop()
        started = time.perf_counter()
        change = services.idea_submit(idea_id=co_owned_draft.pk, by=people["officer"])
        assert time.perf_counter() - started < 1.0, "submitting waited for the broker"
        row = OutboxTask.objects.get(task_name="ideas.stage_changed")
        assert row.dispatched_at is None and row.attempts == 1 and "refused" in row.last_error.lower()
        # The next request inside the back-off does not even try; the row waits for the drain.
        services.comment_add(idea_id=co_owned_draft.pk, by=people["officer"], body="Any news?")
        assert OutboxTask.objects.get(task_name="ideas.comment_added").attempts == 0
        assert mail.outbox == []

        own_redis.start()
        with worker():
            beat("core.drain_outbox")  # beat's minute job
            wait_for(lambda: stage_change_emails(), what="the stage-change email")
            # The drain runs again, and the task is delivered a second time: nobody is told twice.
            beat("core.drain_outbox").get(timeout=20)
            outbox_app().send_task("ideas.stage_changed", args=[change.pk]).get(timeout=20)
    [message] = stage_change_emails()
    assert message.to == ["cora@harrow.example"]
    assert not OutboxTask.objects.filter(dispatched_at__isnull=True).exists()
    assert Notification.objects.filter(kind=IdeaKind.STAGE_CHANGED).count() == 1


def test_recording_a_decision_while_redis_is_down_succeeds_and_the_owner_hears_once(people, own_redis, meeting):
    from board.models import AgendaItem, MeetingStatus
    from board.services import decision_record

    meeting.status, meeting.published_at = MeetingStatus.AGENDA_PUBLISHED, timezone.now()
    meeting.save()
    idea = make_idea(people["officer"], at="ready-for-board")
    item = AgendaItem.objects.create(meeting=meeting, kind="idea", idea=idea, title=idea.title,
                                     stage_when_added=idea.stage)
    with broker_at(own_redis.url):
        own_redis.stop()
        started = time.perf_counter()
        decision = decision_record(item_id=item.pk, by=people["secretary"], outcome="approve")
        assert time.perf_counter() - started < 1.0
        assert OutboxTask.objects.filter(dispatched_at__isnull=True).exists()
        own_redis.start()
        with worker():
            beat("core.drain_outbox").get(timeout=30)
            decided = lambda: [m for m in mail.outbox if "The Board decided" in m.subject]  # noqa: E731
            wait_for(decided, what="the decision email")
            outbox_app().send_task("notifications.decision_recorded", args=[decision.pk]).get(timeout=20)
            beat("notifications.scan_board_events").get(timeout=20)
    [message] = decided()
    assert message.to == [people["officer"].email]
    assert message.subject == "The Board decided on “Online requests for repairs”: Approve"


def test_a_hung_redis_holds_a_request_up_for_seconds_at_most_and_only_once(people, own_redis, co_owned_draft):
    other = make_idea(people["officer"], at="draft", title="Another idea")
    with broker_at(own_redis.url):
        own_redis.freeze()
        started = time.perf_counter()
        services.idea_submit(idea_id=co_owned_draft.pk, by=people["officer"])
        first = time.perf_counter() - started
        started = time.perf_counter()
        services.idea_submit(idea_id=other.pk, by=people["officer"])
        second = time.perf_counter() - started
        own_redis.thaw()
    assert first < 4.0, f"the first submission waited {first:.1f}s"
    assert second < 0.5, f"the second submission waited {second:.1f}s"
    # Each submission's two tasks (tell people; work out its overlaps) wait in the outbox for drain_outbox.
    waiting = OutboxTask.objects.filter(dispatched_at__isnull=True).order_by("task_name")
    assert list(waiting.values_list("task_name", flat=True)) == ["ideas.refresh_overlaps"] * 2 + ["ideas.stage_changed"] * 2


def test_two_drains_at_once_publish_each_waiting_task_exactly_once(own_redis):
    OutboxTask.objects.bulk_create([OutboxTask(task_name="core.ping", args=[]) for _ in range(40)])
    barrier = threading.Barrier(2)
    published, errors = [], []

    def drain():
        try:
            barrier.wait(timeout=10)
            published.append(outbox.drain())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    with broker_at(own_redis.url):
        threads = [threading.Thread(target=drain) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors
        assert sum(published) == 40
        assert own_redis.queue_length() == 40
        assert outbox.drain() == 0
        assert own_redis.queue_length() == 40
    assert set(OutboxTask.objects.values_list("attempts", "last_error")) == {(1, "")}


def test_the_daily_digest_run_twice_by_beat_sends_each_person_exactly_one(own_redis):
    people = [UserFactory(email=f"reader{n}@harrow.example") for n in range(3)]
    notify([
        Notice(kind=IdeaKind.COMMENT_ADDED, recipient_id=person.pk, object_type="ideas.comment", object_id=n,
               due_date=timezone.localdate(), title=f"Comment {n}", url="/")
        for person in people for n in range(4)
    ], send=False)
    with broker_at(own_redis.url), worker():
        first, second = beat("notifications.daily_digest"), beat("notifications.daily_digest")
        assert first.get(timeout=30) == {"sent": 3}
        assert second.get(timeout=30) == {}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
