"""Which real services the tests can reach, and what to do when one is missing.

With CI=true a missing service is a failure, never a skip: CI must prove the
real stack. On a laptop without PostgreSQL or Redis the tests that need them
are skipped with a reason that says so.
"""

from __future__ import annotations

import os
import shutil
import socket
from functools import cache
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = "/usr/bin/chromium"


@cache
def redis_reachable() -> bool:
    url = urlparse(settings.TEST_REDIS_URL)
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def _missing(what: str) -> None:
    message = f"{what} is not available"
    if IN_CI:
        pytest.fail(f"{message}: CI must run this test against the real service.")
    pytest.skip(f"{message} on this machine (CI=true makes this a failure)")


def need_postgres() -> None:
    if connection.vendor != "postgresql":
        _missing("PostgreSQL")


def need_redis() -> None:
    if not redis_reachable():
        _missing("Redis")


def need_chromium() -> None:
    if not shutil.which(CHROMIUM):
        _missing("Chromium (/usr/bin/chromium)")
