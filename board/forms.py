"""Forms for Board pages. They check what was typed; the rules live in board.services."""

from __future__ import annotations

import re
from datetime import datetime, time
from decimal import Decimal

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.urls import reverse
from django.utils import timezone

from harrow_innovation.core.text import LONG_TEXT_MAX, MINUTES_MAX, LongTextField, OneLineField
from harrow_innovation.people.forms import gds_helper
from ideas.models import MAX_MONEY, Outcome

from . import selectors
from .models import Action, AgendaItem, Attendance, Board, Meeting


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


# --- Meetings -----------------------------------------------------------------


class MeetingForm(forms.Form):
    board = forms.ModelChoiceField(label="Board", queryset=Board.objects.all(), empty_label=None)
    title = OneLineField(
        label="Title (optional)", max_length=150, required=False, name="The title",
        help_text="Leave blank to use the Board's name and the date.",
    )
    date = GovDateField(label="Date", what="the date of the meeting")
    start_time = OneLineField(
        label="Start time", max_length=20, name="The start time", help_text="For example, 2pm or 14:30",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5", "autocomplete": "off"}),
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes", min_value=15, max_value=600, initial=120,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}),
    )
    location = OneLineField(label="Place", max_length=200, required=False, name="The place",
                            help_text="For example, Committee Room 1, Harrow Civic Centre")
    online_link = forms.URLField(label="Online meeting link (optional)", max_length=200, required=False,
                                 assume_scheme="https", help_text="For example, a Teams meeting link",
                                 widget=forms.URLInput(attrs={"class": "govuk-input", "spellcheck": "false"}))

    def __init__(self, *args, meeting: Meeting | None = None, **kwargs):
        if meeting is not None and "initial" not in kwargs:
            local = timezone.localtime(meeting.starts_at)
            kwargs["initial"] = {
                "board": meeting.board_id, "title": meeting.title, "date": local.date(),
                "start_time": f"{local:%H:%M}", "duration_minutes": meeting.duration_minutes,
                "location": meeting.location, "online_link": meeting.online_link,
            }
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        f = self.fields
        f["start_time"].error_messages["required"] = "Enter the start time"
        f["duration_minutes"].error_messages.update({
            "required": "Enter the length of the meeting in minutes",
            "invalid": "Enter the length of the meeting as a number of minutes, like 90",
            "min_value": "A meeting must be at least 15 minutes long",
            "max_value": "A meeting can be at most 600 minutes (10 hours) long",
        })
        f["online_link"].error_messages["invalid"] = "Enter the online meeting link as a web address starting https://"
        boards = list(Board.objects.all()[:2])
        fields = ["title", Field("date"), "start_time", "duration_minutes", "location", "online_link"]
        if len(boards) == 1:
            f["board"].initial = boards[0].pk
            f["board"].widget = forms.HiddenInput()
        if meeting is not None:
            f["board"].disabled = True
        self.helper = gds_helper("board", *fields, submit="Save meeting" if meeting else "Schedule meeting")
        self.helper.attrs["data-form"] = "meeting"
        self.helper.legend_size = Size.SMALL

    def clean_start_time(self):
        value = parse_time(self.cleaned_data["start_time"])
        if value is None:
            raise forms.ValidationError("Enter the start time like 2pm or 14:30")
        return value

    def clean(self):
        data = super().clean()
        day, start = data.get("date"), data.get("start_time")
        if day and start:
            data["starts_at"] = timezone.make_aware(datetime.combine(day, start))
        return data


# --- Agenda -------------------------------------------------------------------


def _minutes_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="Time on the agenda, in minutes", min_value=1, max_value=240, initial=15,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the time for this item in minutes",
            "invalid": "Enter the time for this item as a number of minutes, like 15",
            "min_value": "An item needs at least 1 minute",
            "max_value": "An item can have at most 240 minutes",
        },
    )


class ItemForm(PresenterFields):
    """An item's time, presenter and recommendation; for other items also its title and description."""

    title = OneLineField(label="Title", max_length=200, name="The title",
                         error_messages={"required": "Enter a title for the item"})
    description = LongTextField(label="What the Board will hear (optional)", required=False, rows=4,
                                name="What the Board will hear")
    minutes_allotted = _minutes_field()
    recommendation = LongTextField(
        label="Recommendation to the Board (optional)", required=False, rows=3, name="The recommendation",
        help_text="For example, approve with a budget of £50,000 for a 6-month pilot.",
    )

    def __init__(self, *args, item: AgendaItem | None = None, submit: str = "Save item", **kwargs):
        if item is not None and "initial" not in kwargs:
            presenter_id = item.presenter_id
            if presenter_id is None and not item.presenter_name and item.idea_id:
                presenter_id = item.idea.owner_id  # an idea is presented by its owner unless someone else is named
            kwargs["initial"] = {
                "title": item.title, "description": item.description, "minutes_allotted": item.minutes_allotted,
                "presenter": presenter_id, "presenter_name": item.presenter_name,
                "recommendation": item.recommendation,
            }
        super().__init__(*args, **kwargs)
        names = ["title", Field.textarea("description", rows=4, max_characters=LONG_TEXT_MAX), "minutes_allotted",
                 "presenter", "presenter_name", Field.textarea("recommendation", rows=3, max_characters=LONG_TEXT_MAX)]
        if item is not None and item.kind == AgendaItem.Kind.IDEA:
            del self.fields["title"], self.fields["description"]
            names = names[2:]
        self.helper = gds_helper(*names, submit=submit)
        self.helper.attrs["data-form"] = "agenda_item"


