"""Tests: PostgreSQL and Redis on this machine unless the environment names others.

conftest.py checks that both answer; with CI=true a missing one fails the run.
"""

import os
import socket
from urllib.parse import urlparse

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")


def _reachable(url: str, default_port: int) -> bool:
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=1):
            return True
    except OSError:
        return False


# Outside CI, a laptop without PostgreSQL still runs the suite on SQLite; tests that
# need PostgreSQL itself are marked and fail under CI=true (see tests/conftest.py).
if os.environ.get("CI", "").lower() != "true" and os.environ["DATABASE_URL"].startswith("postgres"):
    if not _reachable(os.environ["DATABASE_URL"], 5432):
        os.environ["DATABASE_URL"] = "sqlite:///:memory:"

from harrow_innovation.config import get_str  # noqa: E402

from .base import *  # noqa: E402,F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = str(VAR_DIR / "test-media")  # noqa: F405

# Tests run tasks in-process (eager) unless a test starts a real worker (tests/celery_helpers.py),
# which turns eager mode off so tasks travel through Redis at TEST_REDIS_URL.
TEST_REDIS_URL = get_str("REDIS_URL", "redis://127.0.0.1:6379/15")
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = TEST_REDIS_URL
CELERY_RESULT_BACKEND = TEST_REDIS_URL
AXES_FAILURE_LIMIT = 3
WHITENOISE_USE_FINDERS = True
