"""One form per question page of a draft. ``DraftForm`` gives every page its error summary links."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms

from harrow_innovation.core.text import LONG_TEXT_MAX
from harrow_innovation.people.models import Department
from ideas.models import Source

from .fields import MONEY_TEMPLATE, GovDateField, MoneyField, _long_text, _text, gds_helper


class DraftForm(forms.Form):
    """A question page. ``summary_errors()`` gives the error summary its links."""

    def summary_errors(self) -> list[tuple[str, str]]:
        """(anchor id, message) for each error, pointing at the first input of its field."""
        out = []
        for message in self.non_field_errors():
            out.append((self.first_input_id(), message))
        for name, field in self.fields.items():
            bound = self[name]
            for message in bound.errors:
                out.append((self.input_id(name, field, bound, message), message))
        return out

    def first_input_id(self) -> str:
        name = next(iter(self.fields))
        return self.input_id(name, self.fields[name], self[name])

    @staticmethod
    def input_id(name, field, bound, message=None) -> str:
        if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            return f"id_{bound.html_name}_1"  # crispy-forms-gds numbers choices from 1
        if isinstance(field.widget, forms.MultiWidget):
            for index, part in enumerate(getattr(field, "fields", ())):
                if message in getattr(part.widget, "errors", []):
                    return f"{bound.auto_id}_{index}"
            return f"{bound.auto_id}_0"
        return bound.auto_id

    def changes(self) -> dict:
        """Keyword arguments for ``services.idea_update``."""
        return dict(self.cleaned_data)


class NewIdeaForm(DraftForm):
    title = _text("Title", max_length=150, noun="a title for your idea", name="The title", required=True,
                  help_text="A few words that say what the idea is, like “Online forms for housing repairs”.")
    problem = _long_text("The problem and who has it", name="The problem",
                         help_text="What goes wrong now, and for whom: residents, staff or another service.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("title", data_similar="title", autocomplete="off"),
            Field.textarea("problem", rows=6, data_similar="problem", max_characters=LONG_TEXT_MAX),
        )


class AboutForm(NewIdeaForm):
    solution = _long_text("The proposed solution", name="The solution", help_text="What you would do, and how it would fix the problem.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("title", data_similar="title", autocomplete="off"),
            Field.textarea("problem", rows=6, data_similar="problem", max_characters=LONG_TEXT_MAX),
            Field.textarea("solution", rows=6, max_characters=LONG_TEXT_MAX),
        )


class WhoForm(DraftForm):
    departments = forms.ModelMultipleChoiceField(
        label="Which departments does it serve?",
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    services = _text("Which services does it serve?", max_length=300, noun="the services it serves",
                     help_text="For example, “home care visits, occupational therapy”.")
    source = forms.ChoiceField(
        label="Where did the idea come from?", choices=Source.choices, required=False, widget=forms.RadioSelect
    )
    source_detail = _text("Tell us more about where it came from (optional)", max_length=200,
                          noun="more about where it came from",
                          help_text="For example, the workshop's name and date, or the team's name.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.filter(is_active=True).order_by("name")
        self.fields["departments"].error_messages["invalid_choice"] = "Choose departments from the list"
        self.fields["source"].error_messages["invalid_choice"] = "Choose where the idea came from"
        self.helper = gds_helper(
            Field.checkboxes("departments", small=True),
            Field.text("services"),
            Field.radios("source"),
            Field.text("source_detail"),
        )

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data["departments"] = list(data["departments"])
        return data


class BusinessCaseForm(DraftForm):
    cash_savings_per_year = MoneyField(noun="the cash savings per year", label="Cash savings per year",
                                       help_text="Your best estimate. Enter 0 if it saves no cash.")
    other_benefits = _long_text("Other benefits", name="Other benefits",
                                help_text="Benefits that are not cash: time saved, better outcomes for residents, less risk.")
    one_off_cost = MoneyField(noun="the one-off cost", label="One-off cost",
                              help_text="To set it up: buying, building, training. Do not include integrating with "
                                        "central systems: you add that on the central systems page.")
    recurring_cost = MoneyField(noun="the recurring cost", label="Recurring cost per year",
                                help_text="To keep it running each year: licences, support, staff.")
    timescale = _text("Timescale", max_length=200, noun="the timescale",
                      help_text="How long until it delivers, like “6 months to pilot, a year to roll out”.")
    start_date = GovDateField(noun="the start date", label="Start date (optional)", help_text="For example, 1 4 2026")
    end_date = GovDateField(noun="the end date", label="End date (optional)", help_text="For example, 31 3 2027")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field("cash_savings_per_year", template=MONEY_TEMPLATE),
            Field.textarea("other_benefits", rows=5, max_characters=LONG_TEXT_MAX),
            Field("one_off_cost", template=MONEY_TEMPLATE),
            Field("recurring_cost", template=MONEY_TEMPLATE),
            Field.text("timescale"),
            Field("start_date"),
            Field("end_date"),
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be the same as or after the start date")
        return data


class RisksForm(DraftForm):
    risks = _long_text("What are the risks?", name="The risks", help_text="What could go wrong, how likely it is, and what you would do about it.")
    future_proofing = _long_text("How does it stay future-proof?", name="How it stays future-proof",
                                 help_text="How it will keep working as technology, law and services change, "
                                           "and how it avoids being locked in to one supplier.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea("risks", rows=6, max_characters=LONG_TEXT_MAX),
            Field.textarea("future_proofing", rows=6, max_characters=LONG_TEXT_MAX),
        )


class ConfidentialityForm(DraftForm):
    is_confidential = forms.TypedChoiceField(
        label="Should this idea be confidential?",
        choices=[("no", "No, all staff can see it once it is submitted"),
                 ("yes", "Yes, only the people who need to see it")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="A confidential idea can be seen only by you and your co-owners, the reviewers assigned to it, "
                  "the Board secretary, Board members and administrators. Choose this for commercially sensitive "
                  "ideas or ideas about staff.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_confidential"].error_messages["required"] = "Say whether the idea should be confidential"
        self.helper = gds_helper(Field.radios("is_confidential", legend_size=Size.MEDIUM))
