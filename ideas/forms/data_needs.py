"""Forms for an idea's data needs: find the idea whose data it needs, then choose the output and say what it needs."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fixed
from django import forms

from harrow_innovation.core.text import LongTextField, OneLineField
from ideas.models import DataOutput

from .drafting.fields import gds_helper
from .drafting.questions import DraftForm

NEED_MAX = 500


class FindIdeaForm(DraftForm):
    reference = OneLineField(
        label="Reference of the idea whose data you need", max_length=20, name="The reference",
        help_text="For example, IDEA-00042. The data register lists every idea's data outputs and references.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].error_messages["required"] = "Enter the reference of an idea, like IDEA-00042"
        self.fields["reference"].error_messages["max_length"] = "Enter a reference like IDEA-00042"
        self.helper = gds_helper(Field.text("reference", field_width=Fixed.TEN))


class DataNeedForm(DraftForm):
    output = forms.ModelChoiceField(label="Which data does your idea need?", queryset=DataOutput.objects.none(),
                                    widget=forms.RadioSelect, empty_label=None)
    need = LongTextField(label="What does your idea need from it?", name="What your idea needs", max_length=NEED_MAX,
                         rows=3, help_text="For example, “daily falls alerts by address, within an hour”.")

    def __init__(self, *args, outputs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["output"].queryset = outputs
        self.fields["output"].error_messages["required"] = "Choose the data your idea needs"
        self.fields["output"].error_messages["invalid_choice"] = "Choose the data your idea needs from the list"
        self.fields["need"].required = True
        self.fields["need"].error_messages["required"] = "Say what your idea needs from this data"
        self.helper = gds_helper(Field.radios("output", small=True),
                                 Field.textarea("need", rows=3, max_characters=NEED_MAX))
