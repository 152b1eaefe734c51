"""Drafting and submitting an idea: the GOV.UK "task list, question pages, check your answers" pattern.

Views are thin: check who is asking (``ideas.permissions``), validate a form,
call one service, and turn ``WorkflowError`` into a message on the page.
Drafts are visible only to their owners, so anyone else gets a 404.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from harrow_innovation.core.money import format_money
from harrow_innovation.people.models import User
from ideas import permissions, selectors, services
from ideas.attachments import CONTENT_TYPES
from ideas.forms.drafting import (
    AboutForm,
    AttachmentForm,
    BusinessCaseForm,
    ConfidentialityForm,
    CoOwnerForm,
    DataOutputForm,
    NewIdeaForm,
    ResourcesForm,
    RisksForm,
    SystemLinkForm,
    WhoForm,
)
from ideas.models import Attachment, AttachmentKind, DataOutput, Idea, IdeaCentralSystem
from ideas.services import WorkflowError

COMPLETED, INCOMPLETE, NOT_STARTED = "Completed", "Incomplete", "Not started"


# --- Sections of the task list ------------------------------------------------


def _status(answers: list, required: list) -> str:
    if required and all(required):
        return COMPLETED
    if not required and all(answers):
        return COMPLETED
    if any(answers):
        return INCOMPLETE
    return NOT_STARTED


def _has_cost(idea: Idea) -> bool:
    return idea.one_off_cost is not None or idea.recurring_cost is not None


def _status_about(idea: Idea) -> str:
    return _status([idea.title, idea.problem, idea.solution], [idea.title, idea.problem, idea.solution])


def _status_who(idea: Idea) -> str:
    departments = bool(idea.departments.all())
    return _status([departments, idea.services, idea.source, idea.source_detail], [departments, idea.source])


def _status_business_case(idea: Idea) -> str:
    answers = [idea.cash_savings_per_year is not None, idea.other_benefits, _has_cost(idea), idea.timescale,
               idea.start_date, idea.end_date]
    return _status(answers, [idea.other_benefits, _has_cost(idea), idea.timescale])


def _status_risks(idea: Idea) -> str:
    return _status([idea.risks, idea.future_proofing], [idea.risks, idea.future_proofing])


def _status_resources(idea: Idea) -> str:
    return _status([idea.resources_internal, idea.resources_external], [])


def _status_items(name: str) -> Callable[[Idea], str]:
    def status(idea: Idea) -> str:
        return COMPLETED if getattr(idea, name).all() else NOT_STARTED

    return status


def _status_confidentiality(idea: Idea) -> str:
    return COMPLETED  # "not confidential" is a real answer, and the default


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    status: Callable[[Idea], str]
    form_class: type | None = None  # a question page; None for a list of items
    required: bool = True
    hint: str = ""
    fields: tuple[str, ...] = field(default_factory=tuple)  # answers this page holds (for missing answers)


SECTIONS = [
    Section("about", "About the idea", _status_about, AboutForm, fields=("title", "problem", "solution"),
            hint="The title, the problem and who has it, and your solution"),
    Section("who-it-serves", "Who it serves", _status_who, WhoForm, fields=("departments", "services", "source"),
            hint="Departments, services and where the idea came from"),
    Section("business-case", "Business case", _status_business_case, BusinessCaseForm,
            fields=("cash_savings_per_year", "other_benefits", "one_off_cost", "recurring_cost", "timescale"),
            hint="Benefits, costs and timescale"),
    Section("risks", "Risks and future-proofing", _status_risks, RisksForm, fields=("risks", "future_proofing")),
    Section("central-systems", "Central systems", _status_items("system_links"), required=False,
            hint="Optional: systems it must integrate with, and what that costs"),
    Section("data-outputs", "Data outputs", _status_items("data_outputs"), required=False,
            hint="Optional: data it would produce, and who would value it"),
    Section("resources", "Resources", _status_resources, ResourcesForm, required=False,
            hint="Optional: people, teams, partners and suppliers it needs"),
    Section("people", "Co-owners", _status_items("co_owners"), required=False,
            hint="Optional: people who may change and submit the idea with you"),
    Section("attachments", "Attachments", _status_items("attachments"), required=False,
            hint="Optional: documents, spreadsheets or images"),
    Section("confidentiality", "Confidentiality", _status_confidentiality, ConfidentialityForm, required=False,
            hint="Who can see the idea once it is submitted"),
]
SECTIONS_BY_SLUG = {s.slug: s for s in SECTIONS}
SECTION_OF_FIELD = {f: s for s in SECTIONS for f in s.fields}
# Where each required answer is typed: the first input of the field (checkboxes and radios number from 1).
ANCHORS = {"departments": "id_departments_1", "source": "id_source_1"}


# A Change link on "Check your answers" adds ?return=check so that saving comes back there,
# as the GOV.UK pattern does. Only this one value is honoured: the parameter names a page of
# ours, never a URL, so it cannot send anyone elsewhere.
RETURN_PARAM, RETURN_TO_CHECK = "return", "check"


def _returning(request) -> bool:
    return request.GET.get(RETURN_PARAM) == RETURN_TO_CHECK


def _section_url(idea: Idea, section: Section, anchor: str = "", *, returning: bool = False) -> str:
    url = reverse("ideas:edit_section", kwargs={"pk": idea.pk, "section": section.slug})
    if returning:
        url = f"{url}?{RETURN_PARAM}={RETURN_TO_CHECK}"
    return f"{url}#{anchor}" if anchor else url


def _answer_url(idea: Idea, field_name: str) -> str:
    """Where an answer is changed from "Check your answers" (its errors and Change links): back there after."""
    section = SECTION_OF_FIELD.get(field_name)
    if section is None:
        return reverse("ideas:task_list", kwargs={"pk": idea.pk})
    return _section_url(idea, section, ANCHORS.get(field_name, f"id_{field_name}"), returning=True)


def _next_url(request, idea: Idea, section: Section) -> str:
    """Where "Save and continue" and "Save and come back later" go."""
    if request.POST.get("action") == "later":
        return reverse("ideas:task_list", kwargs={"pk": idea.pk})
    if _returning(request):
        return reverse("ideas:check", kwargs={"pk": idea.pk})
    index = SECTIONS.index(section)
    if index + 1 < len(SECTIONS):
        return _section_url(idea, SECTIONS[index + 1])
    return reverse("ideas:check", kwargs={"pk": idea.pk})


def _saved(request, idea: Idea) -> None:
    if request.POST.get("action") == "later":
        if idea.stage.is_draft:
            messages.success(request, "Your draft has been saved. You can come back to it at any time.")
        else:
            messages.success(request, "Your changes have been saved.")


# --- Who may open the pages --------------------------------------------------


def _idea_for_drafting(pk: int) -> Idea | None:
    """The idea with everything the drafting pages show, in a fixed number of queries."""
    return (
        Idea.objects.select_related("stage", "owner")
        .prefetch_related(
            "co_owners",
            "departments",
            Prefetch("system_links", queryset=IdeaCentralSystem.objects.select_related("system")),
            Prefetch("data_outputs", queryset=DataOutput.objects.prefetch_related("valued_by")),
            Prefetch("attachments", queryset=Attachment.objects.filter(is_removed=False)),
        )
        .filter(pk=pk)
        .first()
    )


class _Locked(Exception):
    def __init__(self, idea: Idea):
        self.idea = idea


def _owned_idea(request, pk: int) -> Idea:
    """An idea the user owns: 404 if they may not see it, 403 if they may see it but do not own it."""
    idea = _idea_for_drafting(pk)
    if idea is None or not permissions.can_view_idea(request.user, idea):
        raise Http404("No such idea")
    if not permissions.is_owner(request.user, idea):
        raise PermissionDenied("Only the idea's owners can change it.")
    return idea


def _editable_idea(request, pk: int) -> Idea:
    idea = _owned_idea(request, pk)
    if not permissions.can_edit_idea(request.user, idea):
        raise _Locked(idea)
    return idea


def editing(view):
    """Open ``view`` with an idea the user may change now; owners of a locked idea are told why."""

    @functools.wraps(view)
    def wrapper(request, pk: int, *args, **kwargs):
        try:
            idea = _editable_idea(request, pk)
        except _Locked as locked:
            return render(request, "ideas/drafting/locked.html", {"idea": locked.idea}, status=403)
        return view(request, idea, *args, **kwargs)

    return wrapper


# --- Starting an idea ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def new(request):
    """Start an idea: a title and the problem. Saving creates the draft."""
    form = NewIdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        idea = services.idea_create(by=request.user, title=form.cleaned_data["title"], problem=form.cleaned_data["problem"])
        messages.success(request, f"Your draft {idea.reference} has been saved. You can leave and come back to it at any time.")
        return redirect("ideas:task_list", pk=idea.pk)
    errors = [(f"#{anchor}", message) for anchor, message in form.summary_errors()] if form.is_bound else []
    return render(request, "ideas/drafting/new.html", {"form": form, "errors": errors})


@require_safe
def similar(request):
    """An HTML fragment listing ideas that look like the words so far (fetched by drafting.js)."""
    title = request.GET.get("title", "")[:300]
    problem = request.GET.get("problem", "")[:2000]
    exclude = request.GET.get("exclude", "")
    exclude_id = int(exclude) if exclude.isdigit() else None
    ideas = selectors.similar_ideas(request.user, title=title, problem=problem, exclude_id=exclude_id)
    response = render(request, "ideas/drafting/_similar.html", {"similar": ideas, "searched": True})
    response["Cache-Control"] = "private, no-store"
    return response


# --- The task list and question pages ------------------------------------------


@require_safe
@editing
def task_list(request, idea: Idea):
    rows = [{"section": s, "status": s.status(idea), "url": _section_url(idea, s)} for s in SECTIONS]
    required = [r for r in rows if r["section"].required]
    context = {
        "idea": idea,
        "rows": rows,
        "required_done": sum(1 for r in required if r["status"] == COMPLETED),
        "required_count": len(required),
        "similar": selectors.similar_ideas(request.user, title=idea.title, problem=idea.problem, exclude_id=idea.pk),
    }
    return render(request, "ideas/drafting/task_list.html", context)


def _initial(idea: Idea, form_class: type) -> dict:
    initial = {}
    for name in form_class.base_fields:
        if name == "departments":
            initial[name] = [d.pk for d in idea.departments.all()]
        elif name == "is_confidential":
            initial[name] = "yes" if idea.is_confidential else "no"
        else:
            initial[name] = getattr(idea, name)
    return initial


@require_http_methods(["GET", "POST"])
@editing
def edit_section(request, idea: Idea, section: str):
    page = SECTIONS_BY_SLUG.get(section)
    if page is None:
        raise Http404("No such section")
    if page.form_class is None:
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return _list_page(request, idea, page)
    form = page.form_class(request.POST or None, initial=_initial(idea, page.form_class))
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_update(idea_id=idea.pk, by=request.user, **form.changes())
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            _saved(request, idea)
            return redirect(_next_url(request, idea, page))
    return _render_section(request, idea, page, form, "ideas/drafting/section.html")


def _render_section(request, idea: Idea, page: Section, form, template: str, **extra):
    returning = _returning(request)
    context = {
        "idea": idea,
        "page": page,
        "form": form,
        "errors": [(f"#{anchor}", message) for anchor, message in form.summary_errors()] if form.is_bound else [],
        "task_list_url": reverse("ideas:task_list", kwargs={"pk": idea.pk}),
        "returning": returning,
        "return_query": f"{RETURN_PARAM}={RETURN_TO_CHECK}" if returning else "",
        "check_url": reverse("ideas:check", kwargs={"pk": idea.pk}),
        **extra,
    }
    if page.slug == "about":
        context["similar"] = selectors.similar_ideas(request.user, title=idea.title, problem=idea.problem, exclude_id=idea.pk)
    return render(request, template, context)


# --- Lists of items: central systems, data outputs, co-owners, attachments ----------


ITEM_ACTIONS = {
    "central-systems": "ideas:system_set",
    "data-outputs": "ideas:data_output_add",
    "people": "ideas:co_owner_add",
    "attachments": "ideas:attachment_add",
}


def _item_form(request, idea: Idea, page: Section, *, bound: bool, change: IdeaCentralSystem | None = None):
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


def _list_page(request, idea: Idea, page: Section, form=None, change: IdeaCentralSystem | None = None):
    if form is None:
        if page.slug == "central-systems":
            change = _link_being_changed(request, idea)
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


# --- Check your answers, submit, confirmation ----------------------------------


def _text_row(idea, key, field_name, value, *, multiline=False):
    return {"key": key, "value": value, "multiline": multiline, "href": _answer_url(idea, field_name),
            "change": key.lower()}


def answer_sections(idea: Idea) -> list[dict]:
    """What "check your answers" shows: one summary card per section."""
    departments = ", ".join(d.name for d in idea.departments.all())
    source = idea.get_source_display() if idea.source else ""
    if source and idea.source_detail:
        source = f"{source}: {idea.source_detail}"

    def dates():
        if idea.start_date and idea.end_date:
            return f"{idea.start_date:%-d %B %Y} to {idea.end_date:%-d %B %Y}"
        if idea.start_date:
            return f"From {idea.start_date:%-d %B %Y}"
        if idea.end_date:
            return f"Until {idea.end_date:%-d %B %Y}"
        return ""

    cards = {
        "about": [
            _text_row(idea, "Title", "title", idea.title),
            _text_row(idea, "The problem and who has it", "problem", idea.problem, multiline=True),
            _text_row(idea, "The proposed solution", "solution", idea.solution, multiline=True),
        ],
        "who-it-serves": [
            _text_row(idea, "Departments", "departments", departments),
            _text_row(idea, "Services", "services", idea.services),
            _text_row(idea, "Where the idea came from", "source", source),
        ],
        "business-case": [
            _text_row(idea, "Cash savings per year", "cash_savings_per_year", format_money(idea.cash_savings_per_year)),
            _text_row(idea, "Other benefits", "other_benefits", idea.other_benefits, multiline=True),
            _text_row(idea, "One-off cost", "one_off_cost", format_money(idea.one_off_cost)),
            _text_row(idea, "Recurring cost per year", "recurring_cost", format_money(idea.recurring_cost)),
            _text_row(idea, "Timescale", "timescale", idea.timescale),
            {**_text_row(idea, "Dates", "start_date", dates()), "href": _section_url(
                idea, SECTIONS_BY_SLUG["business-case"], "id_start_date_0", returning=True)},
        ],
        "risks": [
            _text_row(idea, "Risks", "risks", idea.risks, multiline=True),
            _text_row(idea, "How it stays future-proof", "future_proofing", idea.future_proofing, multiline=True),
        ],
        "central-systems": [
            {"key": link.system.name, "value": f"{format_money(link.integration_cost)} to integrate",
             "detail": link.integration_note}
            for link in idea.system_links.all()
        ],
        "data-outputs": [
            {"key": output.description,
             "value": "Valued by " + (", ".join(d.name for d in output.valued_by.all()) or "no department chosen")}
            for output in idea.data_outputs.all()
        ],
        "resources": [
            {**_text_row(idea, "Internal", "resources_internal", idea.resources_internal, multiline=True),
             "href": _section_url(idea, SECTIONS_BY_SLUG["resources"], "id_resources_internal", returning=True)},
            {**_text_row(idea, "External", "resources_external", idea.resources_external, multiline=True),
             "href": _section_url(idea, SECTIONS_BY_SLUG["resources"], "id_resources_external", returning=True)},
        ],
        "people": [{"key": "Owner", "value": str(idea.owner)}]
        + [{"key": "Co-owner", "value": str(co)} for co in idea.co_owners.all()],
        "attachments": [
            {"key": a.original_name, "value": a.get_kind_display(),
             "download": reverse("ideas:attachment_download", kwargs={"pk": idea.pk, "attachment_pk": a.pk})}
            for a in idea.attachments.all()
        ],
        "confidentiality": [
            {"key": "Confidential", "value": "Yes" if idea.is_confidential else "No",
             "href": _section_url(idea, SECTIONS_BY_SLUG["confidentiality"], "id_is_confidential_1", returning=True),
             "change": "whether it is confidential"},
        ],
    }
    return [{"section": s, "url": _section_url(idea, s, returning=True), "rows": cards[s.slug]} for s in SECTIONS]


@require_http_methods(["GET", "POST"])
def check(request, pk: int):
    """Check your answers, then submit. Missing answers are listed, each linking to its page; nothing changes."""
    idea = _owned_idea(request, pk)
    if not permissions.can_edit_idea(request.user, idea):
        if idea.submitted_at is not None and not idea.stage.is_draft:
            # A second click on "Submit idea", or a bookmark: the idea has gone in already.
            if request.method == "POST":
                messages.info(request, f"{idea.reference} has already been submitted. Nothing else was changed.")
            return redirect("ideas:submitted", pk=idea.pk)
        return render(request, "ideas/drafting/locked.html", {"idea": idea}, status=403)
    errors = []
    if request.method == "POST":
        if not idea.stage.is_draft:
            errors = [("", "This idea has already been submitted. Use its page to send it on when you have finished.")]
        else:
            errors = [(_answer_url(idea, name), message) for name, message in services.missing_answers(idea)]
        if not errors:
            try:
                services.idea_submit(idea_id=idea.pk, by=request.user)
            except WorkflowError as exc:
                errors = [("", str(exc))]
            else:
                return redirect("ideas:submitted", pk=idea.pk)
    context = {
        "idea": idea,
        "cards": answer_sections(idea),
        "errors": errors,
    }
    return render(request, "ideas/drafting/check.html", context)


@require_safe
def submitted(request, pk: int):
    """The confirmation panel, with the reference and what happens next."""
    idea = _owned_idea(request, pk)
    if idea.stage.is_draft:
        return redirect("ideas:check", pk=idea.pk)
    return render(request, "ideas/drafting/submitted.html", {"idea": idea})


# --- Attachments ------------------------------------------------------------------


def _download_name(name: str) -> str:
    # Control characters would break the header; everything else Django encodes (RFC 6266 / 5987).
    return re.sub(r"[\x00-\x1f\x7f]", "_", name).strip() or "attachment"


def _pdf_without_active_content(handle):
    import io

    from pypdf import PdfReader

    from harrow_innovation.core.pdf_safety import strip_active_content

    with handle:
        try:
            reader = PdfReader(io.BytesIO(handle.read()), strict=False)
            if reader.is_encrypted:
                raise ValueError("encrypted")
            return io.BytesIO(strip_active_content(reader))
        except Exception:  # damaged or locked: nothing safe to hand over
            raise Http404("This PDF could not be checked, so it cannot be downloaded. Ask the idea's owner for it.") from None


@require_safe
def attachment_download(request, pk: int, attachment_pk: int):
    """Stream an attachment as a download, only to people who may see the idea."""
    idea = Idea.objects.select_related("stage").prefetch_related("co_owners", "reviews").filter(pk=pk).first()
    if idea is None or not permissions.can_download_attachment(request.user, idea):
        raise Http404("No such attachment")
    attachment = Attachment.objects.filter(idea=idea, pk=attachment_pk, is_removed=False).first()
    if attachment is None:
        raise Http404("No such attachment")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    if attachment.kind == AttachmentKind.PDF and not permissions.is_owner(request.user, idea):
        # Board members and reviewers open officers' PDFs: they get the pages without anything
        # that runs, opens, submits or leaves the document, as in the pack. Owners get their own file.
        handle = _pdf_without_active_content(handle)
    response = FileResponse(
        handle, as_attachment=True, filename=_download_name(attachment.original_name),
        content_type=CONTENT_TYPES[attachment.kind],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response



urlpatterns = [
    path("new/", new, name="new"),
    path("similar/", similar, name="similar"),
    path("<int:pk>/draft/", task_list, name="task_list"),
    path("<int:pk>/draft/central-systems/add/", system_set, name="system_set"),
    path("<int:pk>/draft/central-systems/<int:link_pk>/remove/", system_remove, name="system_remove"),
    path("<int:pk>/draft/data-outputs/add/", data_output_add, name="data_output_add"),
    path("<int:pk>/draft/data-outputs/<int:output_pk>/remove/", data_output_remove, name="data_output_remove"),
    path("<int:pk>/draft/people/add/", co_owner_add, name="co_owner_add"),
    path("<int:pk>/draft/people/<int:user_pk>/remove/", co_owner_remove, name="co_owner_remove"),
    path("<int:pk>/draft/attachments/add/", attachment_add, name="attachment_add"),
    path("<int:pk>/draft/attachments/<int:attachment_pk>/remove/", attachment_remove, name="attachment_remove"),
    path("<int:pk>/draft/<slug:section>/", edit_section, name="edit_section"),
    path("<int:pk>/check/", check, name="check"),
    path("<int:pk>/submitted/", submitted, name="submitted"),
    path("<int:pk>/attachments/<int:attachment_pk>/", attachment_download, name="attachment_download"),
]
