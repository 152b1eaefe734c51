"""Joining up ideas: "We are working on this too", answering it, linking ideas and merging a duplicate.

Thin views: permission checks from ``ideas.permissions_joins``, reads from
``ideas.selectors_joins``, one service call each; a ``WorkflowError`` is shown
on the page with the input kept (or, for a one-button form, as a message).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from .. import permissions_joins, selectors, selectors_joins, services
from ..forms.joining import IdeaLinkForm, JoinAnswerForm, JoinRequestForm, LinkRemoveForm, MergeForm
from ..models import IdeaLink


def _idea_or_404(request: HttpRequest, pk: int):
    idea = selectors.idea_for_page(user=request.user, pk=pk)
    if idea is None:
        raise Http404("No idea with that number, or you may not see it.")
    return idea


def _errors(form, ids: dict[str, str]) -> list[tuple[str, str]]:
    """(field id, message) for the error summary, in the form's field order."""
    return [(ids[name], message) for name in ids for message in form.errors.get(name, [])]


def _page(request, template: str, context: dict, errors: list) -> HttpResponse:
    return render(request, template, {**context, "page_errors": errors}, status=200)


# --- "We are working on this too" ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def join_request(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea_or_404(request, pk)
    selectors_joins.joining_for_page(user=request.user, idea=idea)  # loads contributors for the check below
    if not permissions_joins.can_ask_to_join(request.user, idea) and request.method == "GET":
        messages.error(request, "You cannot ask to join this idea: you may already be part of it, or it is closed.")
        return redirect(idea)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(idea_id=idea.pk, by=request.user, message=form.cleaned_data["message"])
        except services.WorkflowError as exc:
            form.add_error("message", str(exc))
        else:
            messages.success(request, "Your request has been sent to the idea's owners. We will tell you their answer.")
            return redirect(f"{idea.get_absolute_url()}#joining")
    errors = _errors(form, {"message": "join-message"}) if request.method == "POST" else []
    return _page(request, "ideas/joining/join.html", {"idea": idea, "form": form}, errors)


@require_http_methods(["GET", "POST"])
def join_answer(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    idea = _idea_or_404(request, pk)
    if not permissions_joins.can_answer_join_requests(request.user, idea):
        raise PermissionDenied("Only the idea's owners can answer a request to join it.")
    join = selectors_joins.pending_request(idea=idea, request_id=request_pk)
    if join is None:
        messages.error(request, "That request has already been answered, or there is no such request.")
        return redirect(f"{idea.get_absolute_url()}#joining")
    form = JoinAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["answer"] == JoinAnswerForm.DECLINE:
                services.join_request_decline(idea_id=idea.pk, request_id=join.pk, by=request.user,
                                              reason=form.cleaned_data["reason"])
                done = f"You declined {join.requester}'s request. They will see your reason."
            else:
                services.join_request_accept(idea_id=idea.pk, request_id=join.pk, by=request.user,
                                             joined_as=form.joined_as)
                done = f"{join.requester} has joined this idea."
        except services.WorkflowError as exc:
            form.add_error("answer", str(exc))
        else:
            messages.success(request, done)
            return redirect(f"{idea.get_absolute_url()}#joining")
    errors = _errors(form, {"answer": "answer", "reason": "reason"}) if request.method == "POST" else []
    return _page(request, "ideas/joining/answer.html", {"idea": idea, "join": join, "form": form}, errors)


# --- Links --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea_or_404(request, pk)
    if not permissions_joins.can_link(request.user, idea):
        raise PermissionDenied("Only the idea's owners can link it to another idea.")
    form = IdeaLinkForm(request.POST or None, initial={"other": request.GET.get("other", "")[:20]})
    if request.method == "POST" and form.is_valid():
        other = selectors_joins.idea_by_reference(user=request.user, reference=form.cleaned_data["other"])
        if other is None:
            form.add_error("other", "No idea with that reference, or you may not see it. Enter a reference like IDEA-00012")
        else:
            try:
                services.idea_link_add(idea_id=idea.pk, other_id=other.pk, kind=form.cleaned_data["kind"],
                                       by=request.user)
            except services.WorkflowError as exc:
                form.add_error("other", str(exc))
            else:
                messages.success(request, f"This idea is now linked to {other.reference}.")
                return redirect(f"{idea.get_absolute_url()}#linked-ideas")
    errors = _errors(form, {"kind": "kind", "other": "other"}) if request.method == "POST" else []
    return _page(request, "ideas/joining/link.html", {"idea": idea, "form": form}, errors)


@require_POST
def link_remove(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    idea = _idea_or_404(request, pk)
    link = IdeaLink.objects.filter(pk=link_pk).filter(from_idea=idea).first() or IdeaLink.objects.filter(
        pk=link_pk, to_idea=idea).first()
    if link is None:
        messages.error(request, "That link has already been removed. Nothing was changed.")
        return redirect(f"{idea.get_absolute_url()}#linked-ideas")
    LinkRemoveForm(request.POST).is_valid()
    try:
        services.idea_link_remove(link_id=link.pk, by=request.user)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The link has been removed.")
    return redirect(f"{idea.get_absolute_url()}#linked-ideas")


# --- Merging ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea_or_404(request, pk)
    if not permissions_joins.can_merge(request.user, idea):
        raise PermissionDenied("Only the Board secretary can merge ideas, and never their own.")
    form = MergeForm(request.POST or None, initial={"survivor": request.GET.get("into", "")[:20]})
    if request.method == "POST" and form.is_valid():
        survivor = selectors_joins.idea_by_reference(user=request.user, reference=form.cleaned_data["survivor"])
        if survivor is None:
            form.add_error("survivor", "No idea with that reference, or you may not see it. Enter a reference like IDEA-00012")
        else:
            try:
                services.idea_merge(merged_id=idea.pk, survivor_id=survivor.pk, by=request.user,
                                    reason=form.cleaned_data["reason"])
            except services.WorkflowError as exc:
                form.add_error("survivor", str(exc))
            else:
                messages.success(request, f"{idea.reference} has been merged into {survivor.reference}. "
                                          "Both owners have been told.")
                return redirect(survivor)
    errors = _errors(form, {"survivor": "survivor", "reason": "reason"}) if request.method == "POST" else []
    return _page(request, "ideas/joining/merge.html", {"idea": idea, "form": form}, errors)


urlpatterns = [
    path("<int:pk>/join/", join_request, name="join_request"),
    path("<int:pk>/join/<int:request_pk>/", join_answer, name="join_answer"),
    path("<int:pk>/links/add/", link_add, name="link_add"),
    path("<int:pk>/links/<int:link_pk>/remove/", link_remove, name="link_remove"),
    path("<int:pk>/merge/", merge, name="merge"),
]
