"""Helpers the Board meeting views share: the submitted data, permission refusals, paging, and
loading a meeting (or agenda item) the user may read or manage."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.views.decorators.http import require_http_methods

from board import permissions, selectors
from board.models import AgendaItem
from board.services import BoardError

GET_POST = require_http_methods(["GET", "POST"])


def _posted(request):
    """The submitted data on POST (even when empty, so an empty form shows its errors), else None."""
    return request.POST if request.method == "POST" else None


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _form_error(form, exc: BoardError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def _page(request, queryset, per_page: int = 20):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _meeting_or_404(pk: int):
    meeting = selectors.meeting_basic(pk=pk)
    if meeting is None:
        raise Http404
    return meeting


def _readable_meeting(request, pk: int):
    """A meeting a member may read: the secretary sees drafts, members published agendas."""
    _require(permissions.can_read_board_papers(request.user))
    return _meeting_or_404(pk)


def _managed_meeting(request, pk: int):
    _require(permissions.can_manage_meetings(request.user))
    return _meeting_or_404(pk)


def _managed_item(request, pk: int) -> AgendaItem:
    _require(permissions.can_manage_meetings(request.user))
    item = selectors.item_for_page(pk=pk)
    if item is None:
        raise Http404
    return item
