"""Single sign-on with Microsoft Entra ID: the mozilla-django-oidc backend and views, adapted.

Who may sign in is decided in ``people.sso``; here every failure of the OpenID
Connect exchange becomes a message on the sign-in page instead of a 400 or 500.
"""

from __future__ import annotations

import logging
from functools import wraps

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import sso
from .backends import load_request_user

logger = logging.getLogger(__name__)


class EntraBackend(OIDCAuthenticationBackend):
    """Signs in by Entra ID; loads the signed-in user like the password backend, refusing closed accounts."""

    def get_user(self, user_id):
        user = load_request_user(user_id)  # with roles and the badge, in one query
        if user is None or not self.user_can_authenticate(user):
            return None
        return user

    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except sso.SignInRefused as exc:
            refusal = exc.message
        except (SuspiciousOperation, jwt.PyJWTError) as exc:  # bad signature, nonce, expiry
            logger.warning("SSO refused: the ID token did not verify: %s", exc)
            refusal = sso.NOT_CONFIRMED
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            logger.warning("SSO refused: the provider answered %s", status)
            refusal = sso.NOT_CONFIRMED if 400 <= status < 500 else sso.UNAVAILABLE
        except (requests.RequestException, ValueError, KeyError) as exc:  # unreachable, or not JSON
            logger.warning("SSO failed: the provider could not be used: %s", exc)
            refusal = sso.UNAVAILABLE
        request.sso_refusal = refusal
        return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        sso.check_token_claims(payload)
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        return payload  # the verified ID token carries oid and tid, which Graph's userinfo lacks

    def get_or_create_user(self, access_token, id_token, payload):
        return sso.sso_user_for_claims(payload)


class SignInStart(OIDCAuthenticationRequestView):
    """Sends the browser to Entra ID's sign-in page."""


class SignInCallback(OIDCAuthenticationCallbackView):
    """Entra ID sends the browser back here with a code; a refusal is explained on the sign-in page."""

    def get(self, request):
        try:
            return super().get(request)
        except SuspiciousOperation:  # a state this session never issued: replayed or forged
            logger.warning("SSO refused: callback state not found in the session")
            request.sso_refusal = sso.NOT_CONFIRMED
            return self.login_failure()

    def login_failure(self):
        default = sso.CANCELLED if self.request.GET.get("error") else sso.NOT_CONFIRMED
        messages.error(self.request, getattr(self.request, "sso_refusal", default))
        return HttpResponseRedirect(resolve_url(self.failure_url))


def is_single_sign_on_attempt(request, credentials: dict | None = None) -> bool:
    """For AXES_WHITELIST_CALLABLE: the password throttle neither counts nor blocks single sign-on.

    A refused SSO callback carries no username, so axes would count it against the
    client's address alone, and a few of them would lock everyone behind that
    address out of SSO. Guessing is Entra ID's to throttle; there is no password here.
    """
    return bool(credentials) and "nonce" in credentials and "username" not in credentials


def when_enabled(view):
    """404 unless single sign-on is configured (read per request, so tests can turn it on)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not getattr(settings, "OIDC_ENABLED", False):
            raise Http404("Single sign-on is not turned on.")
        return view(request, *args, **kwargs)

    return login_not_required(wrapper)
