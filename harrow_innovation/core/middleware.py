"""Middleware that guards every response: caching, request size, and a database outage."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.template.defaultfilters import filesizeformat

logger = logging.getLogger(__name__)

SERVICE_NAME = "Harrow Innovation Pipeline"
NO_STORE = "no-store, private"
RETRY_AFTER_SECONDS = 30
# Multipart bodies carry an attachment plus the form around it and the encoding's own overhead.
MULTIPART_ALLOWANCE = 1024 * 1024


def render_without_database(request, template_name: str, *, status: int, context: dict | None = None) -> HttpResponse:
    """A page from the base template with no context processors: nothing here may query the database.

    The navigation shows the signed-out view, and the nonce for the base template's inline script
    comes from the request (django-csp), so the page keeps the strict policy.
    """
    context = {**(context or {}), "request": request, "SERVICE_NAME": SERVICE_NAME}
    body = loader.get_template(template_name).render(context)
    return HttpResponse(body, status=status)


class NoStoreMiddleware:
    """Nothing this service answers may be kept by a browser or a shared cache.

    Pages, papers, minutes, downloads and the API are for the person who asked, and
    shared machines are common in a council. Static files never reach this middleware:
    WhiteNoise, above it, serves them with their own long-lived caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        directives = {d.strip().split("=")[0].lower() for d in response.get("Cache-Control", "").split(",")}
        if not {"no-store", "private"} <= directives:
            response["Cache-Control"] = NO_STORE
        return response


def body_limit(request) -> int:
    if request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
        return settings.ATTACHMENT_MAX_BYTES + MULTIPART_ALLOWANCE
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestSizeLimitMiddleware:
    """Refuse an oversized request from its Content-Length, before a byte of the body is read.

    Django's own DATA_UPLOAD_MAX_MEMORY_SIZE leaves out uploaded files, so a large multipart
    request used to be read (and spooled to disk) in full before anything said no. Last in
    MIDDLEWARE: it runs before any process_view (CSRF reads the body there), and its page
    still passes through the security headers on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > body_limit(request):
            response = render_without_database(
                request, "errors/413.html", status=413,
                context={"attachment_limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)},
            )
            response["Connection"] = "close"  # the unread body is not waiting on this connection
            return response
        return self.get_response(request)


# SQLSTATEs that mean the server went away or is not taking connections; every other
# OperationalError (deadlock, lock timeout, cancelled statement) is an ordinary fault.
_OUTAGE_SQLSTATES = {"57P01", "57P02", "57P03"}


def is_database_outage(exc: BaseException | None) -> bool:
    """True when ``exc`` says the database cannot be reached, not that a query went wrong."""
    if isinstance(exc, InterfaceError):
        return True  # e.g. "connection already closed": the connection died under the request
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if cause is None or not hasattr(cause, "pgcode"):
        return False  # not PostgreSQL (the laptop's SQLite has no outage to speak of)
    code = cause.pgcode
    # libpq reports a refused, dropped or timed-out connection with no SQLSTATE at all.
    return code is None or code.startswith("08") or code in _OUTAGE_SQLSTATES


def service_unavailable(request) -> HttpResponse:
    response = render_without_database(request, "errors/503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseOutageMiddleware:
    """While the database cannot be reached, views answer 503 with the GOV.UK page and Retry-After.

    Failures in other middleware (loading the session, say) reach ``server_error``, which
    makes the same check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        logger.error("Database unavailable: answering 503 for %s", request.path, exc_info=exception)
        return service_unavailable(request)
