"""Sessions end after a spell without activity, as well as at an absolute limit.

Django's session expiry slides forward whenever the session is saved, so it is
neither an idle limit (nothing saves a session that is only read) nor an absolute
one (anything that does save it extends it). This middleware keeps two times in
the session: when the person signed in and when they were last seen. "Last seen"
is refreshed at most once a minute, so an active person's session is written
about once a minute rather than on every request.

An expired session is signed out before the view runs; LoginRequiredMiddleware
then sends the person to sign in with ``?next=`` the page they asked for, and a
message saying why. A form they were submitting cannot be kept (its data and
CSRF token belong to the old session), so they go back to the page it was on.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
TOUCH_EVERY_SECONDS = 60


class SessionExpiryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.get(SESSION_KEY) is not None:
            response = self._check(request, int(time.time()))
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request, now: int):
        session = request.session
        signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
        if signed_in_at is None or seen_at is None:
            # A session from before this rule: start its clocks now.
            session[SIGNED_IN_AT] = signed_in_at or now
            session[SEEN_AT] = now
            return None
        idle_minutes = settings.SESSION_IDLE_MINUTES
        if now - seen_at > idle_minutes * 60:
            return _sign_out(request, f"You were signed out because you had not used the service for {idle_minutes} minutes.")
        if now - signed_in_at > settings.SESSION_COOKIE_AGE:
            hours = settings.SESSION_COOKIE_AGE // 3600
            return _sign_out(request, f"You were signed out because you signed in more than {hours} hours ago.")
        if now - seen_at >= TOUCH_EVERY_SECONDS:
            session[SEEN_AT] = now
        return None


def start_session_clocks(sender, request, user, **kwargs) -> None:
    """On ``user_logged_in``: the absolute and idle limits count from now."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now


def _sign_out(request, reason: str):
    logout(request)
    if request.method in ("GET", "HEAD"):
        messages.info(request, f"{reason} Sign in to carry on where you left off.")
        return None  # LoginRequiredMiddleware redirects with ?next= this page; public pages just show
    messages.info(request, f"{reason} What you were sending was not saved. Sign in to go back to the page and try again.")
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        parts = urlsplit(referer)
        back = parts.path + (f"?{parts.query}" if parts.query else "")
    else:
        back = resolve_url(settings.LOGIN_REDIRECT_URL)
    return redirect_to_login(back)
