"""Forms for actions agreed at a meeting."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms

from harrow_innovation.core.text import LONG_TEXT_MAX, LongTextField
from harrow_innovation.people.forms import gds_helper

from .. import selectors
from ..models import Action, Meeting
from .fields import GovDateField


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
