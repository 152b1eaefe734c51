"""Exports of the idea list: any member of staff, for the ideas they may see, with the list's filters."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from ideas.permissions import can_see_triage_queue

from .. import exports, exports_overlaps
from ..forms import IdeaExportFilterForm
from ..permissions import can_export_ideas
from .common import csv_download, require, xlsx_download


@require_safe
def export_page(request):
    require(can_export_ideas(request.user))
    form = IdeaExportFilterForm(request.GET or None)
    filters = form.filters()
    count = exports.filtered_ideas(user=request.user, filters=filters).count()
    query = request.GET.urlencode()
    return render(request, "portfolio/export.html", {
        "form": form, "count": count, "query": query, "idea_list_url": reverse("ideas:list"),
    })


@require_safe
def export_csv(request):
    require(can_export_ideas(request.user))
    filters = IdeaExportFilterForm(request.GET or None).filters()
    return csv_download(exports.rows(request.user, filters), header=exports.HEADER, name="ideas")


@require_safe
def export_xlsx(request):
    require(can_export_ideas(request.user))
    filters = IdeaExportFilterForm(request.GET or None).filters()
    return xlsx_download(exports.rows(request.user, filters), header=exports.HEADER, name="ideas", title="Ideas")


@require_safe
def overlaps_csv(request):
    """The ideas waiting for triage with their overlaps (``exports_overlaps``): the secretary and admins."""
    require(can_see_triage_queue(request.user))
    return csv_download(exports_overlaps.overlap_rows(user=request.user), header=exports_overlaps.HEADER,
                        name="overlaps")


@require_safe
def overlaps_xlsx(request):
    require(can_see_triage_queue(request.user))
    return xlsx_download(exports_overlaps.overlap_rows(user=request.user), header=exports_overlaps.HEADER,
                         name="overlaps", title="Overlaps")


urlpatterns = [
    path("export/", export_page, name="export"),
    path("export/ideas.csv", export_csv, name="export_csv"),
    path("export/ideas.xlsx", export_xlsx, name="export_xlsx"),
    path("export/overlaps.csv", overlaps_csv, name="export_overlaps_csv"),
    path("export/overlaps.xlsx", overlaps_xlsx, name="export_overlaps_xlsx"),
]
