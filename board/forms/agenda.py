"""Forms for the agenda: an item's time, presenter and recommendation; adding an idea; reordering."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from harrow_innovation.core.text import LONG_TEXT_MAX, LongTextField, OneLineField
from harrow_innovation.people.forms import gds_helper

from ..models import AgendaItem
from .fields import PresenterFields


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
