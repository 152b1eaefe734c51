"""Helpers for races between two real PostgreSQL connections (one per thread).

Django keeps one connection per thread, so each helper thread has its own
session; tests using these need committed data (``transactional_db``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.db import connection, connections, transaction

TIMEOUT = 20


def run_in_thread(target, results: dict, key: str) -> threading.Thread:
    def body():
        try:
            results[key] = target()
        except BaseException as exc:  # noqa: BLE001 - the test inspects what each thread raised
            results[key] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=body, name=key, daemon=True)
    thread.start()
    return thread


def lock_waiters() -> int:
    """How many other connections to this database are waiting for a lock right now."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def wait_until_a_backend_waits_for_a_lock(timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock_waiters():
            return
        time.sleep(0.02)
    raise AssertionError("the second connection never waited for the row lock")


def hold_then_race(hold: Callable, contend: Callable) -> tuple[object, object]:
    """Run ``hold`` in a transaction on one connection and keep it open until ``contend``,
    on a second connection, is waiting for one of its locks; then commit. Returns both results
    (or the exceptions they raised)."""
    holding, contender_waits = threading.Event(), threading.Event()
    results: dict = {}

    def first():
        with transaction.atomic():
            out = hold()
            holding.set()
            assert contender_waits.wait(TIMEOUT)
        return out

    def second():
        assert holding.wait(TIMEOUT)
        return contend()

    threads = [run_in_thread(first, results, "hold"), run_in_thread(second, results, "contend")]
    try:
        wait_until_a_backend_waits_for_a_lock()
    finally:
        contender_waits.set()
        for thread in threads:
            thread.join(TIMEOUT)
    return results.get("hold"), results.get("contend")
