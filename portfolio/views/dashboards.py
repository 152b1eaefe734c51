"""Dashboards: the pipeline in charts, each with the same figures in a table beneath."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from ideas.models import Outcome

from .. import charts, selectors
from ..forms import DashboardFilterForm, department_choices
from ..permissions import can_view_portfolio
from .common import require

MAX_MONTHS = 36
NO_DEPARTMENT = "No department recorded"


def _months(start: date, end: date) -> list[date]:
    months, current = [], start.replace(day=1)
    while current <= end and len(months) < MAX_MONTHS:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def _filters(form: DashboardFilterForm) -> selectors.DashboardFilters:
    filters = selectors.DashboardFilters.default()
    data = form.cleaned_data if form.is_bound else {}
    if data.get("date_from"):
        filters = replace(filters, date_from=data["date_from"])
    if data.get("date_to"):
        filters = replace(filters, date_to=data["date_to"])
    if filters.date_to < filters.date_from:
        filters = replace(filters, date_from=filters.date_to)
    return replace(filters, department_id=data.get("department"))


@require_safe
def dashboards(request):
    require(can_view_portfolio(request.user))
    departments = department_choices()
    names = dict(departments)
    form = DashboardFilterForm(request.GET or None, departments=departments)
    if form.is_bound:
        form.is_valid()
    filters = _filters(form)
    user = request.user
    approved = selectors.approved_stage_ids()
    all_stages = selectors.stages_in_order()
    stages = [s for s in all_stages if not s.is_draft]

    # 1. Ideas per stage, as a funnel
    kept = selectors.submitted_in_period(user=user, filters=filters)  # one query for charts 1, 2 and 5
    per_stage = selectors.ideas_per_stage(user=user, filters=filters, kept=kept)
    funnel_rows = [(s.name, per_stage.get(s.pk, 0)) for s in stages]
    funnel = charts.horizontal_bars("funnel", "Ideas in each stage now", funnel_rows, centred=True)

    # 2. Ideas per department over time
    per_month = selectors.ideas_per_department_month(user=user, filters=filters, kept=kept)
    months = _months(filters.date_from, filters.date_to)
    dept_ids = sorted({d for d, _ in per_month}, key=lambda d: (d is None, names.get(d, "")))
    month_series = [
        (names.get(d, NO_DEPARTMENT), [per_month.get((d, m), 0) for m in months]) for d in dept_ids
    ]
    month_labels = [f"{m:%b %Y}" for m in months]
    over_time = charts.stacked_columns(
        "over-time", "Ideas submitted each month, by department", month_labels, month_series
    )
    month_rows = [(label, [values[i] for _, values in month_series], sum(v[i] for _, v in month_series))
                  for i, label in enumerate(month_labels)]

    # 3. Median days in each stage
    medians, medians_as_of = selectors.median_days_in_stage_kept(user=user, filters=filters)
    median_rows = [(s, medians[s.pk]) for s in all_stages if s.pk in medians]
    median_chart = charts.horizontal_bars(
        "median-days", "Median days ideas spent in each stage", [(s.name, m) for s, (m, _) in median_rows],
        fmt=charts.days_text, colour=charts.PALETTE[2],
    )

    # 4. Decisions by outcome
    decisions = selectors.decisions_by_outcome(user=user, filters=filters)
    decision_rows = [(label, decisions.get(value, 0)) for value, label in Outcome.choices if value]
    decision_chart = charts.horizontal_bars(
        "decisions", "Board decisions by outcome", decision_rows, colour=charts.PALETTE[1]
    )

    # 5. Approved cost against expected benefit
    cost_rows = sorted(
        selectors.approved_cost_and_benefit(user=user, filters=filters, approved_ids=approved, kept=kept),
        key=lambda r: (r["department_id"] is None, names.get(r["department_id"], "")),
    )
    for row in cost_rows:
        row["name"] = names.get(row["department_id"], NO_DEPARTMENT)
        row["first_year"] = row["one_off"] + row["recurring"]
    cost_chart = charts.grouped_bars(
        "cost-benefit", "Approved ideas: first-year cost against expected savings per year, by department",
        [r["name"] for r in cost_rows],
        [("First-year cost (one-off, integration and a year's running cost)", [r["first_year"] for r in cost_rows]),
         ("Expected cash savings per year", [r["savings"] for r in cost_rows])],
        fmt=charts.money_short,
    )
    cost_totals = {key: sum(r[key] for r in cost_rows) for key in ("ideas", "one_off", "recurring", "first_year", "savings")}

    return render(request, "portfolio/dashboards.html", {
        "form": form, "filters": filters, "department_name": names.get(filters.department_id, ""),
        "funnel": funnel, "funnel_rows": funnel_rows, "funnel_total": sum(n for _, n in funnel_rows),
        "over_time": over_time, "month_series": month_series, "month_rows": month_rows,
        "median_chart": median_chart, "median_rows": median_rows, "medians_as_of": medians_as_of,
        "decision_chart": decision_chart, "decision_rows": decision_rows,
        "decision_total": sum(n for _, n in decision_rows),
        "cost_chart": cost_chart, "cost_rows": cost_rows, "cost_totals": cost_totals,
    })


urlpatterns = [path("dashboards/", dashboards, name="dashboards")]
