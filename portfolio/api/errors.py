"""API errors as JSON: bad input is a 400 with a body that says what was wrong, never a 500."""

from __future__ import annotations

from django.db import DataError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's handler, with validation errors wrapped as ``{"detail": …, "errors": {…}}``.

    A value the database cannot hold (a number out of range that slipped past
    validation) is the client's mistake: 400, not 500.
    """
    if isinstance(exc, DataError):
        exc = exceptions.ValidationError({"detail": ["A value in the request is out of range."]})
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"detail": "The request is not valid. See errors.", "errors": errors}
    elif not isinstance(response.data, dict):
        response.data = {"detail": response.data}
    return response
