"""Prioritisation: ideas ready for the Board, ranked, and plotted as value against effort."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from board.models import Meeting, MeetingStatus
from ideas.models import CentralSystem

from .. import charts, selectors
from ..forms import PriorityFilterForm, department_choices
from ..permissions import can_take_to_agenda, can_view_portfolio
from .common import agenda_url, paginate, require

PER_PAGE = 25


def _planned_meetings() -> list[tuple[int, str]]:
    meetings = (
        Meeting.objects.filter(status=MeetingStatus.PLANNED, starts_at__gte=timezone.now())
        .select_related("board")
        .order_by("starts_at")[:20]
    )
    return [(m.pk, m.display_title) for m in meetings]


@require_safe
def prioritisation(request):
    require(can_view_portfolio(request.user))
    secretary = can_take_to_agenda(request.user)
    form = PriorityFilterForm(
        request.GET or None,
        departments=department_choices(),
        systems=list(CentralSystem.objects.order_by("name").values_list("pk", "name")),
        meetings=_planned_meetings() if secretary else None,
    )
    if form.is_bound:
        form.is_valid()
    page = paginate(request, selectors.ready_for_board(user=request.user, filters=form.filters()), per_page=PER_PAGE)
    meeting_id = form.cleaned_data.get("meeting") if secretary and form.is_bound else None
    rows = []
    for offset, idea in enumerate(page.object_list, start=page.start_index()):
        rows.append({
            "rank": offset,
            "idea": idea,
            "agenda_url": agenda_url(meeting_id, idea.pk) if meeting_id else None,
        })
    points = [(str(r["rank"]), r["idea"].total_cost, r["idea"].weighted_score) for r in rows
              if r["idea"].weighted_score is not None]
    chart = charts.scatter(
        "value-effort",
        "Value against effort: weighted review score against total cost, for the ideas on this page",
        points, x_label="Total cost including integration", y_label="Weighted score",
    )
    meeting_name = dict(form.fields["meeting"].choices).get(meeting_id) if meeting_id else ""
    return render(request, "portfolio/prioritisation.html", {
        "form": form, "page_obj": page, "rows": rows, "chart": chart, "secretary": secretary,
        "meeting_id": meeting_id, "meeting_name": meeting_name, "unscored": len(rows) - len(points),
    })


urlpatterns = [path("prioritisation/", prioritisation, name="prioritisation")]
