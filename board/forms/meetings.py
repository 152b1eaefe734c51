"""The form for scheduling a meeting or changing its details."""

from __future__ import annotations

from datetime import datetime

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.utils import timezone

from harrow_innovation.core.text import OneLineField
from harrow_innovation.people.forms import gds_helper

from ..models import Board, Meeting
from .fields import GovDateField, parse_time


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
