"""A Redis server of the test's own, which the test may stop and start, and a Celery app pointed at it.

Never the shared Redis: other people's tests use that one.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker

from harrow_innovation.celery import app
from tests.services import IN_CI


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def freeze(self) -> None:
        """Hung, not dead: connections are accepted by the kernel but never answered."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def queue_length(self, queue: str = "celery") -> int:
        import redis

        return redis.Redis.from_url(self.url).llen(queue)


def need_redis_server() -> None:
    import pytest

    if not shutil.which("redis-server"):
        message = "redis-server is not installed"
        if IN_CI:
            pytest.fail(f"{message}: CI must run the outage tests.")
        pytest.skip(message)


def _reset_pools() -> None:
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str):
    """Point the Celery app's broker at ``url`` (results stay on the shared test Redis) and turn eager mode off."""
    from harrow_innovation.core import outbox

    old = app.conf.broker_url
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    _reset_pools()
    outbox._broker_down_until = 0.0
    try:
        yield app
    finally:
        app.conf.broker_url = old
        app.conf.task_always_eager = True
        _reset_pools()
        outbox._broker_down_until = 0.0


@contextmanager
def worker():
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30) as running:
        yield running


def wait_for(predicate, *, timeout: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
