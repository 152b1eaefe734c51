""""Check your answers", submitting the idea, and the confirmation page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_safe

from harrow_innovation.core.money import format_money
from ideas import permissions, services
from ideas.models import Idea
from ideas.resource_text import ask_summary
from ideas.services import WorkflowError

from .sections import SECTIONS, SECTIONS_BY_SLUG, _answer_url, _owned_idea, _section_url


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
            {"key": ask.team.name if ask.team_id else "Note", "value": ask_summary(ask), "detail": ask.note}
            for ask in idea.resource_asks.all()
        ],
        "partners": [
            {"key": item.name or "Partners and suppliers",
             "value": format_money(item.cost) if item.cost is not None else "Cost not known", "detail": item.note}
            for item in idea.external_resources.all()
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


urlpatterns = [
    path("<int:pk>/check/", check, name="check"),
    path("<int:pk>/submitted/", submitted, name="submitted"),
]
