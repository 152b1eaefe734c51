"""API tokens: make one (its secret shown once), revoke one, and authenticate API requests with one.

Only the SHA-256 of a token's secret is stored (harrow_innovation.core.hashed_secrets).
A refused token gets 401 with a JSON ``detail`` saying why: not valid, revoked,
expired, or its account closed.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from harrow_innovation.core.hashed_secrets import digest, new_secret
from harrow_innovation.people.models import User
from harrow_innovation.people.roles import is_admin

from ..models import ApiToken

logger = logging.getLogger(__name__)

PREFIX = "hip_"  # lets secret scanners and people recognise a leaked token
KEYWORD = "Token"

NOT_VALID = "This API token is not valid. Check you copied all of it, or make a new one on the API tokens page."
REVOKED = "This API token has been revoked. Make a new one on the API tokens page."
EXPIRED = "This API token expired on {date}. Make a new one on the API tokens page."
CLOSED = "The account this API token belongs to is closed."
MALFORMED = "Send the token in one header: Authorization: Token <your token>."


class TokenError(Exception):
    """A token that may not be made or revoked now. The message is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Services ------------------------------------------------------------------------


def can_manage_token(user: User, token: ApiToken) -> bool:
    if token.user_id == user.pk:
        return True
    return is_admin(user)


def api_token_create(*, user: User, name: str, by: User) -> ApiToken:
    """Make a token for ``user`` (``by`` is the user, or an admin making one for a service account).

    The returned row carries the secret in ``secret``, the only time it is known.
    """
    if user.pk != by.pk and not is_admin(by):
        raise TokenError("Only admins can make a token for another account.")
    if not user.is_active:
        raise TokenError("That account is closed.")
    secret, hashed = new_secret(PREFIX)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user, name=name, digest=hashed, hint=secret[: len(PREFIX) + 4], created_at=now, created_by=by,
        expires_at=now + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS),
    )
    logger.info("API token %s made for user %s by user %s", token.pk, user.pk, by.pk)
    token.secret = secret
    return token


@transaction.atomic
def api_token_revoke(*, token_id: int, by: User) -> ApiToken:
    """Revoke a token at once: its owner or an admin may. Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update(of=("self",)).filter(pk=token_id).first()
    if token is None or not can_manage_token(by, token):
        raise TokenError("There is no such token.")
    if token.revoked_at is not None:
        raise TokenError("This token was already revoked.")
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])
    logger.info("API token %s of user %s revoked by user %s", token.pk, token.user_id, by.pk)
    return token


def api_token_check(secret: str) -> ApiToken:
    """The usable token with this secret and its user, or ``AuthenticationFailed`` saying why not."""
    token = ApiToken.objects.select_related("user").filter(digest=digest(secret)).first()
    if token is None:
        raise exceptions.AuthenticationFailed(NOT_VALID)
    now = timezone.now()
    if token.revoked_at is not None:
        raise exceptions.AuthenticationFailed(REVOKED)
    if token.expires_at <= now:
        raise exceptions.AuthenticationFailed(EXPIRED.format(date=date_format(timezone.localdate(token.expires_at))))
    if not token.user.is_active:
        raise exceptions.AuthenticationFailed(CLOSED)
    # Recorded at most hourly, so a busy program does not write on every request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(hours=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


# --- DRF authentication ---------------------------------------------------------------


def _sent_token(request) -> list[bytes] | None:
    parts = get_authorization_header(request).split()
    if not parts or parts[0].lower() != KEYWORD.lower().encode():
        return None
    return parts


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Token <secret>``."""

    def authenticate(self, request):
        parts = _sent_token(request)
        if parts is None:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(MALFORMED)
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(NOT_VALID) from None
        token = api_token_check(secret)
        return token.user, token

    def authenticate_header(self, request):
        # A program that sent a token gets 401 and a challenge; a browser without a session keeps its 403.
        return KEYWORD if _sent_token(request) is not None else None


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token header in /api/schema/."""

    target_class = "portfolio.api.tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": 'An API token with the prefix "Token ", e.g. "Token hip_…"'}
