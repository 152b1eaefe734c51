"""Delivery and benefits: owners' progress updates and realised benefits, compared with the business case."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_safe

from .. import selectors, services
from ..forms import BenefitForm, DeliveryUpdateForm
from ..permissions import can_record_benefit, can_record_delivery, can_view_delivery, can_view_portfolio
from .common import paginate, require


@require_safe
def delivery(request):
    require(can_view_portfolio(request.user))
    approved = selectors.approved_stage_ids()
    stalled_only = request.GET.get("show") == "stalled"
    totals = selectors.delivery_totals(user=request.user, approved_ids=approved)
    ideas = selectors.delivery_ideas(user=request.user, approved_ids=approved, stalled_only=stalled_only)
    page = paginate(request, ideas)
    return render(request, "portfolio/delivery.html", {
        "page_obj": page, "totals": totals, "stalled_only": stalled_only,
        "stalled_days": selectors.stalled_after_days(),
    })


@require_safe
def my_delivery(request):
    approved = selectors.approved_stage_ids()
    page = paginate(request, selectors.ideas_owned_in_delivery(user=request.user, approved_ids=approved))
    return render(request, "portfolio/my_delivery.html", {"page_obj": page})


def _idea_or_404(request, pk: int):
    idea = selectors.idea_for_delivery(user=request.user, pk=pk)
    if idea is None:
        raise Http404
    return idea


@require_safe
def delivery_idea(request, pk: int):
    idea = _idea_or_404(request, pk)
    approved = selectors.approved_stage_ids()
    require(can_view_delivery(request.user, idea))
    updates = list(idea.delivery_updates.all())
    records = list(idea.benefit_records.all())
    realised = sum((r.cash_realised for r in records), selectors.ZERO)
    return render(request, "portfolio/delivery_idea.html", {
        "idea": idea, "updates": updates, "records": records, "realised": realised,
        "approved": idea.stage_id in approved,
        "can_update": can_record_delivery(request.user, idea, approved_stage_ids=approved),
        "can_add_benefit": can_record_benefit(request.user, idea, approved_stage_ids=approved),
    })


@require_http_methods(["GET", "POST"])
def delivery_update_add(request, pk: int):
    idea = _idea_or_404(request, pk)
    require(can_record_delivery(request.user, idea, approved_stage_ids=selectors.approved_stage_ids()))
    form = DeliveryUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delivery_update_record(idea_id=idea.pk, by=request.user, **form.cleaned_data)
        except services.PortfolioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your delivery update has been saved.")
            return redirect("portfolio:delivery_idea", pk=idea.pk)
    return render(request, "portfolio/delivery_form.html", {
        "idea": idea, "form": form, "heading": "Report delivery progress",
    })


@require_http_methods(["GET", "POST"])
def benefit_add(request, pk: int):
    idea = _idea_or_404(request, pk)
    require(can_record_benefit(request.user, idea, approved_stage_ids=selectors.approved_stage_ids()))
    form = BenefitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.benefit_record_add(idea_id=idea.pk, by=request.user, **form.cleaned_data)
        except services.PortfolioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The realised benefits have been saved.")
            return redirect("portfolio:delivery_idea", pk=idea.pk)
    return render(request, "portfolio/delivery_form.html", {
        "idea": idea, "form": form, "heading": "Record realised benefits",
    })


urlpatterns = [
    path("delivery/", delivery, name="delivery"),
    path("delivery/mine/", my_delivery, name="my_delivery"),
    path("delivery/<int:pk>/", delivery_idea, name="delivery_idea"),
    path("delivery/<int:pk>/update/", delivery_update_add, name="delivery_update_add"),
    path("delivery/<int:pk>/benefits/", benefit_add, name="benefit_add"),
]
