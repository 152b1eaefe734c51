"""Fields the drafting forms share: money typed as people write it, GOV.UK dates, and one-line and long answers."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size
from crispy_forms_gds.widgets import DateInputWidget
from django import forms

from harrow_innovation.core.money import format_money
from harrow_innovation.core.text import LongTextField, OneLineField
from ideas.models import MAX_MONEY

MONEY_TEMPLATE = "ideas/drafting/fields/money.html"


def money_for_input(value: Decimal | None) -> str:
    """1234 or 1234.50: what a person would type, so a saved answer reads back naturally."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value:.2f}"


def gds_helper(*fields) -> FormHelper:
    """A helper that renders the fields only: the page supplies the <form> and its buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields)
    return helper


class MoneyField(forms.Field):
    """An amount in pounds. Accepts "£1,500" or "1500.50"; refuses negative, non-numbers and absurd values."""

    def __init__(self, *, noun: str, **kwargs):
        self.noun = noun  # e.g. "the one-off cost", used in messages
        kwargs.setdefault("required", False)
        # A plain TextInput (not type=number): GOV.UK advice, and crispy-forms-gds styles it.
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false", "autocomplete": "off",
        }))
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter {noun}"

    def prepare_value(self, value):
        return money_for_input(value) if isinstance(value, Decimal) else value

    def to_python(self, value):
        text = (value or "").strip().replace(",", "").replace(" ", "")
        if text.startswith("£"):
            text = text[1:]
        if text in ("", None):
            return None
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            raise forms.ValidationError(
                f"Enter {self.noun} as an amount in pounds, like 15000 or 15000.50", code="invalid"
            )
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(f"Enter {self.noun} as an amount in pounds, like 15000", code="invalid") from None
        if amount < 0:
            raise forms.ValidationError(f"{self.noun.capitalize()} must be £0 or more", code="negative")
        if amount > MAX_MONEY:
            raise forms.ValidationError(
                f"{self.noun.capitalize()} must be {format_money(MAX_MONEY)} or less", code="too_large"
            )
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(f"{self.noun.capitalize()} must be in pounds and pence, like 1500.50", code="pence")
        return amount.quantize(Decimal("0.01"))


class GovDateField(forms.MultiValueField):
    """The GOV.UK date input: day, month and year boxes, with messages that name the missing part."""

    widget = DateInputWidget

    def __init__(self, *, noun: str, **kwargs):
        self.noun = noun
        parts = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        kwargs.setdefault("required", False)
        super().__init__(fields=parts, require_all_fields=False, **kwargs)

    def _fail(self, message: str, parts: list[int]):
        for index, part in enumerate(self.fields):
            part.widget.errors = [message] if index in parts else []
        raise forms.ValidationError(message)

    def clean(self, value):
        for part in self.fields:
            part.widget.errors = []
        values = [str(v).strip() if v is not None else "" for v in (value or ["", "", ""])][:3]
        values += [""] * (3 - len(values))
        if not any(values):
            if self.required:
                self._fail(f"Enter {self.noun}", [0, 1, 2])
            return None
        names = ["a day", "a month", "a year"]
        missing = [i for i, v in enumerate(values) if not v]
        if missing:
            self._fail(f"{self.noun.capitalize()} must include {' and '.join(names[i] for i in missing)}", missing)
        not_numbers = [i for i, v in enumerate(values) if not v.isdigit()]
        if not_numbers:
            self._fail(f"{self.noun.capitalize()} must be a real date, written in numbers like 27 3 2026", not_numbers)
        day, month, year = (int(v) for v in values)
        if len(values[2]) != 4:
            self._fail(f"The year of {self.noun} must include 4 numbers", [2])
        if not 2000 <= year <= 2100:
            self._fail(f"{self.noun.capitalize()} must be between the years 2000 and 2100", [2])
        try:
            return datetime.date(year, month, day)
        except ValueError:
            self._fail(f"{self.noun.capitalize()} must be a real date", [0, 1])

    def compress(self, data_list):  # pragma: no cover - clean() does the work
        return None


def _text(label: str, *, max_length: int, noun: str, required: bool = False, help_text: str = "",
          name: str = "") -> forms.CharField:
    field = OneLineField(label=label, max_length=max_length, required=required, help_text=help_text,
                         name=name or noun.capitalize())
    field.error_messages["max_length"] = f"{name or noun.capitalize()} must be {max_length} characters or fewer"
    field.error_messages["required"] = f"Enter {noun}"
    return field


def _long_text(label: str, *, name: str, help_text: str = "") -> forms.CharField:
    return LongTextField(label=label, name=name, required=False, help_text=help_text)
