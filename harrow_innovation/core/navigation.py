"""The service navigation: which links each role sees in the header.

Apps add their entries to NAV_ENTRIES from their AppConfig.ready(); each entry
is (url name, label, predicate(user) -> bool, badge(request) -> int | None).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str
    visible: Callable = lambda user: True
    badge: Callable | None = None
    order: int = 50


NAV_ENTRIES: list[NavEntry] = [NavEntry("home", "Home", order=0)]


def register(entry: NavEntry) -> None:
    if all(e.url_name != entry.url_name for e in NAV_ENTRIES):
        NAV_ENTRIES.append(entry)
        NAV_ENTRIES.sort(key=lambda e: e.order)


def items_for(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    for entry in NAV_ENTRIES:
        if not entry.visible(user):
            continue
        url = reverse(entry.url_name)
        current = request.path == url or (url != reverse("home") and request.path.startswith(url))
        items.append({"url": url, "label": entry.label, "current": current,
                      "badge": entry.badge(request) if entry.badge else None})
    return items
