from __future__ import annotations

from django.db import models
from django.utils import timezone


class OutboxTask(models.Model):
    """A Celery task written in the same transaction as the change that causes it.

    After commit the web process tries to hand it to the broker at once; if the
    broker is down, the periodic ``core.drain_outbox`` job hands it over later.
    Tasks are idempotent, so a task handed over twice (a crash between send and
    mark) does no harm. A task run in-process that keeps failing is given up
    after ``OUTBOX_MAX_ATTEMPTS`` (``failed_at``) and waits for an admin to retry
    it; delivered rows are deleted after ``OUTBOX_RETENTION_DAYS``.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    failed_at = models.DateTimeField(null=True, blank=True, help_text="When the outbox gave up trying this task.")

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(dispatched_at__isnull=True, failed_at__isnull=True),
                         name="outbox_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"

    @property
    def status(self) -> str:
        if self.dispatched_at:
            return self.Status.DELIVERED
        if self.failed_at:
            return self.Status.FAILED
        return self.Status.PENDING
