"""Minutes of a meeting: reading, editing, approving and the PDF."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from board import forms, permissions, selectors, services
from board.minutes_pdf import render_minutes_pdf
from board.models import MeetingStatus, Minutes
from board.services import BoardError
from ideas.permissions import is_owner

from .helpers import GET_POST, _form_error, _managed_meeting, _posted, _require


def _minutes_context(request, meeting) -> dict:
    minutes = getattr(meeting, "minutes", None)
    full = permissions.can_read_full_minutes(request.user)
    own_items = []
    if not full:
        own_items = [
            item for item in meeting.items.all()
            if item.idea_id and hasattr(item, "decision") and (
                is_owner(request.user, item.idea)
            )
        ]
    return {"meeting": meeting, "minutes": minutes, "full": full, "own_items": own_items}


def _minutes_meeting(request, pk: int):
    meeting = selectors.meeting_for_minutes(pk=pk)
    if meeting is None:
        raise Http404
    _require(permissions.can_read_minutes(request.user, meeting))
    return meeting


def _render_minutes(request, meeting, approve_form=None):
    context = _minutes_context(request, meeting)
    can_manage = permissions.can_manage_meetings(request.user)
    minutes = context["minutes"]
    approvable = can_manage and minutes is not None and minutes.status == Minutes.Status.DRAFT
    if approvable and approve_form is None:
        approve_form = forms.MinutesApproveForm(meeting=meeting)
    context.update({
        "can_manage": can_manage,
        "approve_form": approve_form if approvable else None,
        "held": meeting.status == MeetingStatus.HELD,
    })
    return render(request, "board/minutes/detail.html", context)


@require_safe
def minutes(request, pk: int):
    return _render_minutes(request, _minutes_meeting(request, pk))


@GET_POST
def minutes_edit(request, pk: int):
    meeting = _managed_meeting(request, pk)
    existing = Minutes.objects.filter(meeting=meeting).first()
    if request.method == "POST" and "draft" in request.POST:
        try:
            services.minutes_draft(meeting_id=meeting.pk, by=request.user, replace=request.POST.get("draft") == "replace")
        except BoardError as exc:
            messages.error(request, exc.message)
            return redirect("board:minutes", pk=meeting.pk)
        messages.success(request, "Minutes drafted from the record. Check and edit them below.")
        return redirect("board:minutes_edit", pk=meeting.pk)
    if existing is None:
        return render(request, "board/minutes/edit.html", {"meeting": meeting, "minutes": None, "form": None})
    form = forms.MinutesForm(_posted(request), initial={"body": existing.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_update(meeting_id=meeting.pk, by=request.user, body=form.cleaned_data["body"])
        except BoardError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Minutes saved.")
            return redirect("board:minutes", pk=meeting.pk)
    return render(request, "board/minutes/edit.html", {"meeting": meeting, "minutes": existing, "form": form})


@require_POST
def minutes_approve(request, pk: int):
    _require(permissions.can_manage_meetings(request.user))
    meeting = _minutes_meeting(request, pk)
    form = forms.MinutesApproveForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.minutes_approve(meeting_id=meeting.pk, at_meeting_id=form.cleaned_data["at_meeting"].pk,
                                     by=request.user)
        except BoardError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "The minutes are approved and published.")
            return redirect("board:minutes", pk=meeting.pk)
    minutes = getattr(meeting, "minutes", None)
    if minutes is None or minutes.status != Minutes.Status.DRAFT:
        # Nothing is left to approve, so there is no form to show the reason beside.
        messages.error(request, next(iter(form.non_field_errors()), "These minutes cannot be approved now."))
        return redirect("board:minutes", pk=meeting.pk)
    return _render_minutes(request, meeting, approve_form=form)


@require_safe
def minutes_pdf(request, pk: int):
    meeting = _minutes_meeting(request, pk)
    context = _minutes_context(request, meeting)
    minutes = context["minutes"]
    if minutes is None:
        raise Http404
    filename = f"minutes-{timezone.localtime(meeting.starts_at):%Y-%m-%d}.pdf"
    if context["full"] and minutes.status == Minutes.Status.APPROVED and minutes.pdf:
        with minutes.pdf.open("rb") as handle:
            data = handle.read()
    else:
        data = render_minutes_pdf(context)
        if context["full"]:
            services.minutes_store_pdf(minutes=minutes, pdf=data)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns = [
    path("meetings/<int:pk>/minutes/", minutes, name="minutes"),
    path("meetings/<int:pk>/minutes/edit/", minutes_edit, name="minutes_edit"),
    path("meetings/<int:pk>/minutes/approve/", minutes_approve, name="minutes_approve"),
    path("meetings/<int:pk>/minutes.pdf", minutes_pdf, name="minutes_pdf"),
]
