"""Reads for notification pages. Each costs a fixed number of queries."""

from __future__ import annotations

from django.db.models import QuerySet

from .kinds import KINDS, channel_for
from .models import Notification, Preference


def unread_count(request) -> int | None:
    """The header badge: read with the signed-in user, else one COUNT query per request, however often asked."""
    user = request.user
    if not user.is_authenticated:
        return None
    if not hasattr(request, "_unread_notifications"):
        preloaded = getattr(user, "request_unread_notifications", None)  # read with the user: see UNREAD_COLUMN
        if preloaded is None:
            preloaded = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        request._unread_notifications = preloaded
    return request._unread_notifications


# The badge's count, read with the signed-in user (people.backends.REQUEST_USER_COLUMNS).
UNREAD_COLUMN = "(SELECT COUNT(*) FROM notifications_notification n WHERE n.recipient_id = u.id AND n.read_at IS NULL)"


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).only(
        "pk", "kind", "title", "body", "url", "created_at", "read_at"
    ).order_by("-created_at", "-pk")


def preferences_for(user) -> dict[str, str]:
    """kind → channel in force for ``user`` (their choice, or the kind's default)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind: channel_for(kind, chosen.get(kind)) for kind in KINDS}
