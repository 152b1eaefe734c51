"""Delivery and benefits: what owners record about approved ideas as they are delivered.

The business case an idea was approved on (its expected savings and costs)
stays on ``ideas.Idea``; these rows are what actually happened, so the
portfolio can compare the two.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from harrow_innovation.core.money import format_money
from ideas.models import MAX_MONEY, Idea


class DeliveryStatus(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"


class DeliveryUpdate(models.Model):
    """One progress report on an approved idea's delivery."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="delivery_updates")
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices)
    percent_complete = models.PositiveSmallIntegerField(validators=[MinValueValidator(0), MaxValueValidator(100)])
    narrative = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["idea", "-at"], name="delivery_idea_at")]
        constraints = [
            models.CheckConstraint(condition=Q(percent_complete__gte=0, percent_complete__lte=100), name="delivery_percent_0_100"),
            models.CheckConstraint(condition=Q(status__in=DeliveryStatus.values), name="delivery_status_known"),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.COMPLETE) | Q(percent_complete=100), name="delivery_complete_is_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.get_status_display()} ({self.percent_complete}%)"


class BenefitRecord(models.Model):
    """Benefits an approved idea realised in a period (cash, and others in words)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="benefit_records")
    period = models.DateField(help_text="The month or day the benefit was realised in.")
    cash_realised = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_MONEY)],
    )
    other_benefits = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period", "-pk"]
        indexes = [models.Index(fields=["idea", "-period"], name="benefit_idea_period")]
        constraints = [
            models.CheckConstraint(
                condition=Q(cash_realised__gte=0) & Q(cash_realised__lte=MAX_MONEY), name="benefit_cash_in_range"
            ),
            models.CheckConstraint(
                condition=Q(cash_realised__gt=0) | ~Q(other_benefits=""), name="benefit_says_something"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}: {format_money(self.cash_realised)} in {self.period:%B %Y}"


class ApiToken(models.Model):
    """A key a program sends to read the API as the token's owner (portfolio/api/tokens.py).

    Only the SHA-256 of the secret is stored; the secret is shown once, when the
    token is made. A token stops working when it expires or is revoked.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. the report that uses it.")
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="The secret's first characters, to tell tokens apart.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="apitoken_user_created")]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="apitoken_expires_after_made"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


# Totals kept by database triggers for the portfolio pages (declared in their own module).
from .tallies import (  # noqa: E402, F401
    FlowShare,
    FlowTally,
    IdeaShare,
    OutputTally,
    PeriodTally,
    StayShare,
    SystemShare,
    SystemTally,
)


class StageMedianSnapshot(models.Model):
    """The dashboards' median days in each stage for one period, department filter and class of viewer (issue 14).

    A median cannot be kept by adding and subtracting as the other totals are, and
    computing it reads every stay that ended in the period, which grows with the
    ideas held. So it is computed once and kept with the time it was computed
    (shown on the page as "as of"), refreshed every hour by the beat job
    ``portfolio.refresh_stage_medians`` and on demand when missing or older than
    ``totals.MEDIANS_STALE_AFTER`` (portfolio/totals.py ``median_days_kept``).

    ``viewer`` keeps visibility exact: ``all`` for roles that read confidential
    ideas, ``open`` for viewers linked to no confidential idea (they see only
    non-confidential ones), ``u<user id>`` for a viewer who also sees some
    confidential ideas through their own links; such a snapshot is used only while
    the viewer's links are still the ones it was computed with (``linked``). Changing an idea's confidentiality
    deletes every snapshot but the ``all`` ones at once (a trigger, migration
    portfolio 0004), so no snapshot ever counts an idea its viewers may not see.
    """

    date_from = models.DateField()
    date_to = models.DateField()
    department_id = models.BigIntegerField(default=0)  # 0: every department
    viewer = models.CharField(max_length=24)
    linked = models.JSONField(default=list)  # the confidential ideas a ``u<id>`` viewer saw through links, in order
    medians = models.JSONField(default=dict)  # {"stage id": [median days, stays]}
    computed_at = models.DateTimeField()
    used_on = models.DateField()  # the last day a page read it; the beat job forgets it a week later

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["date_from", "date_to", "department_id", "viewer"],
                                    name="stagemedians_key"),
        ]
        indexes = [models.Index(fields=["used_on"], name="stagemedians_used")]

    def __str__(self) -> str:
        return f"medians {self.date_from}..{self.date_to} dept {self.department_id} for {self.viewer}"
