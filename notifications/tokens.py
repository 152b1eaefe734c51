"""Signed unsubscribe tokens: who, and which one kind of email, with no sign-in needed.

The token is a capability: whoever holds it may switch off that one kind of
email for that one person, and nothing else. It does not expire, because
people unsubscribe from old emails.
"""

from __future__ import annotations

from django.core import signing

SALT = "notifications.unsubscribe"


def make_token(user_id: int, kind: str) -> str:
    return signing.dumps([user_id, kind], salt=SALT)


def read_token(token: str) -> tuple[int, str] | None:
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str)):
        return None
    return value[0], value[1]
