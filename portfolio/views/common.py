"""Helpers the portfolio views share: permission checks, pagination and spreadsheet downloads."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse

from .. import exports

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def csv_download(rows, *, header: list[str], name: str) -> StreamingHttpResponse:
    """``rows`` streamed as a CSV file named ``name`` and today's date, never kept by a browser or proxy."""
    response = StreamingHttpResponse(exports.csv_stream(rows, header=header), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename("csv", name=name)}"'
    response["Cache-Control"] = "no-store"
    return response


def xlsx_download(rows, *, header: list[str], name: str, title: str) -> FileResponse:
    """``rows`` as an XLSX workbook (one sheet, ``title``), named like ``csv_download``'s file."""
    handle = exports.xlsx_file(rows, header=header, title=title)
    response = FileResponse(handle, as_attachment=True, filename=exports.filename("xlsx", name=name), content_type=XLSX)
    response["Cache-Control"] = "no-store"
    return response
