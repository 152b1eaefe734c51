"""Browsing ideas: the list, an idea's page, "My ideas" and "Waiting for me".

Thin views: reads come from ``ideas.selectors`` (already filtered by what the
user may see and joined for the page), writes go through ``ideas.services``,
and a ``WorkflowError`` becomes a message on the idea's page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST, require_safe

from harrow_innovation.core import waiting

from .. import idea_page, overlaps_page, own_idea, permissions, selectors, selectors_joins, services
from ..capped import capped_count, page_number
from ..forms.browsing import CommentForm, FollowForm, IdeaFilterForm, MoveForm
from ..models import Review, Transition

PER_PAGE = 25
WAITING_LIMIT = 25  # rows per "waiting for me" section; the oldest come first


# --- Helpers ----------------------------------------------------------------------


class _CountedPaginator(Paginator):
    """A paginator told its total (by ``selectors.count_ideas``) instead of counting the queryset."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # fills the cached_property Paginator.count


def _paginate(request: HttpRequest, queryset, *, count: int | None = None) -> dict:
    """A page of ``queryset``, drawn with the shared GOV.UK pagination include (includes/pagination.html).

    A page number past the end shows the last page (and says so); a page number
    that is not a number shows the first page.
    """
    paginator = Paginator(queryset, PER_PAGE) if count is None else _CountedPaginator(queryset, PER_PAGE, count=count)
    asked = request.GET.get("page", "")
    page = paginator.get_page(asked)
    note = ""
    if asked and asked != str(page.number):
        if asked.isdigit() and int(asked) > page.number:
            note = f"There is no page {asked}. This is the last page, page {page.number}."
        else:
            note = f"“{asked[:20]}” is not a page number. This is page {page.number}."
    return {"page": page, "page_note": note}


