"""The agenda of a meeting: adding ideas and other items, editing, reordering and removing them,
and bringing parked ideas whose date has come back to the Board's list."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from board import forms, permissions, selectors, services
from board.models import MeetingStatus
from board.services import BoardError

from ..paper_resources import strains_by_idea, system_flags_by_idea
from .helpers import GET_POST, _form_error, _managed_item, _managed_meeting, _page, _posted, _require


@require_safe
def agenda(request, pk: int):
    _require(permissions.can_manage_meetings(request.user))
    meeting = selectors.meeting_for_agenda(pk=pk)
    if meeting is None:
        raise Http404
    items = list(meeting.items.all())
    total = selectors.running_time(items=items)
    ready = _page(request, selectors.ready_ideas(meeting=meeting, viewer=request.user))
    free_form = forms.ItemForm(submit="Add item")
    free_form.helper.form_action = reverse("board:agenda_add_free", kwargs={"pk": meeting.pk})
    free_form.helper.attrs["data-form"] = "agenda_add_item"
    return render(request, "board/meetings/agenda.html", {
        "meeting": meeting,
        "items": items,
        "total_minutes": total,
        "over_by": max(0, total - meeting.duration_minutes),
        "left": max(0, meeting.duration_minutes - total),
        "ready": ready,
        "capacity": strains_by_idea(items=items, ideas=ready.object_list),
        "system_load": system_flags_by_idea(items=items, ideas=ready.object_list),
        "own_idea_note": permissions.own_idea_refusal_for(permissions.AGENDA_DOING),
        "parked_due": selectors.parked_due_count(),
        "free_form": free_form,
        "agenda_open": meeting.status in services.AGENDA_OPEN,
    })


@require_POST
def agenda_add_idea(request, pk: int):
    meeting = _managed_meeting(request, pk)
    form = forms.AddIdeaForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an idea to add.")
        return redirect("board:agenda", pk=meeting.pk)
    try:
        item = services.agenda_add_idea(meeting_id=meeting.pk, idea_id=form.cleaned_data["idea"], by=request.user)
    except BoardError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{item.title}” added to the agenda.")
    return redirect(reverse("board:agenda", kwargs={"pk": meeting.pk}) + "#agenda-items")


@GET_POST
def agenda_add_free(request, pk: int):
    meeting = _managed_meeting(request, pk)
    form = forms.ItemForm(_posted(request), submit="Add item")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.agenda_add_free(
                meeting_id=meeting.pk, by=request.user, title=data["title"], description=data["description"],
                minutes_allotted=data["minutes_allotted"], presenter=data["presenter"],
                presenter_name=data["presenter_name"], recommendation=data["recommendation"],
            )
        except BoardError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"“{item.title}” added to the agenda.")
            return redirect(reverse("board:agenda", kwargs={"pk": meeting.pk}) + "#agenda-items")
    return render(request, "board/meetings/item_form.html", {"form": form, "meeting": meeting, "item": None})


@GET_POST
def agenda_item_edit(request, pk: int):
    item = _managed_item(request, pk)
    form = forms.ItemForm(_posted(request), item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agenda_item_update(
                item_id=item.pk, by=request.user, minutes_allotted=data["minutes_allotted"],
                presenter=data["presenter"], presenter_name=data["presenter_name"],
                recommendation=data["recommendation"], title=data.get("title"), description=data.get("description"),
            )
        except BoardError as exc:
            _form_error(form, exc)
        else:
            published = item.meeting.status == MeetingStatus.AGENDA_PUBLISHED
            messages.success(request, f"“{item.title}” saved." + (" A new agenda pack is being built." if published else ""))
            return redirect(reverse("board:agenda", kwargs={"pk": item.meeting_id}) + "#agenda-items")
    return render(request, "board/meetings/item_form.html", {"form": form, "meeting": item.meeting, "item": item})


@require_POST
def agenda_item_move(request, pk: int):
    item = _managed_item(request, pk)
    form = forms.MoveForm(request.POST)
    try:
        if not form.is_valid():
            raise BoardError("Choose up or down.")
        services.agenda_item_move(item_id=item.pk, by=request.user, direction=form.cleaned_data["direction"])
    except BoardError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("board:agenda", kwargs={"pk": item.meeting_id}) + f"#item-{item.pk}")


@require_POST
def agenda_item_remove(request, pk: int):
    item = _managed_item(request, pk)
    try:
        services.agenda_item_remove(item_id=item.pk, by=request.user)
    except BoardError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{item.title}” removed from the agenda.")
    return redirect(reverse("board:agenda", kwargs={"pk": item.meeting_id}) + "#agenda-items")


@require_POST
def return_parked(request, pk: int):
    meeting = _managed_meeting(request, pk)
    try:
        moved = services.parked_ideas_return(today=timezone.localdate(), by=request.user)
    except BoardError as exc:
        messages.error(request, exc.message)
        return redirect("board:agenda", pk=meeting.pk)
    if moved:
        messages.success(request, f"{len(moved)} parked idea{'s are' if len(moved) != 1 else ' is'} back on the list.")
    else:
        messages.info(request, "No parked ideas are due back today.")
    return redirect("board:agenda", pk=meeting.pk)


urlpatterns = [
    path("meetings/<int:pk>/agenda/", agenda, name="agenda"),
    path("meetings/<int:pk>/agenda/add-idea/", agenda_add_idea, name="agenda_add_idea"),
    path("meetings/<int:pk>/agenda/add-item/", agenda_add_free, name="agenda_add_free"),
    path("meetings/<int:pk>/agenda/return-parked/", return_parked, name="return_parked"),
    path("items/<int:pk>/edit/", agenda_item_edit, name="agenda_item_edit"),
    path("items/<int:pk>/move/", agenda_item_move, name="agenda_item_move"),
    path("items/<int:pk>/remove/", agenda_item_remove, name="agenda_item_remove"),
]
