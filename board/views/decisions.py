"""Recording the Board's decision on an agenda item, and the list of decisions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from board import forms, permissions, selectors, services
from board.models import AgendaItem
from board.services import BoardError

from .helpers import GET_POST, _form_error, _managed_item, _page, _posted


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
    results = selectors.decisions_search(user=request.user, filters=form.filters() if request.GET else selectors.DecisionFilters())
    return render(request, "board/decisions.html", {
        "search_form": form,
        "page_obj": _page(request, results, per_page=25),
        "full_view": permissions.can_read_board_papers(request.user),
    })


urlpatterns = [
    path("items/<int:pk>/decide/", decide, name="decide"),
    path("decisions/", decisions, name="decisions"),
]
