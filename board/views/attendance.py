"""Declarations of interest, apologies and the attendance record of a meeting."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse

from board import forms, permissions, selectors, services
from board.services import BoardError

from .helpers import GET_POST, _form_error, _managed_meeting, _posted, _require


@GET_POST
def declare(request, pk: int):
    _require(permissions.can_declare_interest(request.user))
    item = selectors.item_for_page(pk=pk)
    if item is None or not permissions.can_see_agenda(request.user, item.meeting):
        raise Http404
    mine = next((d for d in item.declarations.all() if d.member_id == request.user.pk), None)
    initial = {"nature": mine.nature, "leaves_room": "yes" if mine.leaves_room else "no"} if mine else None
    form = forms.DeclarationForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_make(item_id=item.pk, by=request.user, nature=form.cleaned_data["nature"],
                                      leaves_room=form.cleaned_data["leaves_room"] == "yes")
        except BoardError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Your interest in “{item.title}” is recorded.")
            return redirect(reverse("board:meeting", kwargs={"pk": item.meeting_id}) + f"#item-{item.pk}")
    return render(request, "board/meetings/declare.html", {"form": form, "item": item, "mine": mine})


@GET_POST
def apologies(request, pk: int):
    meeting = selectors.meeting_for_page(pk=pk)
    if meeting is None:
        raise Http404
    _require(permissions.can_send_apologies(request.user, meeting))
    mine = next((a for a in meeting.attendance.all() if a.user_id == request.user.pk), None)
    form = forms.ApologiesForm(_posted(request))
    if request.method == "POST":
        try:
            if "withdraw" in request.POST:
                services.apologies_withdraw(meeting_id=meeting.pk, by=request.user)
                messages.success(request, "Your apologies are withdrawn: you are expected at the meeting.")
                return redirect(meeting)
            if form.is_valid():
                services.apologies_send(meeting_id=meeting.pk, by=request.user, note=form.cleaned_data["note"])
                messages.success(request, "Your apologies are recorded.")
                return redirect(meeting)
        except BoardError as exc:
            _form_error(form, exc)
    return render(request, "board/meetings/apologies.html", {"form": form, "meeting": meeting, "mine": mine})


@GET_POST
def attendance(request, pk: int):
    meeting = _managed_meeting(request, pk)
    rows = services.attendance_rows(meeting) if request.method == "GET" else list(
        meeting.attendance.select_related("user").order_by("user__full_name"))
    form = forms.AttendanceForm(_posted(request), rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(meeting_id=meeting.pk, by=request.user, statuses=form.statuses())
        except BoardError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Attendance saved.")
            return redirect(reverse("board:meeting", kwargs={"pk": meeting.pk}) + "#attendance")
    return render(request, "board/meetings/attendance.html", {"form": form, "meeting": meeting, "rows": rows})


urlpatterns = [
    path("items/<int:pk>/declare/", declare, name="declare"),
    path("meetings/<int:pk>/apologies/", apologies, name="apologies"),
    path("meetings/<int:pk>/attendance/", attendance, name="attendance"),
]
