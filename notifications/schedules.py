"""The one place scheduled jobs come from: django-celery-beat rows, created once, that admins then own.

Every app declares its periodic jobs to this registry (``declare``), from its
``notices.py`` in ``AppConfig.ready`` as navigation entries are; this module
declares its own and the task outbox's (``harrow_innovation.core``). Nothing
else creates beat rows.

``ensure_default_schedules()`` runs after every ``migrate``. It creates a
job's row only if its task is registered with Celery and this app has never
created it before (``ScheduleSeed``, one row per job, keyed by its task name):
admins' changes, renames and deletions are never undone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction


@dataclass(frozen=True)
class Job:
    name: str  # the row's name in Django admin
    task: str  # the Celery task name: the job's identity, never reused
    description: str
    every_minutes: int | None = None
    at: tuple[int, int] | None = None  # (hour, minute), every day


JOBS: list[Job] = []


def declare(*jobs: Job) -> None:
    """Add jobs to the schedule (idempotent). A task is scheduled by one job only."""
    for job in jobs:
        if (job.every_minutes is None) == (job.at is None):
            raise ImproperlyConfigured(f"The job {job.task!r} needs either every_minutes or at.")
        same = [known for known in JOBS if job.task == known.task]
        if same and same[0] != job:
            raise ImproperlyConfigured(f"The task {job.task!r} is scheduled twice, differently.")
        if not same:
            JOBS.append(job)


declare(
    Job("Hand waiting tasks to the workers (outbox)", "core.drain_outbox",
        "Publishes tasks that could not reach the broker when they were created (for example during a Redis outage).",
        every_minutes=1),
    Job("Delete delivered outbox rows", "core.prune_outbox",
        "Deletes task-outbox rows delivered longer ago than OUTBOX_RETENTION_DAYS (default 7). "
        "Waiting and failed rows stay.", at=(3, 15)),
    Job("Send notification emails still waiting", "notifications.send_pending",
        "Sends emails a worker did not finish and tries failed ones again, up to 3 attempts.", every_minutes=5),
    Job("Send the daily digest", "notifications.daily_digest",
        "One email a day to each person who chose a digest and has something in it.", at=(7, 0)),
)


def registered_task_names() -> set[str]:
    from harrow_innovation.celery import app

    app.loader.import_default_modules()  # autodiscover every app's tasks module
    return set(app.tasks.keys())


@transaction.atomic
def ensure_default_schedules(*, using: str = "default", registered: set[str] | None = None) -> list[str]:
    """Create the jobs' rows that are missing and were never created before. Returns their names."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    from .models import ScheduleSeed

    registered = registered_task_names() if registered is None else registered
    # Seeds were once keyed by the job's name: either key means "created before", so renaming
    # a job here never brings back a schedule an admin deleted.
    seeded = set(ScheduleSeed.objects.using(using).values_list("name", flat=True))
    created = []
    for job in JOBS:
        if {job.task, job.name} & seeded or job.task not in registered:
            continue
        if PeriodicTask.objects.using(using).filter(task=job.task).exists():
            ScheduleSeed.objects.using(using).create(name=job.task)  # scheduled already, by admins
            continue
        task = PeriodicTask(name=job.name, task=job.task, description=job.description,
                            args=json.dumps([]), kwargs=json.dumps({}))
        if job.every_minutes:
            spec = dict(every=job.every_minutes, period=IntervalSchedule.MINUTES)
            schedules = IntervalSchedule.objects.using(using)
            task.interval = schedules.filter(**spec).first() or schedules.create(**spec)
        else:
            hour, minute = job.at
            spec = dict(minute=str(minute), hour=str(hour), day_of_week="*", day_of_month="*", month_of_year="*",
                        timezone=settings.TIME_ZONE)
            schedules = CrontabSchedule.objects.using(using)
            task.crontab = schedules.filter(**spec).first() or schedules.create(**spec)
        if not PeriodicTask.objects.using(using).filter(name=job.name).exists():
            task.save(using=using)
            created.append(job.name)
        ScheduleSeed.objects.using(using).create(name=job.task)
    return created
