"""Helpers the portfolio views share: permission checks and pagination."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.urls import reverse

PER_PAGE = 50


def require(allowed: bool) -> None:
    """403 for a page of a role the user lacks."""
    if not allowed:
        raise PermissionDenied


def paginate(request, queryset, *, per_page: int = PER_PAGE, count: int | None = None) -> Page:
    """A page of ``queryset`` (a count and a slice: two queries); a bad page number shows the nearest page.

    ``count``: how many rows the queryset holds, when already known from kept totals (then one query).
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached property: set, it is never computed
    return paginator.get_page(request.GET.get("page"))


def agenda_url(meeting_id: int, idea_id: int) -> str:
    """The Board's agenda builder for a meeting, with the idea chosen."""
    return f"{reverse('board:agenda', kwargs={'pk': meeting_id})}?idea={idea_id}"
