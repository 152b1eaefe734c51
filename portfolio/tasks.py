"""The portfolio's background jobs."""

from __future__ import annotations

from celery import shared_task

from notifications import schedules

from . import services

JOBS = [
    schedules.Job(
        "Work out the dashboards' median days in stage again",
        "portfolio.refresh_stage_medians",
        "Computes again the median days in each stage that the dashboards show (with the time they were "
        "worked out), for every period and viewer a page asked for in the last week.",
        every_minutes=60,
    ),
]


@shared_task(name="portfolio.refresh_stage_medians", acks_late=True)
def refresh_stage_medians() -> dict:
    return {"computed": services.stage_medians_refresh()}
