"""The beat schedule: one registry of every app's jobs, seeded once into django-celery-beat rows that admins own."""

from __future__ import annotations

from unittest.mock import patch

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from harrow_innovation.celery import app
from notifications.schedules import (
    JOBS,
    Job,
    ensure_default_schedules,
    registered_task_names,
)

pytestmark = pytest.mark.django_db

OURS = {
    "core.drain_outbox", "notifications.send_pending", "notifications.daily_digest",
    "notifications.scan_overdue_reviews", "notifications.scan_stalled_ideas", "notifications.scan_meetings",
    "notifications.scan_actions", "notifications.scan_parked_ideas", "notifications.scan_board_events",
}


def test_the_periodic_tasks_exist_after_migrate_and_every_one_names_a_registered_task():
    tasks = dict(PeriodicTask.objects.values_list("task", "enabled"))
    assert OURS <= set(tasks) and all(tasks[name] for name in OURS)
    registered = registered_task_names()
    assert set(tasks) - {"celery.backend_cleanup"} <= registered
    drain = PeriodicTask.objects.get(task="core.drain_outbox")
    assert (drain.interval.every, drain.interval.period) == (1, "minutes")
    digest = PeriodicTask.objects.get(task="notifications.daily_digest")
    assert (digest.crontab.hour, digest.crontab.minute, str(digest.crontab.timezone)) == ("7", "0", "Europe/London")


def test_beat_reads_them_from_the_database():
    # (all_as_schedule() leaves out crontab rows not due this hour, so build every entry as beat does.)
    entries = {m.task: DatabaseScheduler.Entry(m, app=app) for m in PeriodicTask.objects.enabled()}
    assert OURS <= set(entries)
    assert entries["core.drain_outbox"].schedule.run_every.total_seconds() == 60
    assert entries["notifications.daily_digest"].schedule.hour == {7}


def test_migrate_again_changes_nothing_admins_did():
    digest = PeriodicTask.objects.get(task="notifications.daily_digest")
    digest.crontab = CrontabSchedule.objects.create(minute="30", hour="8", timezone="Europe/London")
    digest.save()
    PeriodicTask.objects.get(task="notifications.scan_stalled_ideas").delete()
    PeriodicTask.objects.filter(task="notifications.scan_meetings").update(name="Meeting reminders (renamed)")
    count = PeriodicTask.objects.count()
    call_command("migrate", verbosity=0)
    assert PeriodicTask.objects.count() == count
    assert PeriodicTask.objects.get(task="notifications.daily_digest").crontab.hour == "8"
    assert not PeriodicTask.objects.filter(task="notifications.scan_stalled_ideas").exists()


def test_only_registered_tasks_get_a_row_and_a_later_registered_one_gets_it_on_the_next_run():
    from notifications.models import ScheduleSeed

    board_defaults = [d for d in JOBS if d.task.startswith("board.")]
    PeriodicTask.objects.filter(task__startswith="board.").delete()
    ScheduleSeed.objects.filter(name__in=[key for d in board_defaults for key in (d.name, d.task)]).delete()
    without_board = registered_task_names() - {d.task for d in board_defaults}
    assert ensure_default_schedules(registered=without_board) == []
    assert not PeriodicTask.objects.filter(task__startswith="board.").exists()
    created = ensure_default_schedules()
    assert created == [d.name for d in board_defaults]
    assert ensure_default_schedules() == []


DEFAULT_TASKS = [d.task for d in JOBS]


def test_every_default_schedule_deleted_by_an_admin_stays_deleted_after_migrate():
    assert set(PeriodicTask.objects.filter(task__in=DEFAULT_TASKS).values_list("task", flat=True)) == set(DEFAULT_TASKS)
    PeriodicTask.objects.filter(task__in=DEFAULT_TASKS).delete()
    call_command("migrate", verbosity=0)
    call_command("migrate", verbosity=0)
    assert list(PeriodicTask.objects.filter(task__in=DEFAULT_TASKS).values_list("task", flat=True)) == []


