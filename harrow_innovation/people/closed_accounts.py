"""Closed accounts are signed out at their next request, however they signed in.

Each backend's ``get_user`` already refuses a closed account; this middleware
ends the session that still names it and says why, so the person is not left
guessing on the sign-in page, and it catches a backend that forgot the check.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout

SIGNED_OUT = (
    "You have been signed out because this account is closed. "
    "If you need it again, ask an administrator of the Innovation Pipeline."
)


def closed_account_middleware(get_response):
    def middleware(request):
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session and not request.user.is_active:
            logout(request)
            messages.error(request, SIGNED_OUT)
        return get_response(request)

    return middleware
