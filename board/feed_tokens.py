"""Calendar feed addresses: make one (shown once), stop one, find the one a calendar app asks with.

Only the digest of each address's secret is stored (harrow_innovation.core.hashed_secrets).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from harrow_innovation.core.hashed_secrets import digest, new_secret
from harrow_innovation.people.models import User
from harrow_innovation.people.roles import is_admin

from . import permissions
from .models import CalendarFeedToken
from .services import BoardError

logger = logging.getLogger(__name__)


@transaction.atomic
def calendar_token_reset(*, user: User) -> CalendarFeedToken:
    """Give ``user`` a new secret calendar address; any earlier one stops working.

    The returned row carries the secret in ``secret``, the only time it is known.
    """
    if not permissions.can_subscribe_calendar(user):
        raise BoardError("Only Board members and the secretary have a Board calendar.")
    secret, hashed = new_secret()
    token = CalendarFeedToken.objects.select_for_update().filter(user=user).first()
    if token is None:
        token = CalendarFeedToken.objects.create(user=user, digest=hashed)
    else:
        token.digest = hashed
        token.created_at = timezone.now()
        token.last_used_at = None
        token.save(update_fields=["digest", "created_at", "last_used_at"])
    token.secret = secret
    return token


def can_stop_calendar_token(user: User, token: CalendarFeedToken) -> bool:
    if token.user_id == user.pk:
        return True
    return is_admin(user)


@transaction.atomic
def calendar_token_revoke(*, token_id: int, by: User) -> User:
    """Stop a calendar address at once. Its owner or an admin may; returns whose it was."""
    token = CalendarFeedToken.objects.select_for_update(of=("self",)).select_related("user").filter(pk=token_id).first()
    if token is None:
        raise BoardError("This calendar address has already been stopped.")
    if not can_stop_calendar_token(by, token):
        raise BoardError("You cannot stop someone else's calendar address.")
    owner = token.user
    token.delete()
    logger.info("Calendar address of user %s stopped by user %s", owner.pk, by.pk)
    return owner


def calendar_token_for_secret(secret: str) -> CalendarFeedToken | None:
    """The address a calendar app asked with, if it still works; records its use at most hourly."""
    token = CalendarFeedToken.objects.select_related("user").filter(digest=digest(secret)).first()
    if token is None or not token.user.is_active or not permissions.can_subscribe_calendar(token.user):
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 3600:
        CalendarFeedToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
