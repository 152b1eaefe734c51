"""The sections of a draft's task list (what each asks, and whether it is complete), the links
between them, rendering a question page, and who may open the drafting pages (``editing`` loads
the draft and keeps everyone else out)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from ideas import overlaps, permissions
from ideas.forms.drafting import (
    AboutForm,
    BusinessCaseForm,
    ConfidentialityForm,
    RisksForm,
    WhoForm,
)
from ideas.models import Attachment, DataOutput, Idea, IdeaCentralSystem
from ideas.resource_models import resource_prefetches

COMPLETED, INCOMPLETE, NOT_STARTED = "Completed", "Incomplete", "Not started"


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
    Section("resources", "Staff time", _status_items("resource_asks"), required=False,
            hint="Optional: council teams it needs, and their days each quarter"),
    Section("partners", "Partners and suppliers", _status_items("external_resources"), required=False,
            hint="Optional: partners, suppliers and industry bodies it needs, and their cost"),
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
            *resource_prefetches(),
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
        context["similar"] = overlaps.overlaps_for_idea(user=request.user, idea=idea)
    return render(request, template, context)
