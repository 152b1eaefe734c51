"""Forms for declarations of interest, apologies and the attendance record."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms

from harrow_innovation.core.text import LONG_TEXT_MAX, LongTextField, OneLineField
from harrow_innovation.people.forms import gds_helper

from ..models import Attendance

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
