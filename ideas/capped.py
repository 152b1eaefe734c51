"""Bounded totals for searches (issue 14).

A search's exact total visits every matching row, so its cost grows with the
data even though the page of results does not. When a search is present the
total is counted at most up to a cap (``settings.SEARCH_COUNT_CAP``, 1,000 by
default) with a LIMITed subquery, and shown as "more than 1,000 ideas" when it
reaches it. A page past the cap raises the limit to that page (plus one row, so
the next page is known), so pagination keeps working: the last page link is the
page after the furthest one known to exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet


def search_count_cap() -> int:
    return max(int(getattr(settings, "SEARCH_COUNT_CAP", 1000)), 1)


@dataclass(frozen=True)
class CappedCount:
    count: int  # the total to paginate with: the rows counted (at most the limit + 1)
    capped: bool  # True when there are more rows than were counted
    shown: int  # the figure to print: exact, or the cap ("more than {shown}")


def capped_count(queryset: QuerySet, *, page: int = 1, per_page: int = 25) -> CappedCount:
    """How many rows ``queryset`` holds, counting at most max(cap, page × per_page) + 1 of them (one query).

    Unordered, so the rows can come in any order the planner likes: for a search in a stage, straight from the
    GIN index ``idea_search_stage``, which answers the words and the stage together, only the matches then read
    from the table, up to the limit. See README, "Filtered search".
    """
    cap = search_count_cap()
    limit = max(cap, max(page, 1) * per_page)
    n = queryset.order_by().values("pk")[: limit + 1].count()  # SELECT COUNT(*) FROM (… LIMIT limit+1)
    if n <= cap:
        return CappedCount(count=n, capped=False, shown=n)
    # More than the cap: printed as "more than {cap}"; the paginator gets what was counted (all of them when
    # this page's limit reached the end, else limit + 1, which offers one page more than this one's limit).
    return CappedCount(count=n, capped=True, shown=cap)


def page_number(raw: str) -> int:
    """The page a request asks for, for sizing the count's limit (bad input is page 1; the paginator explains)."""
    return int(raw) if raw.isdigit() and len(raw) <= 9 else 1
