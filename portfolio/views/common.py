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


def paginate(request, queryset, *, per_page: int = PER_PAGE) -> Page:
    """A page of ``queryset`` (a count and a slice: two queries); a bad page number shows the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def agenda_url(meeting_id: int, idea_id: int) -> str:
    """The Board's agenda builder for a meeting, with the idea chosen."""
    return f"{reverse('board:agenda', kwargs={'pk': meeting_id})}?idea={idea_id}"
