"""Notifications: what each person was told, how, and the keys that stop anything being sent twice.

- ``DeliveryKey`` is the permanent record that an event or reminder was issued
  to one person: (kind, recipient, object, due date) is unique in the database,
  so a rerun, a retry or two beat processes cannot issue the same one twice.
  Keys are tiny and kept for ever; notifications may be pruned.
- ``Notification`` is what the person sees in the service and, depending on
  their preference, gets by email now or in the daily digest.
- ``Digest`` is one daily digest email: unique per person per day.
- ``Preference`` is a person's choice per kind of event.

All writes go through ``services`` and ``delivery``; the apps declare what is told (``kinds``, ``events``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def kind_choices() -> list[tuple[str, str]]:
    """The kinds the apps declared (``notifications.kinds``); a callable, so declaring one needs no migration."""
    from .kinds import kind_choices as declared

    return declared()


class Channel(models.TextChoices):
    IMMEDIATE = "immediate", "Immediately"
    DIGEST = "digest", "In a daily digest"
    OFF = "off", "Off"


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Not sent"


class Preference(models.Model):
    """How one person wants to hear about one kind of event. No row: the kind's default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=40, choices=kind_choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} → {self.get_channel_display()}"


class DeliveryKey(models.Model):
    """One event or reminder issued to one person. Unique: it can be issued only once."""

    kind = models.CharField(max_length=40, choices=kind_choices)
    # No index of its own: the unique key below starts with the recipient, and every
    # index slows the bulk inserts of a big reminders run.
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    object_type = models.CharField(max_length=60, help_text="app_label.model of the thing it is about.")
    object_id = models.PositiveBigIntegerField()
    due_date = models.DateField(help_text="The day the event happened or the reminder fell due.")
    created_at = models.DateTimeField(default=timezone.now)
    # Which run inserted the row: a bulk INSERT … ON CONFLICT DO NOTHING can then
    # read back exactly the keys it won, on any database.
    run = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_type", "object_id", "due_date"], name="delivery_key_once"
            ),
        ]
        indexes = [models.Index(fields=["run"], name="delivery_key_run")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id} about {self.object_type}:{self.object_id} ({self.due_date})"


class Digest(models.Model):
    """One daily digest email to one person. Unique per person per day."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_digests")
    day = models.DateField()
    email_status = models.CharField(max_length=20, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    email_error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    item_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day", "recipient"]
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_a_day")]
        indexes = [
            models.Index(fields=["day"], condition=Q(email_status="pending"), name="digest_pending"),
        ]

    def __str__(self) -> str:
        return f"Digest for {self.recipient} on {self.day}"


class Notification(models.Model):
    # The recipient's lookups use the composite indexes below; a separate FK index
    # would only slow the digest's bulk updates (each updated row touches every index).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    kind = models.CharField(max_length=40, choices=kind_choices)
    # The notification's id is its key's id: one notification per key, and one index
    # fewer to write for each of the thousands a reminders run inserts and a digest updates.
    key = models.OneToOneField(DeliveryKey, on_delete=models.PROTECT, related_name="notification", primary_key=True)
    object_type = models.CharField(max_length=60)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, help_text="Path of the page it is about.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, help_text="The preference when it was made.")
    email_status = models.CharField(max_length=20, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    email_error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # Digest items are not linked to their Digest row: the row is unique per person and
    # day, and linking 50,000 items costs the morning run a subquery per item.
    emailed_at = models.DateTimeField(null=True, blank=True, help_text="The last attempt to email it.")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["channel", "created_at"], condition=Q(email_status="pending"), name="notification_pending"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class ScheduleSeed(models.Model):
    """A default periodic task this app created once (``name`` holds its task name; early rows its title).

    Never created again, even if admins delete it.
    """

    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name
