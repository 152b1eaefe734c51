"""Staff capacity: each team's days by quarter against what approved and ready ideas ask, and the page
where a team's manager (or an administrator) declares the days the team can give."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_safe

from harrow_innovation.core.quarters import days_error, parse_quarter_code, quarter_code, quarter_label
from harrow_innovation.people.models import Team
from harrow_innovation.people.roles import is_admin
from harrow_innovation.people.teams import TeamError, can_declare_capacity, past_quarter, team_capacity_set
from ideas import capacity

from .. import capacity as capacity_export
from ..permissions import can_view_portfolio
from .common import csv_download, require, xlsx_download


def _quarters(request):
    start = parse_quarter_code(request.GET.get("from", ""))
    return capacity.quarters_from(start=start)


@require_safe
def capacity_view(request):
    require(can_view_portfolio(request.user))
    quarters = _quarters(request)
    table = capacity.team_capacity_table(user=request.user, quarters=quarters)
    query = f"?from={quarter_code(quarters[0])}"
    return render(request, "portfolio/capacity.html", {
        "quarters": quarters, "table": table, "query": query,
        "over_now": [r for r in table if r.over_now], "over_if_approved": [r for r in table if r.over_if_approved],
        "earlier": quarter_code(capacity.quarters_from(start=quarters[0].replace(year=quarters[0].year - 2))[0]),
        "later": quarter_code(capacity.quarters_from(start=quarters[0].replace(year=quarters[0].year + 2))[0]),
    })


@require_safe
def capacity_csv(request):
    require(can_view_portfolio(request.user))
    table = capacity.team_capacity_table(user=request.user, quarters=_quarters(request))
    return csv_download(capacity_export.rows(table), header=capacity_export.HEADER, name="capacity")


@require_safe
def capacity_xlsx(request):
    require(can_view_portfolio(request.user))
    table = capacity.team_capacity_table(user=request.user, quarters=_quarters(request))
    return xlsx_download(capacity_export.rows(table), header=capacity_export.HEADER, name="capacity", title="Capacity")


@require_safe
def my_teams(request):
    """Teams the user manages (administrators: every active team), each linking to its capacity page."""
    teams = Team.objects.filter(is_active=True) if is_admin(request.user) else capacity.teams_managed_by(user=request.user)
    return render(request, "portfolio/capacity_teams.html",
                  {"teams": teams.select_related("department").order_by("department__name", "name")})


class CapacityForm(forms.Form):
    """One box per quarter, named ``days_YYYY_MM``; blank clears the quarter."""

    def __init__(self, *args, quarters, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.quarters = quarters
        for quarter in quarters:
            value = current.get(quarter)
            self.fields[self.name_for(quarter)] = forms.CharField(
                label=quarter_label(quarter), required=False, max_length=10,
                initial="" if value is None else f"{value.normalize():f}",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false", "autocomplete": "off",
                                              "class": "govuk-input govuk-input--width-4"}))

    @staticmethod
    def name_for(quarter) -> str:
        return f"days_{quarter:%Y_%m}"

    def clean(self):
        data = super().clean()
        for quarter in self.quarters:
            name = self.name_for(quarter)
            text = (data.get(name) or "").strip()
            if text and days_error(text):
                self.add_error(name, f"{quarter_label(quarter)}: {days_error(text)}")
            elif text and past_quarter(quarter):
                self.add_error(name, f"{quarter_label(quarter)} has ended: you can only declare capacity for this "
                                     f"quarter or later ones")
        return data

    def days_by_quarter(self) -> dict:
        out = {}
        for quarter in self.quarters:
            text = (self.cleaned_data.get(self.name_for(quarter)) or "").strip()
            if text:
                out[quarter] = text
            elif not past_quarter(quarter):
                out[quarter] = None
        return out


@require_http_methods(["GET", "POST"])
def team_capacity(request, pk: int):
    team = Team.objects.select_related("department", "manager").filter(pk=pk, is_active=True).first()
    if team is None:
        raise Http404("No such team")
    require(can_declare_capacity(request.user, team))
    quarters = _quarters(request)
    table = capacity.team_capacity_table(user=request.user, quarters=quarters, teams=Team.objects.filter(pk=team.pk))
    current = {cell.quarter: cell.capacity for cell in table[0].cells}
    form = CapacityForm(request.POST or None, quarters=quarters, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            team_capacity_set(team_id=team.pk, by=request.user, days_by_quarter=form.days_by_quarter())
        except TeamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{team.name}'s capacity has been saved.")
            return redirect(f"{reverse('portfolio:capacity_team', kwargs={'pk': team.pk})}?from={quarter_code(quarters[0])}")
    errors = []
    if form.is_bound:
        first = form[form.name_for(quarters[0])].auto_id
        errors = [(f"#{form[name].auto_id if name != '__all__' else first}", message)
                  for name, found in form.errors.items() for message in found]
    return render(request, "portfolio/capacity_team.html", {
        "team": team, "form": form, "errors": errors, "quarters": quarters,
        "cells": [(cell, form[form.name_for(cell.quarter)]) for cell in table[0].cells],
        "past": {q for q in quarters if past_quarter(q)},
        "from_code": quarter_code(quarters[0]),
    })


urlpatterns = [
    path("capacity/", capacity_view, name="capacity"),
    path("capacity/capacity.csv", capacity_csv, name="capacity_csv"),
    path("capacity/capacity.xlsx", capacity_xlsx, name="capacity_xlsx"),
    path("capacity/teams/", my_teams, name="capacity_teams"),
    path("capacity/teams/<int:pk>/", team_capacity, name="capacity_team"),
]
