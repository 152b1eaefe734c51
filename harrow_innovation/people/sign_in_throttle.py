"""Sign-in throttling on top of django-axes: one counter per account, and a brake on distributed guessing.

django-axes locks an account *from one address* (``AXES_LOCKOUT_PARAMETERS``)
after ``AXES_FAILURE_LIMIT`` failures: locking the account everywhere would let
anyone lock the chair out before a Board meeting. An attacker with many
addresses could then still guess without limit, so once an account has
``SIGN_IN_ACCOUNT_FAILURE_LIMIT`` failures from anywhere within the cool-off,
sign-in to it from devices that have never signed in to it is *slowed*, not
locked: one attempt every ``SIGN_IN_ACCOUNT_SLOW_SECONDS`` for the whole account,
however many addresses the guesses come from. The person's own devices carry a
cookie from their last successful sign-in and are never slowed.
"""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .emails import normalise_email

KNOWN_DEVICE_COOKIE = "known_device"
KNOWN_DEVICE_MAX_AGE = 60 * 60 * 24 * 365
_SALT = "harrow_innovation.people.known_device"


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """AXES_USERNAME_CALLABLE: every spelling of an address counts against one account."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        return normalise_email(credentials.get(field))
    return normalise_email(getattr(request, "data", request.POST).get(field))


def _device_mark(email: str) -> str:
    # A keyed hash, so the cookie neither names the person nor can be made for another account.
    return salted_hmac(_SALT, normalise_email(email)).hexdigest()


def remember_device(response: HttpResponse, email: str) -> None:
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        _device_mark(email),
        max_age=KNOWN_DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def is_known_device(request: HttpRequest, email: str) -> bool:
    mark = request.COOKIES.get(KNOWN_DEVICE_COOKIE, "")
    return bool(mark) and constant_time_compare(mark, _device_mark(email))


def account_failures(email: str) -> int:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(username=normalise_email(email), attempt_time__gte=since)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def account_braked(request: HttpRequest, email: str) -> bool:
    """True if this device must wait before trying this account (it is under attack, and this device is unknown).

    Attempts are spaced, not stopped: once the account's last failure is ``SIGN_IN_ACCOUNT_SLOW_SECONDS``
    old, the next attempt from anywhere is checked as usual.
    """
    if is_known_device(request, email):
        return False
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(username=normalise_email(email), attempt_time__gte=since)
    totals = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (totals["failures"] or 0) < settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT:
        return False
    return timezone.now() - totals["last"] < timedelta(seconds=settings.SIGN_IN_ACCOUNT_SLOW_SECONDS)


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the locked-out page, with the wait in minutes (axes passes an ISO 8601 duration)."""
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
