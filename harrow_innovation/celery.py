"""The Celery application. Workers and beat run with the same settings module as the web."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harrow_innovation.settings.local")

app = Celery("harrow_innovation")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
