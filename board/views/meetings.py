"""Board meetings: the list, one meeting's page (or its public agenda), scheduling and changing a
meeting, publishing its agenda, recording it as held, and its calendar file (personal calendar
feeds: views/calendar_feed.py). The agenda, attendance, decisions, actions and minutes pages
are in their own modules beside this one.

Each view checks a permission, validates a form, calls one service and turns
``BoardError`` into a form error or a message."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from board import forms, permissions, selectors, services
from board.calendar import meeting_ics
from board.pack_builder import start_clocks
from board.services import BoardError

from .helpers import GET_POST, _form_error, _managed_meeting, _page, _posted, _readable_meeting, _require


@require_safe
def meeting_list(request):
    _require(permissions.can_read_board_papers(request.user))
    upcoming = list(selectors.meetings_upcoming())
    for meeting in upcoming:
        meeting.agenda_visible = permissions.can_see_agenda(request.user, meeting)
    return render(request, "board/meetings/list.html", {
        "upcoming": upcoming,
        "past": _page(request, selectors.meetings_past()),
        "can_manage": permissions.can_manage_meetings(request.user),
    })


def _public_agenda(request, pk: int):
    """The running order of a published agenda, for the people presenting or owning an item on it."""
    meeting = selectors.meeting_for_agenda(pk=pk)
    if meeting is None:
        raise Http404
    _require(permissions.can_see_public_agenda(request.user, meeting))
    items = list(meeting.items.all())
    rows = [
        {"number": number, "item": item, "start": start, "own": permissions.is_own_item(request.user, item),
         "hidden": item.idea_id is not None and item.idea.is_confidential
         and not permissions.is_own_item(request.user, item)}
        for number, (item, start) in enumerate(zip(items, start_clocks(meeting, items), strict=True), start=1)
    ]
    return render(request, "board/meetings/public_agenda.html", {"meeting": meeting, "rows": rows})


@require_safe
def meeting_detail(request, pk: int):
    if not permissions.can_read_board_papers(request.user):
        return _public_agenda(request, pk)
    meeting = selectors.meeting_for_page(pk=pk)
    if meeting is None:
        raise Http404
    user = request.user
    items = list(meeting.items.all())
    for item, start in zip(items, start_clocks(meeting, items), strict=True):
        item.start_clock = start
    attendance = list(meeting.attendance.all())
    memberships = {m.user_id: m for m in meeting.board.memberships.all()}
    for row in attendance:
        row.member = memberships.get(row.user_id)
    mine = next((a for a in attendance if a.user_id == user.pk), None)
    for item in items:  # co-owners are prefetched with the items
        item.judged_by_owner = item.idea_id is not None and permissions.judges_own_idea(user, item.idea)
    total = selectors.running_time(items=items)
    return render(request, "board/meetings/detail.html", {
        "meeting": meeting,
        "items": items,
        "agenda_visible": permissions.can_see_agenda(user, meeting),
        "attendance": attendance,
        "my_attendance": mine,
        "total_minutes": total,
        "over_by": max(0, total - meeting.duration_minutes),
        "actions": list(meeting.actions.all()),
        "minutes": getattr(meeting, "minutes", None),
        "can_manage": permissions.can_manage_meetings(user),
        "can_declare": permissions.can_declare_interest(user) and meeting.status in services.IN_SESSION,
        "can_send_apologies": permissions.can_send_apologies(user, meeting) and meeting.status in services.AGENDA_OPEN,
        "in_session": meeting.status in services.IN_SESSION,
        "agenda_open": meeting.status in services.AGENDA_OPEN,
        "own_idea_note": permissions.own_idea_refusal_for(permissions.DECISION_DOING),
    })


@GET_POST
def meeting_new(request):
    _require(permissions.can_manage_meetings(request.user))
    if selectors.default_board() is None:
        messages.error(request, "There is no Board yet. An admin adds one in the admin pages.")
        return redirect("board:meetings")
    form = forms.MeetingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_schedule(
                board=data["board"], starts_at=data["starts_at"], by=request.user,
                duration_minutes=data["duration_minutes"], title=data["title"], location=data["location"],
                online_link=data["online_link"],
            )
        except BoardError as exc:
            _form_error(form, exc)
        else:
            carried = meeting.items.count()
            note = f" {carried} deferred item{'s were' if carried != 1 else ' was'} carried onto its agenda." if carried else ""
            messages.success(request, f"Meeting scheduled for {meeting.date_display}.{note}")
            return redirect(meeting)
    return render(request, "board/meetings/form.html", {"form": form, "meeting": None})


@GET_POST
def meeting_edit(request, pk: int):
    meeting = _managed_meeting(request, pk)
    form = forms.MeetingForm(_posted(request), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_update(
                meeting_id=meeting.pk, by=request.user, starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"], title=data["title"], location=data["location"],
                online_link=data["online_link"],
            )
        except BoardError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Meeting details saved.")
            return redirect(meeting)
    return render(request, "board/meetings/form.html", {"form": form, "meeting": meeting})


@require_POST
def meeting_publish(request, pk: int):
    meeting = _managed_meeting(request, pk)
    try:
        services.meeting_publish_agenda(meeting_id=meeting.pk, by=request.user)
    except BoardError as exc:
        messages.error(request, exc.message)
        return redirect("board:agenda", pk=meeting.pk)
    messages.success(request, "Agenda published. Members can read it now, and the agenda pack is being built.")
    return redirect(meeting)


@require_POST
def meeting_held(request, pk: int):
    meeting = _managed_meeting(request, pk)
    try:
        services.meeting_mark_held(meeting_id=meeting.pk, by=request.user)
    except BoardError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The meeting is recorded as held.")
    return redirect(meeting)


def _ics_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def meeting_calendar_file(request, pk: int):
    meeting = _readable_meeting(request, pk)
    return _ics_response(meeting_ics(meeting), f"board-meeting-{timezone.localtime(meeting.starts_at):%Y-%m-%d}.ics")


urlpatterns = [
    path("", meeting_list, name="meetings"),
    path("meetings/new/", meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/publish/", meeting_publish, name="meeting_publish"),
    path("meetings/<int:pk>/held/", meeting_held, name="meeting_held"),
    path("meetings/<int:pk>/calendar.ics", meeting_calendar_file, name="meeting_ics"),
]
