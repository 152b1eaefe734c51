"""Actions agreed at meetings: the list, adding and changing them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from board import forms, permissions, selectors, services
from board.services import BoardError

from .helpers import GET_POST, _form_error, _managed_meeting, _page, _posted


@require_safe
def actions(request):
    can_manage = permissions.can_manage_meetings(request.user)
    return render(request, "board/actions/list.html", {
        "mine": _page(request, selectors.actions_owned_by(user=request.user)),
        "open_actions": list(selectors.actions_open()[:100]) if can_manage else None,
        "can_manage": can_manage,
    })


@GET_POST
def action_new(request, pk: int):
    meeting = _managed_meeting(request, pk)
    form = forms.ActionForm(_posted(request), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_create(meeting_id=meeting.pk, by=request.user, description=data["description"],
                                   owner=data["owner"], due_date=data["due_date"], item_id=int(data["item"] or 0) or None)
        except BoardError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Action added for {data['owner']}.")
            return redirect(reverse("board:meeting", kwargs={"pk": meeting.pk}) + "#actions")
    return render(request, "board/actions/form.html", {"form": form, "meeting": meeting, "action": None})


@GET_POST
def action_edit(request, pk: int):
    action = selectors.action_for_page(pk=pk)
    if action is None:
        raise Http404
    user = request.user
    if not permissions.can_update_action(user, action):
        if permissions.can_read_board_papers(user):
            raise PermissionDenied
        raise Http404  # someone else's action, and they have no business with the Board
    full = permissions.can_manage_meetings(user)
    if full:
        form = forms.ActionForm(_posted(request), meeting=action.meeting, action=action)
    else:
        form = forms.ActionStatusForm(_posted(request), initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if full:
                services.action_update(action_id=action.pk, by=user, description=data["description"],
                                       owner=data["owner"], due_date=data["due_date"], status=data["status"])
            else:
                services.action_set_status(action_id=action.pk, by=user, status=data["status"])
        except BoardError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Action saved.")
            if full:
                return redirect(reverse("board:meeting", kwargs={"pk": action.meeting_id}) + "#actions")
            return redirect("board:actions")
    return render(request, "board/actions/form.html", {"form": form, "meeting": action.meeting, "action": action,
                                                       "full": full})


urlpatterns = [
    path("meetings/<int:pk>/actions/new/", action_new, name="action_new"),
    path("actions/", actions, name="actions"),
    path("actions/<int:pk>/", action_edit, name="action_edit"),
]
