"""WSGI entry point for gunicorn. Defaults to production settings."""

import os

from harrow_innovation.config import run_checked

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harrow_innovation.settings.production")

application = None


def _load() -> None:
    global application
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()


run_checked(_load)
