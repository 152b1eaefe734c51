"""Central systems: the load dependent ideas put on each, overall and per system."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_safe

from ideas.models import CentralSystem

from .. import charts, selectors
from ..permissions import can_view_portfolio
from .common import paginate, require

CHART_SYSTEMS = 15


@require_safe
def overview(request):
    """The portfolio's front page: what each section shows."""
    require(can_view_portfolio(request.user))
    return render(request, "portfolio/overview.html")


@require_safe
def system_list(request):
    require(can_view_portfolio(request.user))
    sort = request.GET.get("sort", selectors.DEFAULT_SYSTEM_SORT)
    sort = sort if sort in selectors.SYSTEM_SORTS else selectors.DEFAULT_SYSTEM_SORT
    approved = selectors.approved_stage_ids()
    loads = selectors.system_loads(user=request.user, approved_ids=approved, sort=sort)
    charted = sorted(loads, key=lambda s: (-s.integration, s.system.name))[:CHART_SYSTEMS]
    charted = [s for s in charted if s.integration]
    chart = charts.grouped_bars(
        "system-load",
        "Integration cost on each central system (one-off), approved and in the pipeline",
        [s.system.name for s in charted],
        [("Approved", [s.approved.integration for s in charted]),
         ("In the pipeline", [s.pipeline.integration for s in charted])],
        fmt=charts.money_short,
        stacked=True,
    )
    totals = {
        "approved": selectors.Load(
            ideas=sum(s.approved.ideas for s in loads), integration=sum(s.approved.integration for s in loads),
            one_off=sum(s.approved.one_off for s in loads), recurring=sum(s.approved.recurring for s in loads),
        ),
        "pipeline": selectors.Load(
            ideas=sum(s.pipeline.ideas for s in loads), integration=sum(s.pipeline.integration for s in loads),
            one_off=sum(s.pipeline.one_off for s in loads), recurring=sum(s.pipeline.recurring for s in loads),
        ),
    }
    totals["integration"] = totals["approved"].integration + totals["pipeline"].integration
    return render(request, "portfolio/systems.html", {
        "loads": loads, "chart": chart, "sort": sort, "sorts": selectors.SYSTEM_SORTS, "totals": totals,
        "chart_limit": CHART_SYSTEMS,
    })


@require_safe
def system_detail(request, slug: str):
    require(can_view_portfolio(request.user))
    system = get_object_or_404(CentralSystem.objects.select_related("owner_department"), slug=slug)
    approved = selectors.approved_stage_ids()
    groups = selectors.system_stage_summary(user=request.user, system=system, approved_ids=approved)
    page = paginate(request, selectors.system_links(user=request.user, system=system))
    summary = {
        category: selectors.Load(
            ideas=sum(g.ideas for g in groups if g.category == category),
            integration=sum(g.integration for g in groups if g.category == category),
            one_off=sum(g.one_off for g in groups if g.category == category),
            recurring=sum(g.recurring for g in groups if g.category == category),
        )
        for category in ("approved", "pipeline", "closed")
    }
    chart = charts.horizontal_bars(
        "system-stages", f"Ideas depending on {system.name}, by stage", [(g.name, g.ideas) for g in groups]
    )
    return render(request, "portfolio/system_detail.html", {
        "system": system, "groups": groups, "page_obj": page, "summary": summary, "chart": chart,
    })


urlpatterns = [
    path("", overview, name="overview"),
    path("systems/", system_list, name="systems"),
    path("systems/<slug:slug>/", system_detail, name="system"),
]
