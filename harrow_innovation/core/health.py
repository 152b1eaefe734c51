"""Checks of the services the web process depends on, for /healthz."""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "down" to a load balancer
        return "unavailable"
    return "ok"


def broker_state() -> str:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return "in-process"
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except Exception:
        return "unavailable"
    return "ok"
