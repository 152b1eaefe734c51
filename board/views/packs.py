"""Agenda packs: their state (polled by the meeting page), downloads, retries, and papers as HTML."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from board import packs
from board.models import Meeting
from board.permissions import can_manage_meetings, can_read_board_papers, draft_agenda_hidden
from board.reminders import pack_opened
from harrow_innovation.people.roles import Role


def _readable_meeting(request, pk: int) -> Meeting:
    if not can_read_board_papers(request.user):
        raise PermissionDenied
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
    if draft_agenda_hidden(request.user, meeting):
        raise Http404
    return meeting


@require_safe
@never_cache
def pack_status(request, pk: int):
    """The meeting's pack versions: JSON for the page's script, or the panel's HTML fragment."""
    meeting = _readable_meeting(request, pk)
    versions = packs.pack_versions_for_panel(meeting_id=meeting.pk)
    context = {
        "meeting": meeting,
        "versions": versions,
        "can_manage": can_manage_meetings(request.user),
        "can_read": True,
    }
    html = render_to_string("board/packs/_versions.html", context, request=request)
    wants_json = request.GET.get("format") == "json" or "application/json" in request.headers.get("Accept", "")
    if request.GET.get("fragment") and not wants_json:
        return HttpResponse(html)
    if not wants_json:
        return render(request, "board/packs/status_page.html", {**context, "meeting_url": meeting.get_absolute_url()})
    latest = versions[0] if versions else None
    return JsonResponse(
        {
            "meeting": meeting.pk,
            "active": any(v.status in ("queued", "building") for v in versions),
            "latest": {
                "number": latest.number,
                "status": latest.status,
                "status_label": latest.get_status_display(),
                "failure": latest.failure,
            } if latest else None,
            "versions": [
                {
                    "number": v.number,
                    "status": v.status,
                    "reason": v.reason,
                    "failure": v.failure,
                    "warnings": v.warnings,
                    "page_count": v.page_count,
                    "size": v.size,
                    "download_url": reverse("board:pack_download", kwargs={"pk": v.pk}) if v.status == "ready" else None,
                }
                for v in versions
            ],
            "html": html,
        }
    )


@require_safe
def pack_download(request, pk: int):
    """A ready pack as a PDF attachment. Queued, building and failed versions are never served."""
    if not can_read_board_papers(request.user):
        raise PermissionDenied
    pack = packs.pack_for_download(pack_id=pk)
    if pack is None:
        raise Http404
    if draft_agenda_hidden(request.user, pack.meeting):
        raise Http404
    try:
        handle = pack.file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    _record_opened(request.user, pack.meeting_id)
    filename = f"agenda-pack-{pack.meeting.starts_at:%Y-%m-%d}-v{pack.number}.pdf"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _record_opened(user, meeting_id: int) -> None:
    """Members who have opened the pack or a paper get the gentler meeting reminder."""
    if user.has_role(Role.BOARD_MEMBER):
        pack_opened(user_id=user.pk, meeting_id=meeting_id)


@require_POST
def pack_retry(request, pk: int):
    """Build a failed pack version again (as a new version)."""
    if not can_manage_meetings(request.user):
        raise PermissionDenied
    pack = get_object_or_404(packs.PackVersion.objects.select_related("meeting", "meeting__board"), pk=pk)
    try:
        new = packs.pack_retry(pack_id=pack.pk, by=request.user)
    except packs.PackError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Version {new.number} of the agenda pack is being built.")
    return redirect(f"{pack.meeting.get_absolute_url()}#pack-panel-heading")


@require_safe
def paper(request, pk: int):
    """One agenda item's paper as an accessible HTML page: the same content as in the PDF."""
    if not can_read_board_papers(request.user):
        raise PermissionDenied
    item = packs.item_for_paper(item_id=pk)
    if item is None:
        raise Http404
    if draft_agenda_hidden(request.user, item.meeting):
        raise Http404
    _record_opened(request.user, item.meeting_id)
    context = {
        "paper": packs.paper_context_for_page(item),
        "meeting": item.meeting,
        "meeting_url": item.meeting.get_absolute_url(),
    }
    return render(request, "board/papers/paper.html", context)


urlpatterns = [
    path("meetings/<int:pk>/pack/", pack_status, name="pack_status"),
    path("packs/<int:pk>/download/", pack_download, name="pack_download"),
    path("packs/<int:pk>/retry/", pack_retry, name="pack_retry"),
    path("papers/<int:pk>/", paper, name="paper"),
]
