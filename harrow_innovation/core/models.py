from __future__ import annotations

from django.db import models
from django.utils import timezone


class OutboxTask(models.Model):
    """A Celery task written in the same transaction as the change that causes it.

    After commit the web process tries to hand it to the broker at once; if the
    broker is down, the periodic ``core.drain_outbox`` job hands it over later.
    Tasks are idempotent, so a task handed over twice (a crash between send and
    mark) does no harm.
    """

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(dispatched_at__isnull=True), name="outbox_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"
