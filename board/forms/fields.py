"""Fields and pieces the Board forms share: GOV.UK dates, times typed as people write them, presenters."""

from __future__ import annotations

import re
from datetime import time

from crispy_forms_gds.fields import DateInputField
from django import forms

from harrow_innovation.core.text import OneLineField

from .. import selectors


class GovDateField(DateInputField):
    """A GOV.UK date input whose messages name the date they are about."""

    def __init__(self, *, label: str, what: str, example: str = "27 3 2026", **kwargs):
        kwargs.setdefault("help_text", f"For example, {example}")
        super().__init__(label=label, require_all_fields=False, **kwargs)
        self.what = what
        self.error_messages.update({"required": f"Enter {what}", "incomplete": f"Enter {what} in full: day, month and year"})
        for sub, part in zip(self.fields, ("day", "month", "year"), strict=True):
            sub.error_messages["incomplete"] = f"{what[0].upper()}{what[1:]} must include a {part}"
            sub.validators[0].message = f"Enter {what} using numbers, for example {example}"

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except forms.ValidationError:
            raise forms.ValidationError(f"{self.what[0].upper()}{self.what[1:]} must be a real date") from None


TIME_RE = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?\s*$", re.IGNORECASE)


def parse_time(text: str) -> time | None:
    """Read a time as people type it: 14:30, 2:30pm, 2pm, 9.15am, midday."""
    text = (text or "").strip().lower()
    if text in {"midday", "noon", "12 noon"}:
        return time(12, 0)
    match = TIME_RE.match(text)
    if not match:
        return None
    hour, minute, suffix = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


class PresenterFields(forms.Form):
    presenter = forms.ModelChoiceField(
        label="Presenter (if they have an account)", queryset=None, required=False, empty_label="Nobody chosen",
    )
    presenter_name = OneLineField(
        label="Or the presenter's name", max_length=150, required=False, name="The presenter's name",
        help_text="For someone without an account, for example a supplier.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = selectors.people_for_choice()
