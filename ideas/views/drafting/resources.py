"""The staff time and partners pages of a draft: add another, change, remove (GOV.UK “add another” pattern).

Built on ``items``: each ask is saved as it is added; the page lists what is there with
Change and Remove links, and keeps what was typed when something is wrong.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from django.views.decorators.http import require_POST

from harrow_innovation.core.quarters import days_text
from ideas import services
from ideas.forms.drafting import ExternalResourceForm, ResourceAskForm, days_field_name
from ideas.models import Idea, ResourceAsk

from . import items
from .items import _add_item, _remove_item
from .sections import editing


def _ask_being_changed(request, idea: Idea) -> ResourceAsk | None:
    change = request.GET.get("change", "")
    if not change.isdigit():
        return None
    return next((ask for ask in idea.resource_asks.all() if ask.pk == int(change)), None)


def _ask_form(idea: Idea, data, change: ResourceAsk | None):
    initial = {}
    if change is not None:
        initial = {"team": change.team_id, "note": change.note}
        for row in change.quarters.all():
            initial[days_field_name(row.quarter)] = days_text(row.days).split(" ")[0]
    return ResourceAskForm(data, initial=initial, quarters=services.idea_quarters(idea), current=change)


items.EXTRA_FORMS["resources"] = _ask_form
items.EXTRA_FORMS["partners"] = lambda idea, data, change: ExternalResourceForm(data)
items.EXTRA_CHANGES["resources"] = _ask_being_changed


@require_POST
@editing
def resource_ask_set(request, idea: Idea):
    change = _ask_being_changed(request, idea)

    def save(data):
        team = data["team"]
        days = {q: data[days_field_name(q)] for q in services.idea_quarters(idea) if days_field_name(q) in data}
        services.resource_ask_set(idea_id=idea.pk, by=request.user, team=team, note=data["note"],
                                  days_by_quarter=days, ask_id=change.pk if change else None)
        what = team.name if team else "The note"
        return f"{what} has been {'changed' if change else 'added'}."

    return _add_item(request, idea, "resources", save, change=change)


@require_POST
@editing
def resource_ask_remove(request, idea: Idea, ask_pk: int):
    ask = next((a for a in idea.resource_asks.all() if a.pk == ask_pk), None)
    if ask is None:
        raise Http404("No such ask for staff time on this idea")
    name = ask.team.name if ask.team_id else "The note"
    return _remove_item(request, idea, "resources", f"{name} has been removed.",
                        lambda: services.resource_ask_remove(idea_id=idea.pk, by=request.user, ask_id=ask.pk))


@require_POST
@editing
def external_resource_add(request, idea: Idea):
    def save(data):
        item = services.external_resource_add(idea_id=idea.pk, by=request.user, name=data["name"],
                                              cost=data["cost"], note=data["note"])
        return f"{item.name} has been added."

    return _add_item(request, idea, "partners", save)


@require_POST
@editing
def external_resource_remove(request, idea: Idea, item_pk: int):
    item = next((i for i in idea.external_resources.all() if i.pk == item_pk), None)
    if item is None:
        raise Http404("No such partner or supplier on this idea")
    return _remove_item(request, idea, "partners", f"{item} has been removed.",
                        lambda: services.external_resource_remove(idea_id=idea.pk, by=request.user, item_id=item.pk))


urlpatterns = [
    path("<int:pk>/draft/resources/add/", resource_ask_set, name="resource_ask_set"),
    path("<int:pk>/draft/resources/<int:ask_pk>/remove/", resource_ask_remove, name="resource_ask_remove"),
    path("<int:pk>/draft/partners/add/", external_resource_add, name="external_resource_add"),
    path("<int:pk>/draft/partners/<int:item_pk>/remove/", external_resource_remove, name="external_resource_remove"),
]
