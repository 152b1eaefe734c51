"""Who opened a meeting's pack: a model in its own module, loaded by ``board.models``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PackOpened(models.Model):
    """A Board member opened a meeting's pack or papers (so meeting reminders can nudge those who have not).

    The table and the plain meeting id are from when the notifications app kept
    this record; the board owns it now, with no change to the database.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    meeting_id = models.PositiveBigIntegerField()
    first_opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "notifications_packopened"
        constraints = [models.UniqueConstraint(fields=["user", "meeting_id"], name="pack_opened_once")]

    def __str__(self) -> str:
        return f"{self.user_id} opened meeting {self.meeting_id}'s pack"
