"""The default beat schedule: rows in django-celery-beat's tables that admins can change."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from harrow_innovation.celery import app
from harrow_innovation.notifications.schedules import DEFAULTS, ensure_default_schedules, registered_task_names

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
    from harrow_innovation.notifications.models import ScheduleSeed

    board_defaults = [d for d in DEFAULTS if d.task.startswith("board.")]
    PeriodicTask.objects.filter(task__startswith="board.").delete()
    ScheduleSeed.objects.filter(name__in=[d.name for d in board_defaults]).delete()
    without_board = registered_task_names() - {d.task for d in board_defaults}
    assert ensure_default_schedules(registered=without_board) == []
    assert not PeriodicTask.objects.filter(task__startswith="board.").exists()
    created = ensure_default_schedules()
    assert created == [d.name for d in board_defaults]
    assert ensure_default_schedules() == []
