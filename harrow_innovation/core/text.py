"""One-line text: titles, names, places. Refused with control characters, and made safe on the way out.

A line break in a title used to end up in email subjects (where Django refuses it, so
every email about the idea failed) and in calendar lines (where it broke the .ics).
Forms refuse such input with ``OneLineField`` (or ``validate_one_line``); ``one_line``
cleans values already stored before they reach a header or a calendar.
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError

# Line and paragraph separators break lines as surely as CR and LF do.
_SEPARATORS = {"\u2028", "\u2029"}
_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")

ONE_LINE_MESSAGE = "{name} must be on one line, without line breaks, tabs or other special characters"


def has_control_characters(value: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" or ch in _SEPARATORS for ch in value)


def validate_one_line(value, *, name: str = "This answer") -> None:
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(ONE_LINE_MESSAGE.format(name=name), code="control_characters")


class OneLineValidator:
    """``validate_one_line`` with the field's name in the message (deconstructible for model fields)."""

    def __init__(self, name: str = "This answer"):
        self.name = name

    def __call__(self, value) -> None:
        validate_one_line(value, name=self.name)

    def __eq__(self, other) -> bool:
        return isinstance(other, OneLineValidator) and other.name == self.name

    def deconstruct(self):
        return ("harrow_innovation.core.text.OneLineValidator", (self.name,), {})


class OneLineField(forms.CharField):
    """A text input for one line: refuses line breaks and other control characters, naming the field.

    ``name`` is how the error message starts ("The title"); it defaults to the label.
    """

    def __init__(self, *, name: str = "", **kwargs):
        super().__init__(**kwargs)
        self.validators.append(OneLineValidator(name or (str(self.label) if self.label else "This answer")))


def one_line(value) -> str:
    """The value with any run of control characters or line breaks turned into one space."""
    return _BREAKING.sub(" ", str(value or "")).strip()


# Long answers: enough for a page of reasoning, far short of the 4 MB answer that was once pasted
# into a paper. Minutes are a whole meeting's record.
LONG_TEXT_MAX = 5000
MINUTES_MAX = 50000


class LongTextField(forms.CharField):
    """A textarea answer with a limit the server enforces and the GOV.UK character count shows.

    Lay it out with ``Field.textarea(name, max_characters=field.max_length)``. The browser's own
    ``maxlength`` is left off: it cuts pasted text short without saying so (GOV.UK advice).
    """

    def __init__(self, *, name: str = "", max_length: int = LONG_TEXT_MAX, rows: int = 5, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        given = dict(kwargs.get("error_messages") or {})
        super().__init__(max_length=max_length, **kwargs)
        if "max_length" not in given:
            self.error_messages["max_length"] = f"{name or self.label} must be {max_length:,} characters or fewer"

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        # crispy-forms-gds adds the count's "-info" id to this attribute, and fails if a field
        # with no hint has none to add to.
        attrs.setdefault("aria-describedby", "")
        return attrs
