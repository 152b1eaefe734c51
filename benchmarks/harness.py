"""Shared parts of the benchmarks: a throwaway PostgreSQL database and timing helpers."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases


@contextmanager
def bench_database():
    """Create `test_<name>` like the test runner does, migrate it, drop it afterwards."""
    if connection.vendor != "postgresql":
        raise SystemExit("Benchmarks run on PostgreSQL: set DATABASE_URL=postgres://… (default: local test database).")
    old = setup_databases(verbosity=0, interactive=False)
    try:
        yield
    finally:
        teardown_databases(old, verbosity=0)


def page_medians(pages: dict[str, tuple], *, rounds: int, warmup: int = 3) -> dict[str, float]:
    """Median seconds per page, ``pages`` being name -> (test client, URL).

    The pages are sampled in turn, round after round, so a busy machine slows
    them all alike; a streamed response is read to its end.
    """
    samples: dict[str, list[float]] = {name: [] for name in pages}
    for round_number in range(warmup + rounds):
        for name, (client, url) in pages.items():
            start = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                for _ in response.streaming_content:
                    pass
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            if round_number >= warmup:
                samples[name].append(elapsed)
    return {name: statistics.median(values) for name, values in samples.items()}


def page_queries(client, url: str) -> int:
    """How many SQL queries one request for ``url`` makes."""
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


def median_seconds(fn: Callable[[], object], *, repeat: int = 15, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def report(name: str, value: float, unit: str, *, baseline: float | None = None, baseline_name: str = "") -> None:
    if baseline:
        print(f"{name}: {value:.2f} {unit} (ratio {value / baseline:.2f} vs {baseline_name})", flush=True)
    else:
        print(f"{name}: {value:.2f} {unit}", flush=True)
