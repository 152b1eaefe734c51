"""The form for recording a decision, and the search over decisions."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Fieldset, Layout, Size, Submit
from django import forms
from django.utils import timezone

from harrow_innovation.core.text import LongTextField
from ideas.models import MAX_MONEY, Outcome

from .. import selectors
from .fields import GovDateField

OUTCOME_CHOICES = [(value, label) for value, label in Outcome.choices if value]


class DecisionForm(forms.Form):
    """Rendered by hand in the template (conditional questions under two of the answers)."""

    outcome = forms.ChoiceField(label="What did the Board decide?", choices=OUTCOME_CHOICES, widget=forms.RadioSelect,
                                error_messages={"required": "Choose the Board's decision",
                                                "invalid_choice": "Choose the Board's decision"})
    conditions = LongTextField(label="Conditions", required=False, rows=4, name="The conditions")
    park_until = GovDateField(label="Parked until", what="the date the idea is parked until", example="27 3 2027",
                              required=False)
    budget_allocated = forms.DecimalField(
        label="Budget allocated, in pounds (optional)", required=False, min_value=Decimal("0"), max_value=MAX_MONEY,
        max_digits=12, decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "decimal"}),
        error_messages={
            "invalid": "Enter the budget as a number of pounds, like 25000",
            "min_value": "Enter a budget of £0 or more",
            "max_value": "Enter a budget of £100,000,000 or less",
            "max_decimal_places": "Enter the budget in pounds and pence, like 2500.50",
            "max_digits": "Enter a budget of £100,000,000 or less",
        },
    )
    people_allocated = LongTextField(label="People (optional)", required=False, rows=2, name="People",
                                     help_text="For example, a project manager 2 days a week for 6 months.")
    external_support = LongTextField(label="External support (optional)", required=False, rows=2,
                                     name="External support", help_text="Partners, suppliers or industry bodies.")
    notes = LongTextField(label="Notes for the minutes (optional)", required=False, rows=3,
                          name="Notes for the minutes")

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == Outcome.APPROVE_WITH_CONDITIONS and not (data.get("conditions") or "").strip():
            self.add_error("conditions", "Enter the conditions of the approval")
        if outcome == Outcome.PARK and not data.get("park_until") and "park_until" not in self.errors:
            self.add_error("park_until", "Enter the date the idea is parked until")
        elif outcome == Outcome.PARK and data.get("park_until") and data["park_until"] <= timezone.localdate():
            self.add_error("park_until", "The date the idea is parked until must be in the future")
        if outcome != Outcome.PARK and "park_until" in self.errors:
            del self.errors["park_until"]  # an unused, half-typed date does not block another decision
            data["park_until"] = None
        return data


class DecisionSearchForm(forms.Form):
    q = forms.CharField(label="Idea or item title", required=False, max_length=200)
    outcome = forms.ChoiceField(label="Decision", required=False, choices=[("", "Any decision"), *OUTCOME_CHOICES])
    date_from = GovDateField(label="Meetings from", what="the first date", example="1 4 2025", required=False)
    date_to = GovDateField(label="Meetings up to", what="the last date", example="31 3 2026", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        helper = FormHelper()
        helper.form_method = "get"
        helper.attrs = {"novalidate": ""}
        helper.label_size = Size.SMALL
        helper.legend_size = Size.SMALL
        helper.layout = Layout(
            Fieldset("q", "outcome", "date_from", "date_to", legend="Search decisions", legend_size=Size.MEDIUM),
            Submit("search", "Search", css_class="govuk-button--secondary"),
        )
        self.helper = helper
        self.helper.attrs["data-form"] = "decision_search"

    def filters(self) -> selectors.DecisionFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.DecisionFilters(
            q=data.get("q", ""), outcome=data.get("outcome", ""),
            date_from=data.get("date_from"), date_to=data.get("date_to"),
        )
