"""What waits for a person in other apps: sections "Waiting for me" shows after the ideas' own.

The ideas app owns the page but never imports board or portfolio, so those apps
register a section from their AppConfig.ready(), as they register header links.
A section's ``rows`` costs a fixed number of queries whatever the data size, so
the page's cost does not grow with how much waits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class WaitingSection:
    key: str
    template: str  # renders ``rows`` and ``more`` (more rows than shown)
    rows: Callable  # rows(*, user, limit) -> at most ``limit`` rows, oldest or most urgent first
    order: int = 50


SECTIONS: list[WaitingSection] = []


def register(section: WaitingSection) -> None:
    if all(s.key != section.key for s in SECTIONS):
        SECTIONS.append(section)
        SECTIONS.sort(key=lambda s: s.order)


def sections_for(user, *, limit: int) -> list[dict]:
    """The registered sections with something waiting for ``user``, each with its first ``limit`` rows."""
    found = []
    for section in SECTIONS:
        rows = list(section.rows(user=user, limit=limit + 1))
        if rows:
            found.append({"key": section.key, "template": section.template, "rows": rows[:limit],
                          "more": len(rows) > limit})
    return found
