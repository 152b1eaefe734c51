"""The registry of notice kinds: each app declares its own from its ``notices.py`` (called in ``AppConfig.ready``).

This app knows no kind by name. A kind says what the preferences page asks,
the heading it takes in the digest, and how it is delivered by default. Kinds
marked ``fixed`` cannot be switched off or moved to the digest: people must
hear at once when they are given work, and when that work is overdue.
``order`` places the kind on the preferences page and in the digest's headings.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from .models import Channel


@dataclass(frozen=True)
class NoticeKind:
    code: str  # stored on every notification, preference and delivery key: never rename
    label: str  # the digest's heading, the email's footer, admin filters
    question: str  # the legend on the preferences page
    hint: str
    default: str
    fixed: bool = False
    order: int = 50


KINDS: dict[str, NoticeKind] = {}


def declare(*kinds: NoticeKind) -> None:
    """Add an app's kinds (idempotent). Two apps may not declare one code differently."""
    for kind in kinds:
        if kind.default not in Channel.values:
            raise ImproperlyConfigured(f"Notice kind {kind.code!r} has an unknown default channel {kind.default!r}.")
        if KINDS.get(kind.code, kind) != kind:
            raise ImproperlyConfigured(f"Notice kind {kind.code!r} is declared twice, differently.")
        KINDS[kind.code] = kind
    ordered = sorted(KINDS.values(), key=lambda k: (k.order, k.code))
    KINDS.clear()
    KINDS.update((k.code, k) for k in ordered)


def kind_choices() -> list[tuple[str, str]]:
    """The ``choices`` of every ``kind`` column: whatever the apps declared (a callable, so no migration per kind)."""
    return [(kind.code, kind.label) for kind in KINDS.values()]


def label_of(kind: str) -> str:
    info = KINDS.get(kind)
    return info.label if info else kind


def is_fixed(kind: str) -> bool:
    return KINDS[kind].fixed


def channel_for(kind: str, chosen: str | None) -> str:
    """The channel a notice of ``kind`` takes, given the person's choice (None: no choice made)."""
    info = KINDS[kind]
    if info.fixed:
        return Channel.IMMEDIATE
    return chosen or info.default
