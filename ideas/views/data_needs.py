"""An idea's data needs: the other ideas' data outputs it depends on, edited by its owners."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from .. import permissions
from ..data_needs import data_needs_of, idea_by_reference
from ..forms.data_needs import DataNeedForm, FindIdeaForm
from ..models import Idea
from ..selectors import visible_ideas
from ..services.common import WorkflowError
from ..services.data_needs import data_dependency_add, data_dependency_remove


def _idea_to_manage(request, pk: int) -> Idea:
    idea = visible_ideas(user=request.user).select_related("stage").prefetch_related("co_owners").filter(pk=pk).first()
    if idea is None:
        raise Http404("No idea with that number, or you may not see it.")
    if not permissions.can_manage_data_needs(request.user, idea):
        raise PermissionDenied("Only the idea's owners can say what data it needs, until it is closed.")
    return idea


def _found(request, idea: Idea, form: FindIdeaForm) -> Idea | None:
    """The idea the find form names, or None with the reason on the form."""
    if not form.is_valid():
        return None
    reference = form.cleaned_data["reference"]
    found = idea_by_reference(user=request.user, reference=reference)
    if found is None:
        form.add_error("reference", f"No idea you can see has the reference “{reference}”: check it in the data register")
    elif found.pk == idea.pk:
        form.add_error("reference", "That is this idea: an idea cannot depend on its own data output")
    elif not found.data_outputs.all():
        form.add_error("reference", f"{found.reference} has no data outputs yet")
    else:
        return found
    return None


@require_http_methods(["GET", "HEAD", "POST"])
def data_needs(request, pk: int):
    idea = _idea_to_manage(request, pk)
    source = request.POST if request.method == "POST" else request.GET
    find_form = FindIdeaForm(source if "reference" in source else None)
    found = _found(request, idea, find_form)
    need_form = None
    if found is not None:
        outputs = found.data_outputs.all()
        need_form = DataNeedForm(request.POST if request.method == "POST" else None, outputs=outputs)
        if need_form.is_bound and need_form.is_valid():
            try:
                data_dependency_add(idea_id=idea.pk, by=request.user, output_id=need_form.cleaned_data["output"].pk,
                                    need=need_form.cleaned_data["need"])
            except WorkflowError as exc:
                need_form.add_error("output", str(exc))
            else:
                messages.success(request, f"{idea.reference} now depends on data from {found.reference}.")
                return redirect("ideas:data_needs", pk=idea.pk)
    errors = []
    if find_form.is_bound:
        errors += [(f"#{anchor}", message) for anchor, message in find_form.summary_errors()]
    if need_form is not None and need_form.is_bound:
        errors += [(f"#{anchor}", message) for anchor, message in need_form.summary_errors()]
    return render(request, "ideas/data_needs.html", {
        "idea": idea, "needs": data_needs_of(user=request.user, idea=idea), "find_form": find_form,
        "found": found, "need_form": need_form, "errors": errors,
    })


@require_POST
def data_need_remove(request, pk: int, dependency_pk: int):
    idea = _idea_to_manage(request, pk)
    try:
        data_dependency_remove(idea_id=idea.pk, by=request.user, dependency_id=dependency_pk)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The data need has been removed.")
    return redirect(reverse("ideas:data_needs", kwargs={"pk": idea.pk}))


urlpatterns = [
    path("<int:pk>/data-needs/", data_needs, name="data_needs"),
    path("<int:pk>/data-needs/<int:dependency_pk>/remove/", data_need_remove, name="data_need_remove"),
]
