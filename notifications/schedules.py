"""The default beat schedule, as django-celery-beat rows that admins change in Django admin.

This is the one place the project declares its scheduled jobs: an app with a
periodic task adds it to ``DEFAULTS`` here and never creates beat rows itself.

``ensure_default_schedules()`` runs after every ``migrate``. It creates a
default only if that task is registered with Celery and this app has never
created it before (``ScheduleSeed``, one row per default, keyed by its task
name): admins' changes, renames and deletions are never undone. Board tasks
get their rows on the first migrate after the board app registers them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction


@dataclass(frozen=True)
class Default:
    name: str
    task: str
    description: str
    every_minutes: int | None = None
    at: tuple[int, int] | None = None  # (hour, minute), every day


DEFAULTS = [
    Default("Hand waiting tasks to the workers (outbox)", "core.drain_outbox",
            "Publishes tasks that could not reach the broker when they were created (for example during a Redis outage).",
            every_minutes=1),
    Default("Delete delivered outbox rows", "core.prune_outbox",
            "Deletes task-outbox rows delivered longer ago than OUTBOX_RETENTION_DAYS (default 7). "
            "Waiting and failed rows stay.", at=(3, 15)),
    Default("Send notification emails still waiting", "notifications.send_pending",
            "Sends emails a worker did not finish and tries failed ones again, up to 3 attempts.", every_minutes=5),
    Default("Return parked ideas to the Board's list", "board.return_parked_ideas",
            "Moves parked ideas whose date has come back to the Board secretary's list.", at=(5, 30)),
    Default("Remind reviewers of overdue reviews", "notifications.scan_overdue_reviews",
            "Reviewers first, then the Board secretary a few days later.", at=(6, 30)),
    Default("Tell owners and the secretary about stalled ideas", "notifications.scan_stalled_ideas",
            "Ideas that have stayed in a stage longer than the stage's allowance.", at=(6, 35)),
    Default("Remind Board members of meetings", "notifications.scan_meetings",
            "Days before each meeting, set by NOTIFY_MEETING_DAYS (default 7 and 1).", at=(6, 40)),
    Default("Remind owners of Board actions due or overdue", "notifications.scan_actions", "", at=(6, 45)),
    Default("Tell owners and the secretary when a parked idea's date comes", "notifications.scan_parked_ideas", "",
            at=(6, 50)),
    Default("Catch Board events not yet told", "notifications.scan_board_events",
            "Agendas published and decisions recorded in the last two days that nobody was told about.",
            every_minutes=5),
    Default("Send the daily digest", "notifications.daily_digest",
            "One email a day to each person who chose a digest and has something in it.", at=(7, 0)),
    Default("Rescue agenda packs stuck building", "board.rescue_stale_packs",
            "Hands a pack whose worker died back to the queue.", every_minutes=2),
    Default("Refresh published agenda packs", "board.refresh_published_packs",
            "Builds a new pack version when a paper changed after publication.", every_minutes=5),
]


def registered_task_names() -> set[str]:
    from harrow_innovation.celery import app

    app.loader.import_default_modules()  # autodiscover every app's tasks module
    return set(app.tasks.keys())


@transaction.atomic
def ensure_default_schedules(*, using: str = "default", registered: set[str] | None = None) -> list[str]:
    """Create the default rows that are missing and were never created before. Returns their names."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    from .models import ScheduleSeed

    registered = registered_task_names() if registered is None else registered
    # Seeds were once keyed by the default's name: either key means "created before", so renaming
    # a default here never brings back a schedule an admin deleted.
    seeded = set(ScheduleSeed.objects.using(using).values_list("name", flat=True))
    created = []
    for default in DEFAULTS:
        if {default.task, default.name} & seeded or default.task not in registered:
            continue
        if PeriodicTask.objects.using(using).filter(task=default.task).exists():
            ScheduleSeed.objects.using(using).create(name=default.task)  # scheduled already, by admins
            continue
        task = PeriodicTask(name=default.name, task=default.task, description=default.description,
                            args=json.dumps([]), kwargs=json.dumps({}))
        if default.every_minutes:
            spec = dict(every=default.every_minutes, period=IntervalSchedule.MINUTES)
            schedules = IntervalSchedule.objects.using(using)
            task.interval = schedules.filter(**spec).first() or schedules.create(**spec)
        else:
            hour, minute = default.at
            spec = dict(minute=str(minute), hour=str(hour), day_of_week="*", day_of_month="*", month_of_year="*",
                        timezone=settings.TIME_ZONE)
            schedules = CrontabSchedule.objects.using(using)
            task.crontab = schedules.filter(**spec).first() or schedules.create(**spec)
        if not PeriodicTask.objects.using(using).filter(name=default.name).exists():
            task.save(using=using)
            created.append(default.name)
        ScheduleSeed.objects.using(using).create(name=default.task)
    return created
