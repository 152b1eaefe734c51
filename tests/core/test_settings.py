"""Start-up configuration: production refuses to run unsafely, and says why in one line."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE", "SITE_URL"}}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "harrow_innovation.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "innovation.harrow.gov.uk",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SITE_URL": "https://innovation.harrow.gov.uk",
}


def test_production_check_deploy_has_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret():
    env = dict(PRODUCTION)
    del env["SECRET_KEY"]
    result = manage("check", **env)
    assert result.returncode == 2
    assert result.stderr.strip() == "Configuration error: SECRET_KEY is not set: it is required in this environment."


def test_a_malformed_variable_stops_start_up_with_one_line():
    result = manage("check", DEBUG="perhaps")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == ["Configuration error: DEBUG='perhaps' is malformed: expected true or false"]


def test_a_malformed_database_url_names_the_variable():
    result = manage("check", DATABASE_URL="mysql://somewhere/db")
    assert result.returncode == 2
    assert result.stderr.startswith("Configuration error: DATABASE_URL=")


def test_laptop_defaults_need_no_environment():
    env = {"DJANGO_SETTINGS_MODULE": "harrow_innovation.settings.local"}
    result = manage("shell", "-c", "from django.conf import settings as s; print('RESULT', s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)", **env)
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT"))
    _, engine, eager, email = line.split()
    assert engine == "django.db.backends.sqlite3"
    assert eager == "True"
    assert email == "django.core.mail.backends.filebased.EmailBackend"


def test_migrations_are_committed():
    result = manage("makemigrations", "--check", "--dry-run", DJANGO_SETTINGS_MODULE="harrow_innovation.settings.local")
    assert result.returncode == 0, result.stdout + result.stderr


def test_postgresql_connections_turn_off_jit_for_page_queries():
    from harrow_innovation.config import get_database

    config = get_database("X", "postgres://app@db.example:5432/innovation")
    assert config["OPTIONS"]["options"] == "-c jit=off"
    assert "options" not in get_database("X", "sqlite:////tmp/db.sqlite3").get("OPTIONS", {})


def test_the_test_database_runs_without_jit(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


# --- The site address: links in emails and calendar files ----------------------------


def test_production_refuses_to_start_without_a_site_url():
    env = dict(PRODUCTION)
    del env["SITE_URL"]
    result = manage("check", **env)
    assert result.returncode == 2
    assert result.stderr.strip() == "Configuration error: SITE_URL is not set: it is required in this environment."


@pytest.mark.parametrize("url", ["http://innovation.harrow.gov.uk", "innovation.harrow.gov.uk", "https://", "https://x.example/?a=1"])
def test_production_refuses_a_site_url_that_is_not_an_https_address(url):
    result = manage("check", **{**PRODUCTION, "SITE_URL": url})
    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"Configuration error: SITE_URL={url!r} is malformed")


def test_production_uses_the_site_url_it_is_given():
    result = manage("shell", "-c", "from django.conf import settings as s; print('RESULT', s.SITE_URL)",
                    **{**PRODUCTION, "SITE_URL": "https://innovation.harrow.gov.uk/"})
    assert result.returncode == 0, result.stderr
    assert "RESULT https://innovation.harrow.gov.uk" in result.stdout.splitlines()


def _make_run_line(port: str | None, **env_overrides) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT", "MAKEFLAGS"}}
    env.update(env_overrides)
    args = ["make", "-n", "run"] + ([f"PORT={port}"] if port else [])
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return next(line for line in result.stdout.splitlines() if "manage.py runserver" in line)


@pytest.mark.parametrize(("port", "env", "expected"), [
    ("8080", {}, "http://127.0.0.1:8080"),
    (None, {}, "http://127.0.0.1:8000"),
    ("8080", {"SITE_URL": "https://innovation.example.gov.uk"}, "https://innovation.example.gov.uk"),
])
def test_make_run_tells_the_server_the_address_it_serves_on(port, env, expected):
    line = _make_run_line(port, **env)
    assert line.endswith(f"runserver 127.0.0.1:{port or '8000'}")
    # Run the very command line make would, with the server swapped for a print of the setting.
    probe = line.replace(f"runserver 127.0.0.1:{port or '8000'}",
                         "shell -c \"from django.conf import settings as s; print('RESULT', s.SITE_URL)\"")
    child_env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    child_env["DJANGO_SETTINGS_MODULE"] = "harrow_innovation.settings.local"
    result = subprocess.run(["bash", "-c", probe], cwd=ROOT, env=child_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"RESULT {expected}" in result.stdout.splitlines()
