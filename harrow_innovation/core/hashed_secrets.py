"""Secrets that act as keys (API tokens, calendar addresses): only their SHA-256 is stored.

The secret has 256 bits of randomness, so a plain SHA-256 is enough (no salt or
slow hash needed: nobody can guess their way to a preimage), and looking a row
up by the digest compares digests, never the secret, so the lookup's timing
tells an attacker nothing about any stored secret. The secret itself is shown
once, when it is made.
"""

from __future__ import annotations

import hashlib
import secrets


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret(prefix: str = "") -> tuple[str, str]:
    """A fresh secret (to show once) and its digest (to store)."""
    secret = prefix + secrets.token_urlsafe(32)
    return secret, digest(secret)
