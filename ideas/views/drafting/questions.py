"""Starting an idea, the task list and the question pages of a draft."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_safe

from ideas import overlaps, selectors, services
from ideas.forms.drafting import (
    NewIdeaForm,
)
from ideas.models import Idea
from ideas.services import WorkflowError

from .items import _list_page
from .sections import COMPLETED, SECTIONS, SECTIONS_BY_SLUG, _next_url, _render_section, _saved, _section_url, editing


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


def _ids(request, name: str) -> list[int]:
    return [int(value) for value in request.GET.getlist(name)[:20] if value.isdigit() and len(value) < 12]


@require_safe
def similar(request):
    """An HTML fragment listing ideas that overlap with the words so far (fetched by drafting.js).

    ``exclude`` is the draft being edited: left out, and its saved systems, departments and
    data added, if the user may see it. ``system``, ``department`` and ``data_department``
    add choices not saved yet.
    """
    exclude = request.GET.get("exclude", "")
    draft_id = int(exclude) if exclude.isdigit() and len(exclude) < 12 else None
    if draft_id is not None and not selectors.visible_ideas(user=request.user).filter(pk=draft_id).exists():
        draft_id = None
    found = overlaps.overlaps_for_draft(
        user=request.user,
        title=request.GET.get("title", "")[:300],
        problem=request.GET.get("problem", "")[:2000],
        system_ids=_ids(request, "system"),
        department_ids=_ids(request, "department"),
        data_department_ids=_ids(request, "data_department"),
        draft_id=draft_id,
    )
    response = render(request, "ideas/drafting/_similar.html", {"similar": found, "searched": True})
    response["Cache-Control"] = "private, no-store"
    return response


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
        "similar": overlaps.overlaps_for_idea(user=request.user, idea=idea),
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


urlpatterns = [
    path("new/", new, name="new"),
    path("similar/", similar, name="similar"),
    path("<int:pk>/draft/", task_list, name="task_list"),
    path("<int:pk>/draft/<slug:section>/", edit_section, name="edit_section"),
]
