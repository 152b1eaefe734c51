"""What an idea asks of people: staff time from council teams, quarter by quarter, and external partners.

Imported by ``ideas.models`` (Django finds the models there). A team's time is asked in
working days per quarter of the idea's timescale (its start and end dates); the days rule
(0 to 65, in halves) lives in ``harrow_innovation.core.quarters`` and in the database.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from harrow_innovation.core.quarters import validate_days
from harrow_innovation.core.text import OneLineValidator
from harrow_innovation.people.models import Team


class ResourceAsk(models.Model):
    """Time asked of one council team, with a note. No team: a note carried over from the old free text."""

    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="resource_asks")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="asks")
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.team.name if self.team_id else 'note'}"

    @property
    def total_days(self):
        return sum(q.days for q in self.quarters.all())


class ResourceAskQuarter(models.Model):
    """The working days a team is asked for in one quarter (stored as the quarter's first day)."""

    ask = models.ForeignKey(ResourceAsk, on_delete=models.CASCADE, related_name="quarters")
    quarter = models.DateField()
    days = models.DecimalField(max_digits=4, decimal_places=1, validators=[validate_days])

    class Meta:
        ordering = ["quarter"]
        constraints = [
            models.UniqueConstraint(fields=["ask", "quarter"], name="resource_ask_quarter_once"),
            models.CheckConstraint(condition=Q(days__gte=0, days__lte=65), name="resource_ask_days_in_range"),
            models.CheckConstraint(condition=Q(quarter__day=1, quarter__month__in=[1, 4, 7, 10]),
                                   name="resource_ask_quarter_start"),
        ]
        indexes = [models.Index(fields=["quarter", "ask"], name="resource_ask_quarter_idx")]

    def __str__(self) -> str:
        return f"{self.ask_id} {self.quarter:%Y-%m}: {self.days}"


def resource_prefetches(prefix: str = "") -> list:
    """What a page that shows an idea's staff time and partners prefetches (three queries at most)."""
    asks = ResourceAsk.objects.select_related("team__department").prefetch_related("quarters")
    return [models.Prefetch(f"{prefix}resource_asks", queryset=asks), f"{prefix}external_resources"]


class ExternalResource(models.Model):
    """A partner, supplier or industry body the idea needs, and what it would cost."""

    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="external_resources")
    name = models.CharField("partner or supplier", max_length=200, blank=True, validators=[OneLineValidator("The name")])
    cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(cost__isnull=True) | Q(cost__gte=0),
                                              name="external_resource_cost_not_negative")]

    def __str__(self) -> str:
        return self.name or "Partners and suppliers"
