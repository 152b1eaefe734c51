"""The task outbox's bookkeeping: failing in-process tasks stop, delivered rows are pruned, admins retry failures."""

from __future__ import annotations

import logging
from contextlib import nullcontext
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from harrow_innovation.celery import app
from harrow_innovation.core import outbox
from harrow_innovation.core.models import OutboxTask
from harrow_innovation.core.tasks import prune_outbox
from harrow_innovation.people.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CALLS: list = []
FAILING: set = set()


@app.task(name="tests.outbox_probe")
def outbox_probe(key: str) -> str:
    CALLS.append(key)
    if key in FAILING:
        raise RuntimeError(f"{key} is broken")
    return key


@pytest.fixture(autouse=True)
def _probe(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETENTION_DAYS = 7
    CALLS.clear()
    FAILING.clear()
    assert app.conf.task_always_eager  # in-process mode, as with no REDIS_URL


def waiting(key: str) -> OutboxTask:
    return OutboxTask.objects.create(task_name="tests.outbox_probe", args=[key])


def test_a_task_failing_in_process_is_given_up_after_the_attempt_limit_and_never_counted_as_published(caplog):
    FAILING.add("bad")
    bad, good = waiting("bad"), waiting("good")
    logger = logging.getLogger("harrow_innovation.core.outbox")
    logger.addHandler(caplog.handler)
    try:
        assert outbox.drain() == 1  # only the good one was published
        assert outbox.drain() == 0
        assert outbox.drain() == 0
    finally:
        logger.removeHandler(caplog.handler)
    bad.refresh_from_db()
    assert (bad.attempts, bad.status, bad.dispatched_at) == (3, "failed", None)
    assert bad.failed_at is not None and bad.last_error == "bad is broken"
    assert f"Outbox task {bad.pk} (tests.outbox_probe) failed 3 times" in caplog.text
    good.refresh_from_db()
    assert (good.attempts, good.status) == (1, "delivered")
    # Given up: later drains leave it alone (before, it ran every minute for ever).
    assert outbox.drain() == 0 and outbox.drain() == 0
    assert CALLS.count("bad") == 3 and CALLS.count("good") == 1
    assert OutboxTask.objects.get(pk=bad.pk).attempts == 3


def test_a_task_that_fails_once_is_delivered_on_the_next_drain_and_running_the_drain_twice_does_nothing_more():
    FAILING.add("flaky")
    row = waiting("flaky")
    assert outbox.drain() == 0
    FAILING.clear()
    assert outbox.drain() == 1
    assert outbox.drain() == 0
    row.refresh_from_db()
    assert (row.attempts, row.status, row.last_error, row.failed_at) == (2, "delivered", "", None)
    assert CALLS == ["flaky", "flaky"]


def test_a_broker_outage_never_fails_a_row(monkeypatch):
    row = waiting("queued")
    OutboxTask.objects.filter(pk=row.pk).update(attempts=10)

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("Connection refused")

    monkeypatch.setattr(outbox, "_connection", lambda: nullcontext())
    monkeypatch.setattr(app, "send_task", broker_down)
    monkeypatch.setattr(outbox, "_broker_down_until", 0.0)
    app.conf.task_always_eager = False
    try:
        assert outbox.drain() == 0
    finally:
        app.conf.task_always_eager = True
    row.refresh_from_db()
    assert (row.status, row.attempts, row.failed_at) == ("pending", 11, None)
    assert "refused" in row.last_error


def test_delivered_rows_are_pruned_after_the_retention_period_and_pruning_twice_is_harmless():
    now = timezone.now()
    old = waiting("old")
    recent = waiting("recent")
    pending_old = waiting("pending-old")
    failed_old = waiting("failed-old")
    OutboxTask.objects.filter(pk=old.pk).update(dispatched_at=now - timedelta(days=8))
    OutboxTask.objects.filter(pk=recent.pk).update(dispatched_at=now - timedelta(days=6))
    OutboxTask.objects.filter(pk__in=[pending_old.pk, failed_old.pk]).update(created_at=now - timedelta(days=30))
    OutboxTask.objects.filter(pk=failed_old.pk).update(failed_at=now - timedelta(days=29), attempts=3)
    assert prune_outbox.apply().get() == 1
    assert prune_outbox.apply().get() == 0
    assert set(OutboxTask.objects.values_list("pk", flat=True)) == {recent.pk, pending_old.pk, failed_old.pk}


def test_pruning_follows_the_retention_setting(settings):
    row = waiting("x")
    OutboxTask.objects.filter(pk=row.pk).update(dispatched_at=timezone.now() - timedelta(days=2))
    assert outbox.prune() == 0
    settings.OUTBOX_RETENTION_DAYS = 1
    assert outbox.prune() == 1


def test_pruning_runs_daily_from_the_beat_schedule():
    job = PeriodicTask.objects.get(task="core.prune_outbox")
    assert job.enabled and job.crontab is not None


@pytest.fixture
def admin_client(db):
    user = UserFactory(roles=[Role.ADMIN], is_staff=True)  # not a superuser: the Admin role's permissions alone
    client = Client()
    client.force_login(user)
    return client


def test_admins_see_failed_tasks_and_retry_them(admin_client):
    FAILING.add("bad")
    bad, good = waiting("bad"), waiting("good")
    for _ in range(3):
        outbox.drain()
    url = reverse("admin:core_outboxtask_changelist")
    html = admin_client.get(url, {"status": "failed"}).content.decode()
    assert "bad is broken" in html and "&#x27;good&#x27;" not in html and "Failed" in html
    html = admin_client.get(url, {"status": "delivered"}).content.decode()
    assert "&#x27;good&#x27;" in html and "bad is broken" not in html
    assert admin_client.get(reverse("admin:core_outboxtask_change", args=[bad.pk])).status_code == 200

    FAILING.clear()  # the cause is fixed; the admin retries
    response = admin_client.post(url, {"action": "retry_failed", "_selected_action": [bad.pk, good.pk]}, follow=True)
    assert "Tried 1 failed task(s) again: 1 delivered, 0 waiting for the next try." in response.content.decode()
    bad.refresh_from_db()
    assert (bad.status, bad.attempts, bad.failed_at, bad.last_error) == ("delivered", 1, None, "")
    assert CALLS.count("good") == 1  # a delivered row is not run again

    response = admin_client.post(url, {"action": "retry_failed", "_selected_action": [bad.pk]}, follow=True)
    assert "None of the selected tasks had failed." in response.content.decode()
    assert CALLS.count("bad") == 4


def test_a_task_still_failing_after_a_retry_waits_for_the_drain_again(admin_client):
    FAILING.add("bad")
    bad = waiting("bad")
    for _ in range(3):
        outbox.drain()
    response = admin_client.post(reverse("admin:core_outboxtask_changelist"),
                                 {"action": "retry_failed", "_selected_action": [bad.pk]}, follow=True)
    assert "Tried 1 failed task(s) again: 0 delivered, 1 waiting for the next try." in response.content.decode()
    bad.refresh_from_db()
    assert (bad.status, bad.attempts) == ("pending", 1)