class AddIdeaForm(forms.Form):
    idea = forms.IntegerField(widget=forms.HiddenInput)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


# --- Declarations and attendance ----------------------------------------------


YES_NO = [("yes", "Yes"), ("no", "No")]


class DeclarationForm(forms.Form):
    nature = LongTextField(
        label="What is the nature of your interest?", rows=4, name="The nature of your interest",
        help_text="For example, my partner works for a supplier named in the business case.",
        error_messages={"required": "Describe the nature of your interest"},
    )
    leaves_room = forms.ChoiceField(
        label="Will you leave the room while the Board discusses this item?", choices=YES_NO,
        widget=forms.RadioSelect, error_messages={"required": "Say whether you will leave the room for this item"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("nature", rows=4, max_characters=LONG_TEXT_MAX), Field.radios("leaves_room", legend_size=Size.SMALL, inline=True),
                                 submit="Declare interest")
        self.helper.attrs["data-form"] = "declare"


class ApologiesForm(forms.Form):
    note = OneLineField(label="Reason (optional)", max_length=200, required=False, name="The reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("note", submit="Send apologies")
        self.helper.attrs["data-form"] = "apologies"


class AttendanceForm(forms.Form):
    """One set of radios per person expected at the meeting."""

    def __init__(self, *args, rows: list[Attendance], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        names = []
        for row in rows:
            name = f"status_{row.user_id}"
            self.fields[name] = forms.ChoiceField(
                label=str(row.user), choices=Attendance.Status.choices, initial=row.status, widget=forms.RadioSelect,
                error_messages={"required": f"Choose whether {row.user} was present",
                                "invalid_choice": f"Choose whether {row.user} was present"},
            )
            names.append(Field.radios(name, legend_size=Size.SMALL, inline=True, small=True))
        self.helper = gds_helper(*names, submit="Save attendance")
        self.helper.attrs["data-form"] = "attendance"

    def statuses(self) -> dict[int, str]:
        return {row.user_id: self.cleaned_data[f"status_{row.user_id}"] for row in self.rows}


# --- Decisions ----------------------------------------------------------------


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


# --- Actions ------------------------------------------------------------------


class ActionForm(forms.Form):
    description = LongTextField(label="Action", rows=3, name="The action",
                                error_messages={"required": "Describe the action"})
    owner = forms.ModelChoiceField(label="Owner", queryset=None, empty_label="Choose someone",
                                   error_messages={"required": "Choose who owns the action",
                                                   "invalid_choice": "Choose who owns the action"})
    due_date = GovDateField(label="Due date", what="the date the action is due")
    item = forms.ChoiceField(label="Agenda item (optional)", required=False)
    status = forms.ChoiceField(label="Status", choices=Action.Status.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Choose a status"})

    def __init__(self, *args, meeting: Meeting, action: Action | None = None, **kwargs):
        if action is not None and "initial" not in kwargs:
            kwargs["initial"] = {"description": action.description, "owner": action.owner_id,
                                 "due_date": action.due_date, "item": action.item_id or "", "status": action.status}
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.people_for_choice()
        self.fields["item"].choices = [("", "Not about one item")] + [
            (str(i.pk), f"{n}. {i.title}") for n, i in enumerate(meeting.items.order_by("order", "pk"), 1)
        ]
        description = Field.textarea("description", rows=3, max_characters=LONG_TEXT_MAX)
        names = [description, "owner", "due_date", "item"]
        if action is None:
            del self.fields["status"]
        else:
            del self.fields["item"]
            names = [description, "owner", "due_date", Field.radios("status", legend_size=Size.SMALL, small=True)]
        self.helper = gds_helper(*names, submit="Save action")
        self.helper.attrs["data-form"] = "action"
        self.helper.legend_size = Size.SMALL


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label="How is it going?", choices=Action.Status.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Choose a status"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.radios("status", legend_size=Size.SMALL, small=True), submit="Save")
        self.helper.attrs["data-form"] = "action"


# --- Minutes ------------------------------------------------------------------


class MinutesForm(forms.Form):
    body = LongTextField(
        label="Minutes", rows=30, max_length=MINUTES_MAX, name="The minutes",
        help_text="Plain text. Leave a blank line between paragraphs.",
        error_messages={"required": "Enter the minutes"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("body", rows=30, label_size=Size.MEDIUM, max_characters=MINUTES_MAX),
                                 submit="Save minutes")
        self.helper.attrs["data-form"] = "minutes"


class MinutesApproveForm(forms.Form):
    at_meeting = forms.ModelChoiceField(
        label="Which meeting approved these minutes?", queryset=None, empty_label="Choose a meeting",
        error_messages={"required": "Choose the meeting that approved the minutes",
                        "invalid_choice": "Choose one of the later meetings listed"},
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        from .services import meetings_for_minutes_approval

        super().__init__(*args, **kwargs)
        field = self.fields["at_meeting"]
        # Any later meeting of the Board is accepted here, so the service can say why a
        # meeting that has not happened yet cannot approve them; only those that can are offered.
        field.queryset = Meeting.objects.filter(board_id=meeting.board_id, starts_at__gt=meeting.starts_at)
        self.approvable = list(meetings_for_minutes_approval(meeting))
        field.widget.choices = [("", field.empty_label), *((m.pk, m.display_title) for m in self.approvable)]
        self.helper = gds_helper("at_meeting", submit="Record minutes as approved")
        # The minutes page only reads: the form posts to the view that approves.
        self.helper.form_action = reverse("board:minutes_approve", kwargs={"pk": meeting.pk})
        self.helper.attrs["data-form"] = "minutes_approve"


# --- Search -------------------------------------------------------------------


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