def _count_label(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _visible_idea_or_404(request: HttpRequest, pk: int):
    idea = selectors.idea_for_page(user=request.user, pk=pk)
    if idea is None:
        raise Http404("No idea with that number, or you may not see it.")
    return idea


# --- The idea list ------------------------------------------------------------------


@require_safe
def idea_list(request: HttpRequest) -> HttpResponse:
    form = IdeaFilterForm(request.GET)
    form.is_valid()  # an invalid field is shown as an error and left out of the filters
    filters = form.filters()
    ideas = selectors.idea_list_rows(user=request.user, filters=filters)
    if filters.q:  # a search's total is counted up to a cap (ideas/capped.py); the plain list's is kept exact
        counted = capped_count(ideas, page=page_number(request.GET.get("page", "")), per_page=PER_PAGE)
        count, total = counted.count, (f"more than {counted.shown:,}" if counted.capped else f"{counted.count:,}")
    else:
        count = selectors.count_ideas(user=request.user, filters=filters, ideas=ideas)
        total = f"{count:,}"
    context = {"form": form, "filters": filters, "panel": form.panel(sort=filters.sort),
               **_paginate(request, ideas, count=count)}
    page = context["page"]
    context["count_label"] = f"{total} ideas" if total.startswith("more") else _count_label(count, "idea")
    context["showing"] = f"Showing {page.start_index():,} to {page.end_index():,} of {total}."
    return render(request, "ideas/browsing/list.html", context)


# --- An idea's page -----------------------------------------------------------------


def _render_detail(
    request: HttpRequest,
    idea,
    *,
    comment_form: CommentForm | None = None,
    move_form: MoveForm | None = None,
    move_transition_id: int | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    choices = services.move_options(idea=idea, user=user)
    options = choices.offered
    moves = [
        {
            "option": option,
            "form": move_form if move_transition_id == option.transition.pk else None,
        }
        for option in options
    ]
    reviews = list(idea.reviews.all())
    submitted_reviews = [r for r in reviews if r.status == Review.Status.SUBMITTED]
    reviews_waiting = sum(1 for r in reviews if r.status == Review.Status.ASSIGNED)
    errors = []
    if comment_form is not None and comment_form.errors:
        errors += [("comment-body", e) for e in comment_form.errors.get("body", [])]
    if move_form is not None and move_form.errors:
        errors += [(f"move-{move_transition_id}-comment", e) for e in move_form.errors.get("comment", [])]
    context = {
        "idea": idea,
        "moves": moves,
        **idea_page.shared_parts(idea=idea, submitted_reviews=submitted_reviews, reviews_waiting=reviews_waiting),
        "overlaps": overlaps_page.overlaps_for_idea_page(user=user, idea=idea),
        "comment_form": comment_form or CommentForm(),
        "can_comment": permissions.can_comment(user, idea),
        "can_follow": permissions.can_follow(user, idea),
        "is_following": idea.viewer_follows,
        "can_edit": permissions.can_edit_idea(user, idea),
        "can_assign_reviewers": permissions.can_assign_reviewers(user, idea),
        "is_owner": permissions.is_owner(user, idea),
        "own_idea_notes": own_idea.own_idea_notes(idea=idea, user=user, withheld=choices.withheld_as_owner),
        "page_errors": errors,
        "joining": selectors_joins.joining_for_page(user=user, idea=idea),
    }
    return render(request, "ideas/browsing/detail.html", context, status=status)


@require_safe
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _visible_idea_or_404(request, pk))


@require_POST
def idea_comment(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _visible_idea_or_404(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, idea, comment_form=form)
    try:
        services.comment_add(idea_id=idea.pk, by=request.user, body=form.cleaned_data["body"])
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(idea)
    messages.success(request, "Your comment has been added.")
    return redirect(f"{idea.get_absolute_url()}#comments")


@require_POST
def idea_follow(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _visible_idea_or_404(request, pk)
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was changed. Use the Follow button on this page.")
        return redirect(idea)
    following = form.cleaned_data["following"]
    try:
        services.follow_set(idea_id=idea.pk, by=request.user, following=following)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(idea)
    if following:
        messages.success(request, "You are following this idea. We will tell you when it moves on or gets a comment.")
    else:
        messages.success(request, "You have stopped following this idea.")
    return redirect(idea)


@require_POST
def idea_move(request: HttpRequest, pk: int, transition_pk: int) -> HttpResponse:
    """Take a workflow move. A stale page, a double click or a crafted POST changes nothing and says why."""
    idea = _visible_idea_or_404(request, pk)
    transition = get_object_or_404(Transition.objects.select_related("source", "target"), pk=transition_pk)
    form = MoveForm(request.POST, comment_required=transition.comment_required)
    form.is_valid()
    expected = form.cleaned_data.get("expected_stage_id")
    if expected is None:
        messages.error(request, "Nothing was changed: the page was incomplete. Try again from this page.")
        return redirect(idea)
    offered = any(o.transition.pk == transition.pk for o in services.transitions_for(idea=idea, user=request.user))
    if "comment" in form.errors and offered and expected == idea.stage_id:
        return _render_detail(request, idea, move_form=form, move_transition_id=transition.pk)
    try:
        services.idea_move(
            idea_id=idea.pk,
            transition=transition,
            by=request.user,
            comment=form.cleaned_data.get("comment", request.POST.get("comment", "")),
            expected_stage_id=expected,
        )
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(idea)
    messages.success(request, f"{transition.label}: done. The idea is now at “{transition.target.name}”.")
    return redirect(idea)


# --- My ideas and waiting for me ------------------------------------------------------


@require_safe
def my_ideas(request: HttpRequest) -> HttpResponse:
    context = _paginate(request, selectors.ideas_owned_by(user=request.user))
    return render(request, "ideas/browsing/mine.html", context)


def _first(queryset) -> tuple[list, bool]:
    rows = list(queryset[: WAITING_LIMIT + 1])
    return rows[:WAITING_LIMIT], len(rows) > WAITING_LIMIT


@require_safe
def waiting_for_me(request: HttpRequest) -> HttpResponse:
    user = request.user
    reviews, more_reviews = _first(selectors.reviews_waiting_for(user=user))
    triage, more_triage = [], False
    if permissions.can_see_triage_queue(user):
        triage, more_triage = _first(selectors.ideas_needing_secretary(user=user))
    to_answer, more_to_answer = _first(selectors.ideas_owners_must_act_on(user=user))
    drafts, more_drafts = _first(selectors.drafts_of(user=user))
    context = {
        "reviews": reviews,
        "more_reviews": more_reviews,
        "show_triage": permissions.can_see_triage_queue(user),
        "triage": triage,
        "more_triage": more_triage,
        "to_answer": to_answer,
        "more_to_answer": more_to_answer,
        "drafts": drafts,
        "more_drafts": more_drafts,
        "limit": WAITING_LIMIT,
        "elsewhere": waiting.sections_for(user, limit=WAITING_LIMIT),  # Board actions, delivery updates due
    }
    context["nothing"] = not (reviews or triage or to_answer or drafts or context["elsewhere"])
    return render(request, "ideas/browsing/waiting.html", context)


urlpatterns = [
    path("", idea_list, name="list"),
    path("mine/", my_ideas, name="mine"),
    path("waiting/", waiting_for_me, name="waiting"),
    path("<int:pk>/", idea_detail, name="detail"),
    path("<int:pk>/comment/", idea_comment, name="comment"),
    path("<int:pk>/follow/", idea_follow, name="follow"),
    path("<int:pk>/move/<int:transition_pk>/", idea_move, name="move"),
]
