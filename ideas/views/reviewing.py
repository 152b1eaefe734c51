"""Reviewing: the secretary assigns reviewers, reviewers score ideas, the ranking.

Thin views: check a permission, validate a form, call one service, and turn
``WorkflowError`` into a message or a form error.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import permissions, selectors, services, triage
from ..forms.reviewing import AssignReviewerForm, RankingFilterForm, ReviewForm
from ..models import Review

RANKING_PAGE_SIZE = 25
COMPLETED_PAGE_SIZE = 20


def _idea_or_404(request, pk: int):
    idea = selectors.idea_for_reviewers(pk=pk)
    if idea is None or not permissions.can_view_idea(request.user, idea):
        raise Http404("No such idea")
    return idea


@require_http_methods(["GET", "POST"])
def assign_reviewers(request, pk: int):
    idea = _idea_or_404(request, pk)
    if not permissions.can_assign_reviewers(request.user, idea):
        raise PermissionDenied
    candidates = list(selectors.reviewer_candidates(idea=idea)) if not idea.stage.is_final else []
    form = AssignReviewerForm(request.POST or None, candidates=candidates, initial={"stage": idea.stage_id})
    if request.method == "POST" and form.is_valid():
        reviewer = form.cleaned_data["reviewer"]
        try:
            services.review_assign(
                idea_id=idea.pk, reviewer=reviewer, by=request.user, due_date=form.cleaned_data["due_date"],
                expected_stage_id=form.cleaned_data["stage"],
            )
        except services.WorkflowError as exc:
            form.add_error("reviewer", str(exc))
        else:
            messages.success(request, f"{reviewer} has been asked to review “{idea.title}”.")
            return redirect("ideas:assign_reviewers", pk=idea.pk)
    return render(
        request,
        "ideas/reviewing/assign.html",
        {
            "idea": idea,
            "reviews": selectors.reviews_for_stage(idea=idea),
            "form": form,
            "can_assign": not idea.stage.is_final,
            "role_label": permissions.reviewer_role_for(idea.stage).replace("_", " "),
            "today": timezone.localdate(),
        },
    )


@require_POST
def review_cancel(request, review_pk: int):
    review = Review.objects.filter(pk=review_pk).values("idea_id", "pk").first()
    if review is None:
        raise Http404("No such review")
    idea = _idea_or_404(request, review["idea_id"])
    if not permissions.can_assign_reviewers(request.user, idea):
        raise PermissionDenied
    try:
        services.review_cancel(review_id=review_pk, by=request.user)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The review request has been withdrawn.")
    return redirect("ideas:assign_reviewers", pk=idea.pk)


@require_safe
def review_queue(request):
    if not permissions.can_see_review_queue(request.user):
        raise PermissionDenied
    completed = Paginator(selectors.reviews_completed_by(user=request.user), COMPLETED_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "ideas/reviewing/queue.html",
        {"waiting": list(selectors.reviews_waiting_for(user=request.user)), "completed": completed, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def review(request, review_pk: int):
    review = selectors.review_for_page(user=request.user, review_pk=review_pk)
    if review is None:
        raise Http404("No such review")
    idea = review.idea
    open_for_scoring = permissions.can_review(request.user, review)
    if request.method == "POST" and not open_for_scoring:
        messages.error(request, _closed_message(request.user, review))
        return redirect("ideas:review", review_pk=review.pk)
    form = None
    if open_for_scoring:
        form = ReviewForm(request.POST or None, criteria=selectors.active_criteria())
        if request.method == "POST" and form.is_valid():
            try:
                services.review_submit(
                    review_id=review.pk,
                    by=request.user,
                    scores=form.scores(),
                    recommendation=form.cleaned_data["recommendation"],
                    comment=form.cleaned_data["comment"],
                )
            except services.WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Your review of “{idea.title}” has been sent. Thank you.")
                return redirect("ideas:review_queue")
    can_view = permissions.can_view_idea(request.user, idea)
    return render(
        request,
        "ideas/reviewing/review.html",
        {
            "review": review,
            "idea": idea,
            "form": form,
            "closed_message": "" if open_for_scoring else _closed_message(request.user, review),
            "can_view_idea": can_view,
            "scores": list(review.scores.all()),
            # Overlapping and linked ideas the reviewer may see (ideas.triage: one place finds overlaps).
            "overlaps": triage.overlaps_of_idea(user=request.user, idea=idea) if can_view else [],
        },
    )


def _closed_message(user, review: Review) -> str:
    if permissions.is_owner(user, review.idea):
        role = permissions.reviewer_role_for(review.stage)
        return permissions.own_idea_refusal("review this idea", [role]) + " Ask the Board secretary to withdraw this request."
    if review.status == Review.Status.SUBMITTED:
        return "You have already submitted this review. It can no longer be changed."
    return "This review is no longer needed: the request was withdrawn or the idea has moved on. Nothing can be changed."


@require_safe
def ranked(request):
    if not permissions.can_see_ranking(request.user):
        raise PermissionDenied
    form = RankingFilterForm(request.GET or None, stages=selectors.stages_for_ranking())
    stage_ids = form.stage_ids() if form.is_bound else []
    paginator = Paginator(selectors.ranked_ideas(user=request.user, stage_ids=stage_ids), RANKING_PAGE_SIZE)
    paginator.count = selectors.count_ranked(user=request.user, stage_ids=stage_ids)  # kept tally, not the rows
    page = paginator.get_page(request.GET.get("page"))
    ideas = list(page.object_list)
    summaries = selectors.recommendation_summaries(idea_ids=[idea.pk for idea in ideas])
    rows = [
        {
            "rank": page.start_index() + index,
            "idea": idea,
            "recommendations": summaries.get(idea.pk, []),
            "can_assign": permissions.can_assign_reviewers(request.user, idea, owns=idea.viewer_owns),
        }
        for index, idea in enumerate(ideas)
    ]
    return render(
        request, "ideas/reviewing/ranked.html", {"form": form, "page": page, "rows": rows, "filtered": bool(stage_ids)}
    )


urlpatterns = [
    path("<int:pk>/reviewers/", assign_reviewers, name="assign_reviewers"),
    path("reviews/", review_queue, name="review_queue"),
    path("reviews/<int:review_pk>/", review, name="review"),
    path("reviews/<int:review_pk>/cancel/", review_cancel, name="review_cancel"),
    path("ranked/", ranked, name="ranked"),
]