def test_every_default_schedule_changed_by_an_admin_stays_changed_after_migrate():
    from django_celery_beat.models import IntervalSchedule

    every_17 = IntervalSchedule.objects.create(every=17, period=IntervalSchedule.MINUTES)
    at_3 = CrontabSchedule.objects.create(minute="10", hour="3", timezone="Europe/London")
    for job in PeriodicTask.objects.filter(task__in=DEFAULT_TASKS):
        job.name = f"{job.task} (changed)"
        job.enabled = False
        job.interval, job.crontab = (every_17, None) if job.interval_id else (None, at_3)
        job.save()
    before = {job.task: (job.name, job.enabled, job.interval_id, job.crontab_id)
              for job in PeriodicTask.objects.filter(task__in=DEFAULT_TASKS)}
    call_command("migrate", verbosity=0)
    after = {job.task: (job.name, job.enabled, job.interval_id, job.crontab_id)
             for job in PeriodicTask.objects.filter(task__in=DEFAULT_TASKS)}
    assert after == before and len(after) == len(JOBS)
    assert PeriodicTask.objects.filter(task__in=DEFAULT_TASKS).count() == len(JOBS)


def test_a_default_renamed_in_code_is_not_created_again():
    from notifications.models import ScheduleSeed

    PeriodicTask.objects.filter(task="board.return_parked_ideas").delete()
    renamed = [Job(f"{d.name} (renamed)", d.task, d.description, d.every_minutes, d.at) for d in JOBS]
    ScheduleSeed.objects.exclude(name__in=DEFAULT_TASKS).delete()  # seeds keyed by the task survive a rename
    with patch("notifications.schedules.JOBS", renamed):
        assert ensure_default_schedules() == []
    assert not PeriodicTask.objects.filter(task="board.return_parked_ideas").exists()


def test_every_default_schedule_is_declared_once_in_the_schedules_module():
    tasks = [d.task for d in JOBS]
    assert len(tasks) == len(set(tasks))
    assert {"board.return_parked_ideas", "core.drain_outbox"} <= set(tasks)


def test_every_app_declares_its_jobs_to_the_one_registry_and_each_names_a_task_celery_knows():
    from board import notices as board_notices
    from ideas import notices as idea_notices
    from portfolio import tasks as portfolio_tasks

    assert set(idea_notices.JOBS) | set(board_notices.JOBS) | set(portfolio_tasks.JOBS) <= set(JOBS)
    assert {"core.drain_outbox", "core.prune_outbox", "notifications.daily_digest"} <= set(DEFAULT_TASKS)
    assert len(JOBS) == 15
    assert set(DEFAULT_TASKS) <= registered_task_names(), "a declared job names a task no worker would run"


def test_after_migrate_the_beat_rows_are_exactly_the_declared_jobs():
    assert set(PeriodicTask.objects.values_list("task", flat=True)) == set(DEFAULT_TASKS)


def test_nothing_but_the_schedules_module_creates_beat_rows():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    writers = []
    for package in ("harrow_innovation", "notifications", "ideas", "board", "portfolio"):
        for source in (root / package).rglob("*.py"):
            if "migrations" in source.parts or source == root / "notifications" / "schedules.py":
                continue
            text = source.read_text()
            if any(name in text for name in ("PeriodicTask", "CrontabSchedule", "IntervalSchedule")):
                writers.append(str(source.relative_to(root)))
    assert writers == []


def test_a_job_an_admin_scheduled_before_its_seed_is_not_scheduled_twice():
    from django_celery_beat.models import IntervalSchedule

    from notifications.models import ScheduleSeed

    PeriodicTask.objects.filter(task="notifications.send_pending").delete()
    ScheduleSeed.objects.filter(name="notifications.send_pending").delete()
    every_9 = IntervalSchedule.objects.create(every=9, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.create(name="Emails, my way", task="notifications.send_pending", interval=every_9)
    assert ensure_default_schedules() == []
    [job] = PeriodicTask.objects.filter(task="notifications.send_pending")
    assert (job.name, job.interval.every) == ("Emails, my way", 9)
    assert ScheduleSeed.objects.filter(name="notifications.send_pending").exists()


def test_a_job_must_say_when_and_a_task_is_scheduled_by_one_job_only():
    from django.core.exceptions import ImproperlyConfigured

    from notifications.schedules import declare

    with pytest.raises(ImproperlyConfigured, match="either every_minutes or at"):
        declare(Job("Sometime", "tests.sometime", ""))
    digest = next(job for job in JOBS if job.task == "notifications.daily_digest")
    with pytest.raises(ImproperlyConfigured, match="scheduled twice"):
        declare(Job("Digest again", digest.task, "", at=(9, 0)))
    declare(digest)  # the same declaration again is harmless
    assert [job.task for job in JOBS].count("notifications.daily_digest") == 1
