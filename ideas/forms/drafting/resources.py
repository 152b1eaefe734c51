"""Forms on the resources pages: ask a team for days in each quarter of the idea's timescale,
and add a partner or supplier with its cost. One days box per quarter, named ``days_YYYY_MM``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crispy_forms_gds.layout import Field, Fieldset, Fixed, Size
from django import forms

from harrow_innovation.core.quarters import days_error, quarter_label
from harrow_innovation.core.text import LONG_TEXT_MAX
from harrow_innovation.people.models import Team

from .fields import MONEY_TEMPLATE, MoneyField, _long_text, _text, gds_helper
from .items import ItemForm


def days_field_name(quarter: date) -> str:
    return f"days_{quarter:%Y_%m}"


class DaysField(forms.CharField):
    """Working days in a quarter: blank is none; 0 to 65 in halves."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(label=label, required=False, max_length=10, widget=forms.TextInput(attrs={
            "inputmode": "decimal", "spellcheck": "false", "autocomplete": "off"}), **kwargs)
        self.quarter_label = label

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return Decimal("0")
        problem = days_error(text)
        if problem:
            raise forms.ValidationError(f"{self.quarter_label}: {problem}")
        return Decimal(text)


class ResourceAskForm(ItemForm):
    team = forms.ModelChoiceField(label="Which team?", queryset=Team.objects.none(), required=False,
                                  empty_label="Choose a team",
                                  help_text="Teams are set up by the service's administrators. Ask them if yours is missing.")
    note = _long_text("What would they do?", name="What they would do",
                      help_text="The roles and skills you need, like “a business analyst to map the process”.")

    def __init__(self, *args, quarters: list[date], current=None, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(is_active=True)
        if current is not None and current.team_id:  # a team since retired can still be kept on an ask that names it
            teams = teams | Team.objects.filter(pk=current.team_id)
        self.fields["team"].queryset = teams.select_related("department").order_by("department__name", "name")
        self.fields["team"].error_messages["invalid_choice"] = "Choose a team from the list"
        self.quarters = quarters
        for quarter in quarters:
            self.fields[days_field_name(quarter)] = DaysField(label=quarter_label(quarter))
        days = [Field.text(days_field_name(q), field_width=Fixed.FIVE) for q in quarters]
        layout = [Field.select("team"), Field.textarea("note", rows=3, max_characters=LONG_TEXT_MAX)]
        if days:
            layout.append(Fieldset(*days, legend="Working days asked each quarter", legend_size=Size.SMALL))
        self.helper = gds_helper(*layout)

    def clean(self):
        data = super().clean()
        days = self.days_by_quarter() if not self.errors else {}
        if any(value > 0 for value in days.values()) and not data.get("team"):
            self.add_error("team", "Choose the team you are asking for days")
        if not data.get("team") and not (data.get("note") or "").strip() and "team" not in self.errors:
            self.add_error("team", "Choose a team, or write what you need")
        return data

    def days_by_quarter(self) -> dict[date, Decimal]:
        return {q: self.cleaned_data.get(days_field_name(q)) or Decimal("0") for q in self.quarters}

    def is_blank(self) -> bool:
        typed = [self.data.get(days_field_name(q), "").strip() for q in self.quarters]
        return not (self.data.get("team") or self.data.get("note", "").strip() or any(typed))


class ExternalResourceForm(ItemForm):
    name = _text("Partner or supplier", max_length=200, noun="the partner or supplier's name", required=True,
                 help_text="For example, “a university partner” or a supplier's name.")
    cost = MoneyField(noun="the cost", label="What would they cost? (optional)",
                      help_text="Leave blank if you do not know yet.")
    note = _long_text("What would they do? (optional)", name="What they would do")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("name"),
            Field("cost", template=MONEY_TEMPLATE),
            Field.textarea("note", rows=3, max_characters=LONG_TEXT_MAX),
        )

    def is_blank(self) -> bool:
        return not (self.data.get("name", "").strip() or self.data.get("cost", "").strip()
                    or self.data.get("note", "").strip())
