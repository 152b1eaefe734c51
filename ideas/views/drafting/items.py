"""Lists of items on a draft: central systems, data outputs, co-owners and attachments."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from harrow_innovation.people.models import User
from ideas import services
from ideas.forms.drafting import (
    AttachmentForm,
    CoOwnerForm,
    DataOutputForm,
    SystemLinkForm,
)
from ideas.models import Idea, IdeaCentralSystem
from ideas.services import WorkflowError

from .sections import (
    RETURN_PARAM,
    RETURN_TO_CHECK,
    SECTIONS_BY_SLUG,
    Section,
    _next_url,
    _render_section,
    _returning,
    _saved,
    _section_url,
    editing,
)

ITEM_ACTIONS = {
    "central-systems": "ideas:system_set",
    "data-outputs": "ideas:data_output_add",
    "people": "ideas:co_owner_add",
    "attachments": "ideas:attachment_add",
    "resources": "ideas:resource_ask_set",
    "partners": "ideas:external_resource_add",
}

# Pages whose forms live in another module (staff time and partners): slug -> (form, item being changed).
EXTRA_FORMS: dict[str, Callable] = {}
EXTRA_CHANGES: dict[str, Callable] = {}


def _item_form(request, idea: Idea, page: Section, *, bound: bool, change=None):
    data = request.POST if bound else None
    files = request.FILES if bound else None
    if page.slug == "central-systems":
        initial = {}
        if change is not None:
            initial = {"system": change.system_id, "integration_note": change.integration_note,
                       "integration_cost": change.integration_cost}
        form = SystemLinkForm(data, initial=initial, current=change)
        if change is not None:
            form.fields["system"].disabled = True
        return form
    if page.slug in EXTRA_FORMS:
        return EXTRA_FORMS[page.slug](idea, data, change)
    if page.slug == "data-outputs":
        return DataOutputForm(data)
    if page.slug == "people":
        return CoOwnerForm(data, idea=idea)
    return AttachmentForm(data, files)


def _link_being_changed(request, idea: Idea) -> IdeaCentralSystem | None:
    change = request.GET.get("change", "")
    if not change.isdigit():
        return None
    return next((link for link in idea.system_links.all() if link.pk == int(change)), None)


def _list_page(request, idea: Idea, page: Section, form=None, change=None):
    if form is None:
        if page.slug == "central-systems":
            change = _link_being_changed(request, idea)
        elif page.slug in EXTRA_CHANGES:
            change = EXTRA_CHANGES[page.slug](request, idea)
        form = _item_form(request, idea, page, bound=False, change=change)
    action = reverse(ITEM_ACTIONS[page.slug], kwargs={"pk": idea.pk})
    query = {"change": change.pk} if change is not None else {}
    if _returning(request):
        query[RETURN_PARAM] = RETURN_TO_CHECK
    if query:
        action = f"{action}?{urlencode(query)}"
    template = f"ideas/drafting/section_{page.slug.replace('-', '_')}.html"
    return _render_section(request, idea, page, form, template, action=action, change=change)


def _add_item(request, idea: Idea, slug: str, save: Callable, *, change=None, error_field: str | None = None):
    """Add one item from the page's form, then go where the button said.

    "Save and continue" and "Save and come back later" with a blank form add
    nothing; with a filled-in form they add the item first, so nothing typed is lost.
    """
    page = SECTIONS_BY_SLUG[slug]
    form = _item_form(request, idea, page, bound=True, change=change)
    action = request.POST.get("action", "add")
    if action in ("continue", "later") and form.is_blank():
        _saved(request, idea)
        return redirect(_next_url(request, idea, page))
    if form.is_valid():
        try:
            message = save(form.cleaned_data)
        except WorkflowError as exc:
            form.add_error(error_field, str(exc))
        else:
            messages.success(request, message)
            if action in ("continue", "later"):
                return redirect(_next_url(request, idea, page))
            return redirect(_section_url(idea, page, returning=_returning(request)))
    return _list_page(request, idea, page, form=form, change=change)


def _remove_item(request, idea: Idea, slug: str, done: str, remove: Callable[[], None]):
    """Call the service that removes an item; if the idea moved on meanwhile, say so and change nothing."""
    try:
        remove()
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(_section_url(idea, SECTIONS_BY_SLUG[slug], returning=_returning(request)))


@require_POST
@editing
def system_set(request, idea: Idea):
    change = _link_being_changed(request, idea)

    def save(data):
        services.system_link_set(idea_id=idea.pk, by=request.user, system=data["system"],
                                 integration_note=data["integration_note"], integration_cost=data["integration_cost"])
        return f"{data['system']} has been {'changed' if change else 'added'}."

    return _add_item(request, idea, "central-systems", save, change=change)


@require_POST
@editing
def system_remove(request, idea: Idea, link_pk: int):
    link = next((link for link in idea.system_links.all() if link.pk == link_pk), None)
    if link is None:
        raise Http404("No such central system on this idea")
    return _remove_item(
        request, idea, "central-systems", f"{link.system} has been removed.",
        lambda: services.system_link_remove(idea_id=idea.pk, by=request.user, link_id=link.pk),
    )


@require_POST
@editing
def data_output_add(request, idea: Idea):
    def save(data):
        services.data_output_add(idea_id=idea.pk, by=request.user, description=data["description"],
                                 valued_by=list(data["valued_by"]))
        return "The data output has been added."

    return _add_item(request, idea, "data-outputs", save)


@require_POST
@editing
def data_output_remove(request, idea: Idea, output_pk: int):
    if not any(output.pk == output_pk for output in idea.data_outputs.all()):
        raise Http404("No such data output on this idea")
    return _remove_item(
        request, idea, "data-outputs", "The data output has been removed.",
        lambda: services.data_output_remove(idea_id=idea.pk, by=request.user, output_id=output_pk),
    )


@require_POST
@editing
def co_owner_add(request, idea: Idea):
    def save(data):
        services.co_owner_add(idea_id=idea.pk, by=request.user, user=data["email"])
        return f"{data['email']} is now a co-owner."

    return _add_item(request, idea, "people", save, error_field="email")


@require_POST
@editing
def co_owner_remove(request, idea: Idea, user_pk: int):
    person: User | None = next((co for co in idea.co_owners.all() if co.pk == user_pk), None)
    if person is None:
        raise Http404("No such co-owner")
    if person.pk == request.user.pk:
        try:
            services.co_owner_remove(idea_id=idea.pk, by=request.user, user=person)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect(_section_url(idea, SECTIONS_BY_SLUG["people"], returning=_returning(request)))
        messages.success(request, f"You are no longer a co-owner of {idea.reference}.")
        return redirect("home")
    return _remove_item(
        request, idea, "people", f"{person} is no longer a co-owner.",
        lambda: services.co_owner_remove(idea_id=idea.pk, by=request.user, user=person),
    )


@require_POST
@editing
def attachment_add(request, idea: Idea):
    def save(data):
        attachment = services.attachment_add(idea_id=idea.pk, by=request.user, upload=data["file"])
        return f"{attachment.original_name} has been uploaded."

    return _add_item(request, idea, "attachments", save, error_field="file")


@require_POST
@editing
def attachment_remove(request, idea: Idea, attachment_pk: int):
    attachment = next((a for a in idea.attachments.all() if a.pk == attachment_pk), None)
    if attachment is None:
        raise Http404("No such attachment")
    return _remove_item(
        request, idea, "attachments", f"{attachment.original_name} has been removed.",
        lambda: services.attachment_remove(idea_id=idea.pk, by=request.user, attachment_id=attachment.pk),
    )


urlpatterns = [
    path("<int:pk>/draft/central-systems/add/", system_set, name="system_set"),
    path("<int:pk>/draft/central-systems/<int:link_pk>/remove/", system_remove, name="system_remove"),
    path("<int:pk>/draft/data-outputs/add/", data_output_add, name="data_output_add"),
    path("<int:pk>/draft/data-outputs/<int:output_pk>/remove/", data_output_remove, name="data_output_remove"),
    path("<int:pk>/draft/people/add/", co_owner_add, name="co_owner_add"),
    path("<int:pk>/draft/people/<int:user_pk>/remove/", co_owner_remove, name="co_owner_remove"),
    path("<int:pk>/draft/attachments/add/", attachment_add, name="attachment_add"),
    path("<int:pk>/draft/attachments/<int:attachment_pk>/remove/", attachment_remove, name="attachment_remove"),
]
