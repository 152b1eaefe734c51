"""Reads for notification pages. Each costs a fixed number of queries."""

from __future__ import annotations

from django.db.models import QuerySet

from .kinds import KINDS, channel_for
from .models import Notification, Preference


def unread_count(request) -> int | None:
    """The header badge: one COUNT query per request, however many times it is asked."""
    user = request.user
    if not user.is_authenticated:
        return None
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return request._unread_notifications


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).only(
        "pk", "kind", "title", "body", "url", "created_at", "read_at"
    ).order_by("-created_at", "-pk")


def preferences_for(user) -> dict[str, str]:
    """kind → channel in force for ``user`` (their choice, or the kind's default)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind: channel_for(kind, chosen.get(kind)) for kind in KINDS}
