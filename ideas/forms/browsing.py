"""Forms for browsing ideas: the list's filters, comments, following and workflow moves.

The filter form is submitted by GET so a filtered list has a shareable address.
Its choices are read once per request; validation uses those choices and makes
no further queries, so a filtered list costs the same queries as a plain one.
"""

from __future__ import annotations

import copy
from datetime import date
from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe

from harrow_innovation.core.text import LONG_TEXT_MAX, LongTextField

from .. import selectors
from ..models import Source

MAX_SEARCH_LENGTH = 200


class DayMonthYearWidget(forms.MultiWidget):
    """The GOV.UK date input: three boxes named ``<name>_day``, ``<name>_month`` and ``<name>_year``."""

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)
        self.widgets_names = ["_day", "_month", "_year"]

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DayMonthYearField(forms.MultiValueField):
    """An optional date typed as day, month and year, with GOV.UK error messages."""

    widget = DayMonthYearWidget

    def __init__(self, *, name: str, **kwargs):
        self.name = name
        parts = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(fields=parts, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list):
        day, month, year = (part.strip() if part else "" for part in (data_list or ["", "", ""]))
        if not (day or month or year):
            return None
        missing = [label for label, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise ValidationError(f"The {self.name} date must include a {' and '.join(missing)}", code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"The {self.name} date must be a real date, for example 27 3 2024", code="invalid")
        if len(year) != 4:
            raise ValidationError(f"The year of the {self.name} date must include 4 numbers", code="invalid")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(
                f"The {self.name} date must be a real date, for example 27 3 2024", code="invalid"
            ) from None


def _choice_field(label: str, choices, what: str) -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": f"Choose {what} from the list"},
    )


def _offering(field: forms.ChoiceField, choices) -> forms.ChoiceField:
    """A copy of a declared choice field (and its widget) offering ``choices``; the declared one is unchanged.

    Copying is several times cheaper than building the field again, which the
    list page would do three times on every request.
    """
    offered = copy.copy(field)
    offered.widget = copy.copy(field.widget)
    offered.choices = choices  # sets the copy's choices and its widget's
    return offered


class _SharedFields(dict):
    """A form's declared fields, shared by its instances instead of deep-copied for each one.

    Django deep-copies every field of every form it builds so that one request
    may change a field without touching the next; the idea list builds its
    filter form on every request and never changes a field (it replaces the
    three whose choices come from the database with copies), and the copying
    cost more than the rest of the form.
    """

    def __deepcopy__(self, memo):
        return dict(self)


