"""A real Celery worker for tests: tasks travel through Redis, not eager mode."""

from __future__ import annotations

from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker

from harrow_innovation.celery import app
from tests.services import need_redis


@contextmanager
def real_worker(**kwargs):
    """Run a worker thread consuming from Redis while the block runs.

    Needs a ``transactional_db`` test: the worker thread has its own database
    connection and only sees committed rows, as in production.
    """
    need_redis()
    app.conf.task_always_eager = False
    app.control.purge()
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30, **kwargs) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True
