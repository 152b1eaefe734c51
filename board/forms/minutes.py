"""Forms for editing and approving minutes."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.urls import reverse

from harrow_innovation.core.text import MINUTES_MAX, LongTextField
from harrow_innovation.people.forms import gds_helper

from ..models import Meeting


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
        from ..services import meetings_for_minutes_approval

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
