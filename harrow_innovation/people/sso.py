"""Who a verified Entra ID token signs in as: the rules, apart from the OpenID Connect plumbing.

The account is found by the identity provider's stable id (``oid``, else ``sub``),
stored on the user at the first single sign-on. The email claim is only used once,
to link an existing account that has never used single sign-on, and only for a
member of our own tenant; after that a changed email claim changes nothing here.

Guests (people from other organisations invited into our tenant) are recognised by
either of Entra's signals:
- the optional ``acct`` claim is 1 (add it under "Token configuration" in Entra), or
- an ``idp`` claim names an identity provider other than our own tenant (Entra adds
  ``idp`` when the person signed in at their home organisation or a Microsoft account).
They are refused unless ``OIDC_ALLOW_GUESTS`` is on.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import IntegrityError, transaction

from .models import User
from .roles import Role, role_group

logger = logging.getLogger(__name__)

NOT_CONFIRMED = (
    "We could not confirm your sign-in with your council account. Try again. "
    "If it keeps happening, contact the IT service desk."
)
UNAVAILABLE = (
    "Signing in with your council account is not working at the moment. "
    "Try again later, or sign in with your email address and password."
)
CANCELLED = "Signing in with your council account was cancelled or refused. Try again."
CLOSED = "This account has been closed. If you need it again, ask an administrator of the Innovation Pipeline."
OTHER_TENANT = (
    "You signed in with an account from another organisation. Sign in with your Harrow Council account."
)
GUEST = (
    "Guest accounts cannot sign in to this service. Sign in with your own Harrow Council account, "
    "or ask an administrator of the Innovation Pipeline for access."
)
NO_ACCOUNT = "There is no account for you in this service yet. Ask an administrator of the Innovation Pipeline to add you."
NO_EMAIL = "Your council account has no email address, so it cannot be used here. Contact the IT service desk."
EMAIL_TAKEN = (
    "Your email address belongs to an account that is already linked to a different council sign-in. "
    "Ask an administrator of the Innovation Pipeline to check your account."
)


class SignInRefused(Exception):
    """Single sign-on worked but this person may not sign in; ``message`` says why, for them."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_token_claims(claims: dict) -> None:
    """Refuse an ID token that was not issued by our tenant for this service, or has expired.

    The signature and nonce are checked by mozilla-django-oidc before this runs.
    """
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if claims.get("iss") != settings.OIDC_OP_ISSUER or settings.OIDC_RP_CLIENT_ID not in audiences:
        logger.warning("SSO refused: issuer %r or audience %r is not ours", claims.get("iss"), audience)
        raise SignInRefused(NOT_CONFIRMED)
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or expires <= time.time():
        raise SignInRefused(NOT_CONFIRMED)
    if claims.get("tid") != settings.OIDC_ENTRA_TENANT_ID:
        logger.warning("SSO refused: tenant %r is not ours", claims.get("tid"))
        raise SignInRefused(OTHER_TENANT)
    if not stable_id(claims):
        raise SignInRefused(NOT_CONFIRMED)


def stable_id(claims: dict) -> str:
    return str(claims.get("oid") or claims.get("sub") or "")


def is_guest(claims: dict) -> bool:
    if str(claims.get("acct", "")) == "1":
        return True
    idp = claims.get("idp")
    own = {settings.OIDC_OP_ISSUER, f"https://sts.windows.net/{settings.OIDC_ENTRA_TENANT_ID}/"}
    return bool(idp) and idp not in own


def _email(claims: dict) -> str:
    for name in ("email", "preferred_username"):
        value = str(claims.get(name) or "").strip().lower()
        if "@" in value:
            return value
    return ""


def sso_user_for_claims(claims: dict) -> User:
    """The open account these verified claims sign in as, linking or creating it if allowed.

    Raises ``SignInRefused`` with a message for the person otherwise.
    """
    check_token_claims(claims)
    guest = is_guest(claims)
    if guest and not settings.OIDC_ALLOW_GUESTS:
        raise SignInRefused(GUEST)
    sso_id = stable_id(claims)
    user = User.objects.filter(sso_id=sso_id).first()
    if user is None:
        user = _link_or_create(claims, sso_id=sso_id, guest=guest)
    if not user.is_active:
        raise SignInRefused(CLOSED)
    name = str(claims.get("name") or "").strip()[:150]
    if name and name != user.full_name:
        user.full_name = name
        user.save(update_fields=["full_name"])
    return user


def _link_or_create(claims: dict, *, sso_id: str, guest: bool) -> User:
    email = _email(claims)
    if not email:
        raise SignInRefused(NO_EMAIL)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        # A guest's email claim is asserted by another organisation: it never unlocks an account here.
        if guest or existing.sso_id is not None:
            logger.warning("SSO refused: %s is linked elsewhere or the claim is a guest's", email)
            raise SignInRefused(EMAIL_TAKEN)
        if not existing.is_active:
            raise SignInRefused(CLOSED)
        linked = User.objects.filter(pk=existing.pk, sso_id__isnull=True).update(sso_id=sso_id)
        if not linked:  # another sign-in linked it a moment ago
            return _found_after_race(sso_id)
        existing.sso_id = sso_id
        return existing
    if not settings.OIDC_CREATE_USER:
        raise SignInRefused(NO_ACCOUNT)
    try:
        with transaction.atomic():
            user = User.objects.create_user(email, None, full_name=str(claims.get("name") or email)[:150], sso_id=sso_id)
            user.groups.add(role_group(Role.OFFICER))
    except IntegrityError:  # the same person's first sign-in in another tab won the race
        return _found_after_race(sso_id)
    return user


def _found_after_race(sso_id: str) -> User:
    user = User.objects.filter(sso_id=sso_id).first()
    if user is None:
        raise SignInRefused(EMAIL_TAKEN)
    return user
