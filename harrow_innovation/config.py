"""Reading configuration from the environment, in one place.

Every setting that varies between a laptop, CI and production is read here,
through django-environ, so a missing or malformed variable fails with one line
naming it (see ``ConfigError`` and ``manage.py``/``wsgi.py``), never with a
traceback deep in Django.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import environ

BASE_DIR = Path(__file__).resolve().parent.parent


class ConfigError(Exception):
    """A configuration variable is missing or malformed."""


env = environ.Env()


def _read(name: str, cast, default, required: bool):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        if required:
            raise ConfigError(f"{name} is not set: it is required in this environment.")
        return default
    try:
        return cast(raw)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{name}={raw!r} is malformed: {exc}") from None


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true or false")


def _int(raw: str) -> int:
    return int(raw.strip())


def _list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def get_str(name: str, default: str = "", *, required: bool = False) -> str:
    return _read(name, str, default, required)


def get_bool(name: str, default: bool = False, *, required: bool = False) -> bool:
    return _read(name, _bool, default, required)


def get_int(name: str, default: int = 0, *, required: bool = False) -> int:
    return _read(name, _int, default, required)


def get_list(name: str, default: list[str] | None = None, *, required: bool = False) -> list[str]:
    return _read(name, _list, default or [], required)


def get_database(name: str = "DATABASE_URL", default: str = "", *, required: bool = False) -> dict:
    url = get_str(name, default, required=required)
    scheme = urlparse(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ConfigError(f"{name}={url!r} is malformed: use sqlite:///path or postgres://user@host:port/name.")
    try:
        config = env.db_url_config(url)
    except Exception as exc:  # django-environ raises several types for bad URLs
        raise ConfigError(f"{name}={url!r} is malformed: {exc}") from None
    if scheme != "sqlite":
        config.setdefault("CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
        # Page queries are short: PostgreSQL's JIT compiler, triggered by a large cost
        # estimate (a deep page of the idea list), spent 50 ms compiling to save none.
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return config


def get_site_url(name: str = "SITE_URL", default: str = "", *, required: bool = False, https: bool = False) -> str:
    """The service's public address (scheme, host, optional port and path), without a trailing slash.

    Links in emails and calendar files are built on it, so a wrong one sends people
    elsewhere: it must be absolute, and ``https`` where the service is only served over TLS.
    """
    raw = get_str(name, default, required=required)
    url = raw.strip().rstrip("/")
    if not url:
        return url
    parts = urlparse(url)
    schemes = {"https"} if https else {"http", "https"}
    if parts.scheme not in schemes or not parts.hostname or parts.query or parts.fragment or parts.params:
        need = "an https address" if https else "an absolute address"
        raise ConfigError(f"{name}={raw!r} is malformed: use {need} people open, such as https://innovation.harrow.gov.uk.")
    try:
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is malformed: {exc}") from None
    return url


def get_redis_url(name: str = "REDIS_URL", default: str = "") -> str:
    url = get_str(name, default)
    if url and urlparse(url).scheme not in {"redis", "rediss"}:
        raise ConfigError(f"{name}={url!r} is malformed: use redis://host:port/db.")
    return url


def run_checked(main) -> None:
    """Run ``main`` and turn a configuration error into one line on stderr."""
    import sys

    try:
        main()
    except ConfigError as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        raise SystemExit(2) from None
    except Exception as exc:  # Django wraps settings errors; unwrap ours
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, ConfigError):
            sys.stderr.write(f"Configuration error: {cause}\n")
            raise SystemExit(2) from None
        raise
