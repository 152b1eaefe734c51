"""The one normal form of an email address: how it is stored, looked up and throttled.

Sign-in matches addresses whatever their case, so anything that counts or
compares them (the sign-in throttle, password-reset limits, uniqueness) must
see one spelling per account, or "Officer@" and "OFFICER@" count separately.
"""

from __future__ import annotations


def normalise_email(value: str | None) -> str:
    """``value`` without surrounding spaces, in lower case ("" for None)."""
    return (value or "").strip().lower()