class IdeaFilterForm(forms.Form):
    """The search box and filters of the idea list, read from the query string."""

    q = forms.CharField(
        label="Search ideas",
        help_text="Words from the title, the problem or the solution",
        required=False,
        max_length=MAX_SEARCH_LENGTH,
        error_messages={"max_length": f"Search for {MAX_SEARCH_LENGTH} characters or fewer"},
    )
    # Copied in __init__ with choices read from the database.
    stage = _choice_field("Stage", [], "a stage")
    department = _choice_field("Department it serves", [], "a department")
    system = _choice_field("Central system", [], "a central system")
    source = forms.MultipleChoiceField(
        label="Where it came from",
        choices=Source.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose where the idea came from from the list"},
    )
    score = forms.ChoiceField(
        label="Weighted score",
        choices=[("", "Any score")] + [(key, label) for key, (label, _, _) in selectors.SCORE_BANDS.items()],
        required=False,
        error_messages={"invalid_choice": "Choose a score band from the list"},
    )
    submitted_from = DayMonthYearField(name="‘submitted from’", label="Submitted on or after")
    submitted_to = DayMonthYearField(name="‘submitted to’", label="Submitted on or before")
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in selectors.SORTS.items()],
        required=False,
        error_messages={"invalid_choice": "Choose how to sort the ideas from the list"},
    )

    CHECKBOX_FILTERS = ("stage", "department", "system", "source")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = selectors.idea_filter_choices()
        for name, key in (("stage", "stages"), ("department", "departments"), ("system", "systems")):
            self.fields[name] = _offering(self.fields[name], choices[key])

    def checkbox_groups(self) -> list[dict]:
        """The checkbox filters, ready to render.

        The list page draws about forty checkboxes on every request, so each
        group's GOV.UK checkbox items are built here as one string, every value
        escaped, rather than by a template loop, which cost several times more.
        """
        groups = []
        for name in self.CHECKBOX_FILTERS:
            bound = self[name]
            auto_id = bound.auto_id
            chosen = {str(v) for v in (bound.value() or [])}
            checked = 0
            items = []
            for i, (value, label) in enumerate(bound.field.choices):
                is_checked = str(value) in chosen
                checked += is_checked
                item_id = escape(auto_id if i == 0 else f"{auto_id}-{i + 1}")
                items.append(
                    f'<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="{item_id}"'
                    f' name="{name}" type="checkbox" value="{escape(str(value))}"{" checked" if is_checked else ""}>'
                    f'<label class="govuk-label govuk-checkboxes__label" for="{item_id}">{escape(str(label))}</label></div>'
                )
            errors = bound.errors
            groups.append({
                "name": name, "label": bound.label, "id": auto_id, "errors": errors, "checked": checked,
                "open_attr": " open" if checked or errors else "",
                "chosen_note": f" ({checked} chosen)" if checked else "",
                "error_class": " govuk-form-group--error" if errors else "",
                "items": mark_safe("\n".join(items)),  # noqa: S308 (every value above is escaped)
            })
        return groups

    def select_input(self, name: str, *, selected: str | None = None) -> dict:
        """A select ready to render (filter_column.html, the sort box): plain values, cheap for a template to read."""
        bound = self[name]
        if selected is None:
            value = bound.value()
            selected = "" if value is None else str(value)
        errors = bound.errors
        return {
            "id": bound.auto_id, "name": bound.html_name, "label": bound.label, "errors": errors,
            "error_class": " govuk-form-group--error" if errors else "",
            "options": [{"value": v, "label": label, "selected_attr": " selected" if str(v) == selected else ""}
                        for v, label in bound.field.choices],
        }

    def date_input(self, name: str) -> dict:
        """A day-month-year filter ready to render (filter_column.html), keeping what was typed."""
        bound = self[name]
        typed = bound.value()
        if not isinstance(typed, list | tuple):  # nothing typed, or a date given as initial
            typed = bound.field.widget.decompress(typed)
        auto_id, html_name, errors = bound.auto_id, bound.html_name, bound.errors
        boxes = [
            {"id": auto_id if part == "day" else f"{auto_id}_{part}", "name": f"{html_name}_{part}",
             "label": part.capitalize(), "width": 4 if part == "year" else 2, "value": "" if value is None else value}
            for part, value in zip(("day", "month", "year"), typed, strict=True)
        ]
        return {"id": auto_id, "label": bound.label, "errors": errors, "boxes": boxes,
                "error_class": " govuk-form-group--error" if errors else "",
                "input_error_class": " govuk-input--error" if errors else ""}

    def panel(self, *, sort: str) -> dict:
        """Everything the list's search box, filters and sort box draw, computed once."""
        q = self["q"]
        return {
            "q": {"id": q.auto_id, "label": q.label, "hint": q.help_text, "errors": q.errors, "value": q.value() or ""},
            "groups": self.checkbox_groups(),
            "score": self.select_input("score"),
            "dates": [self.date_input("submitted_from"), self.date_input("submitted_to")],
            "sort": self.select_input("sort", selected=sort),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("submitted_from"), cleaned.get("submitted_to")
        if start and end and end < start:
            self.add_error("submitted_to", "The ‘submitted to’ date must be the same as or after the ‘submitted from’ date")
        return cleaned

    def filters(self) -> selectors.IdeaFilters:
        """The filters to apply: every field that was valid (an invalid one is shown as an error and ignored).

        The one idea filter form: the idea list and the exports (``portfolio.forms.IdeaExportFilterForm``
        only lays it out) read the same query string through it. The search words are stripped.
        """
        if self.is_bound:
            self.is_valid()  # validates once; a view that already asked pays nothing more
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return selectors.IdeaFilters(
            q=data.get("q", ""),
            stages=data.get("stage") or [],
            departments=data.get("department") or [],
            systems=data.get("system") or [],
            sources=data.get("source") or [],
            score_band=data.get("score") or "",
            submitted_from=data.get("submitted_from"),
            submitted_to=data.get("submitted_to"),
            sort=data.get("sort") or "newest",
        )

    def active_filter_count(self) -> int:
        f = self.filters()
        return sum(
            bool(x)
            for x in (f.stages, f.departments, f.systems, f.sources, f.score_band, f.submitted_from, f.submitted_to)
        )


IdeaFilterForm.base_fields = _SharedFields(IdeaFilterForm.base_fields)


class CommentForm(forms.Form):
    body = LongTextField(
        label="Add a comment",
        help_text="Everyone who can see this idea can read your comment.",
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "class": "govuk-textarea"}),
        error_messages={"required": "Enter a comment", "max_length": "Comments must be 5,000 characters or fewer"},
    )

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError("Enter a comment")
        return body


class MoveForm(forms.Form):
    """A workflow move from the idea page. ``expected_stage_id`` is the stage the user saw."""

    expected_stage_id = forms.IntegerField(widget=forms.HiddenInput)
    comment = LongTextField(
        label="Comment",
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
        error_messages={"max_length": "Comments must be 5,000 characters or fewer"},
    )

    def __init__(self, *args, comment_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.comment_required = comment_required

    def clean_comment(self):
        comment = self.cleaned_data.get("comment", "").strip()
        if self.comment_required and not comment:
            raise ValidationError("Enter a comment to explain this move")
        return comment


class FollowForm(forms.Form):
    following = forms.TypedChoiceField(choices=[("1", "Follow"), ("0", "Stop following")], coerce=lambda v: v == "1")
