"""Board meetings: scheduling, agendas, declarations, attendance, decisions,
actions, minutes, the members' view and one meeting's calendar file
(personal calendar feeds: views/calendar_feed.py).

Each view checks a permission, validates a form, calls one service and turns
``BoardError`` into a form error or a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from board import forms, permissions, selectors, services
from board.calendar import meeting_ics
from board.minutes_pdf import render_minutes_pdf
from board.models import AgendaItem, MeetingStatus, Minutes
from board.pack_builder import start_clocks
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
    meeting = selectors.meeting_basic(pk)
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


# --- Meetings -----------------------------------------------------------------


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
    meeting = selectors.meeting_for_agenda(pk)
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
    meeting = selectors.meeting_for_page(pk)
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
    total = selectors.running_time(items)
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


# --- Agenda -------------------------------------------------------------------


@require_safe
def agenda(request, pk: int):
    _require(permissions.can_manage_meetings(request.user))
    meeting = selectors.meeting_for_agenda(pk)
    if meeting is None:
        raise Http404
    items = list(meeting.items.all())
    total = selectors.running_time(items)
    free_form = forms.ItemForm(submit="Add item")
    free_form.helper.form_action = reverse("board:agenda_add_free", kwargs={"pk": meeting.pk})
    free_form.helper.attrs["data-form"] = "agenda_add_item"
    return render(request, "board/meetings/agenda.html", {
        "meeting": meeting,
        "items": items,
        "total_minutes": total,
        "over_by": max(0, total - meeting.duration_minutes),
        "left": max(0, meeting.duration_minutes - total),
        "ready": _page(request, selectors.ready_ideas(meeting, viewer=request.user)),
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


def _managed_item(request, pk: int) -> AgendaItem:
    _require(permissions.can_manage_meetings(request.user))
    item = selectors.item_for_page(pk)
    if item is None:
        raise Http404
    return item


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


# --- Declarations and attendance ----------------------------------------------


@GET_POST
def declare(request, pk: int):
    _require(permissions.can_declare_interest(request.user))
    item = selectors.item_for_page(pk)
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
    meeting = selectors.meeting_for_page(pk)
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


# --- Decisions ----------------------------------------------------------------


@GET_POST
def decide(request, pk: int):
    item = _managed_item(request, pk)
    if item.kind != AgendaItem.Kind.IDEA:
        raise Http404
    decision = getattr(item, "decision", None)
    form = forms.DecisionForm(_posted(request))
    if request.method == "POST" and decision is None and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_record(
                item_id=item.pk, by=request.user, outcome=data["outcome"], conditions=data["conditions"],
                park_until=data.get("park_until"), notes=data["notes"],
                resources=services.Resources(data["budget_allocated"], data["people_allocated"], data["external_support"]),
            )
        except BoardError as exc:
            _form_error(form, exc)
        else:
            text = f"Decision recorded: {decision.get_outcome_display()}. “{item.title}” has been updated."
            if decision.outcome == "defer":
                text = (f"“{item.title}” is deferred and carried onto the agenda for the {decision.carried_item.meeting.display_title}."
                        if getattr(decision, "carried_item", None) else
                        f"“{item.title}” is deferred. It will go on the next meeting's agenda when one is scheduled.")
            messages.success(request, text)
            return redirect(reverse("board:meeting", kwargs={"pk": item.meeting_id}) + f"#item-{item.pk}")
    elif request.method == "POST" and decision is not None:
        messages.error(request, "A decision has already been recorded for this item. Nothing was changed.")
        return redirect(reverse("board:meeting", kwargs={"pk": item.meeting_id}) + f"#item-{item.pk}")
    parts = [form.data.get(f"park_until_{i}", "") for i in range(3)] if form.is_bound else ["", "", ""]
    return render(request, "board/meetings/decide.html", {
        "form": form, "item": item, "meeting": item.meeting, "decision": decision,
        "park_parts": list(zip(parts, ("Day", "Month", "Year"), (2, 2, 4), strict=True)),
        "moved_on": item.idea.stage_id != item.stage_when_added_id,
        "published": item.meeting.status in services.IN_SESSION,
        "own_idea_note": (permissions.own_idea_refusal_for(permissions.DECISION_DOING)
                          if permissions.judges_own_idea(request.user, item.idea) else ""),
    })


@require_safe
def decisions(request):
    form = forms.DecisionSearchForm(request.GET or None)
    results = selectors.decisions_search(request.user, form.filters() if request.GET else selectors.DecisionFilters())
    return render(request, "board/decisions.html", {
        "search_form": form,
        "page_obj": _page(request, results, per_page=25),
        "full_view": permissions.can_read_board_papers(request.user),
    })


# --- Actions ------------------------------------------------------------------


@require_safe
def actions(request):
    can_manage = permissions.can_manage_meetings(request.user)
    return render(request, "board/actions/list.html", {
        "mine": _page(request, selectors.actions_owned_by(request.user)),
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
    action = selectors.action_for_page(pk)
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


# --- Minutes ------------------------------------------------------------------


def _minutes_context(request, meeting) -> dict:
    minutes = getattr(meeting, "minutes", None)
    full = permissions.can_read_full_minutes(request.user)
    own_items = []
    if not full:
        own_items = [
            item for item in meeting.items.all()
            if item.idea_id and hasattr(item, "decision") and (
                item.idea.owner_id == request.user.pk or any(c.pk == request.user.pk for c in item.idea.co_owners.all())
            )
        ]
    return {"meeting": meeting, "minutes": minutes, "full": full, "own_items": own_items}


def _minutes_meeting(request, pk: int):
    meeting = selectors.meeting_for_minutes(pk)
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


# --- Calendars ----------------------------------------------------------------


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
    path("meetings/<int:pk>/agenda/", agenda, name="agenda"),
    path("meetings/<int:pk>/agenda/add-idea/", agenda_add_idea, name="agenda_add_idea"),
    path("meetings/<int:pk>/agenda/add-item/", agenda_add_free, name="agenda_add_free"),
    path("meetings/<int:pk>/agenda/return-parked/", return_parked, name="return_parked"),
    path("items/<int:pk>/edit/", agenda_item_edit, name="agenda_item_edit"),
    path("items/<int:pk>/move/", agenda_item_move, name="agenda_item_move"),
    path("items/<int:pk>/remove/", agenda_item_remove, name="agenda_item_remove"),
    path("items/<int:pk>/declare/", declare, name="declare"),
    path("items/<int:pk>/decide/", decide, name="decide"),
    path("meetings/<int:pk>/apologies/", apologies, name="apologies"),
    path("meetings/<int:pk>/attendance/", attendance, name="attendance"),
    path("meetings/<int:pk>/actions/new/", action_new, name="action_new"),
    path("actions/", actions, name="actions"),
    path("actions/<int:pk>/", action_edit, name="action_edit"),
    path("meetings/<int:pk>/minutes/", minutes, name="minutes"),
    path("meetings/<int:pk>/minutes/edit/", minutes_edit, name="minutes_edit"),
    path("meetings/<int:pk>/minutes/approve/", minutes_approve, name="minutes_approve"),
    path("meetings/<int:pk>/minutes.pdf", minutes_pdf, name="minutes_pdf"),
    path("decisions/", decisions, name="decisions"),
    path("meetings/<int:pk>/calendar.ics", meeting_calendar_file, name="meeting_ics"),
]
