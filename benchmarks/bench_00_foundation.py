"""A baseline figure every run prints: a bare request through the whole middleware stack."""

from django.test import Client

from benchmarks.harness import median_seconds, report


def run() -> None:
    client = Client()
    seconds = median_seconds(lambda: client.get("/healthz"), repeat=50)
    report("healthz median server time", seconds * 1000, "ms")
