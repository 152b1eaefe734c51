"""The service navigation: which links each role sees in the header.

Apps add their entries to NAV_ENTRIES from their AppConfig.ready(); each entry
is (url name, label, predicate(user) -> bool, badge(request) -> int | None).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


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


@lru_cache(maxsize=256)
def _url(url_name: str, urlconf, prefix: str) -> str:
    return reverse(url_name, urlconf=urlconf)


def url_for(url_name: str) -> str:
    """``reverse(url_name)`` for an argument-free link drawn on every page, reversed once per URLconf and prefix."""
    return _url(url_name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


def items_for(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    for entry in NAV_ENTRIES:
        if not entry.visible(user):
            continue
        items.append({"url": url_for(entry.url_name), "label": entry.label, "current": False,
                      "badge": entry.badge(request) if entry.badge else None})
    # Only the link whose address is the longest prefix of this page is current
    # (on /ideas/mine/ that is "My ideas", not also "Ideas").
    home = url_for("home")
    matches = [item for item in items if request.path == item["url"]
               or (item["url"] != home and request.path.startswith(item["url"]))]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["current"] = True
    return items
