"""Forms for the portfolio: GET filters for the read-only pages, and owners' delivery and benefit records.

Filter forms read the query string; a value that does not validate is shown as
an error and ignored, so a page never fails on a hand-edited address.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Size, Submit
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from harrow_innovation.core.text import LONG_TEXT_MAX, LongTextField
from harrow_innovation.people.forms import gds_helper
from harrow_innovation.people.models import Department
from ideas.forms.browsing import IdeaFilterForm
from ideas.models import MAX_MONEY

from .models import DeliveryStatus
from .selectors import PriorityFilters

MAX_SEARCH = 200


class DayMonthYearWidget(DateInputWidget):
    """GOV.UK date input whose boxes are named ``<name>_day``, ``_month`` and ``_year``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widgets_names = ["_day", "_month", "_year"]


class GovDateField(DateInputField):
    """A date typed as day, month and year, with messages in plain English."""

    widget = DayMonthYearWidget

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter the {what}"
        self.error_messages["incomplete"] = f"The {what} must include a day, month and year"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        if len(str(year)) != 4:
            raise ValidationError(f"The year of the {self.what} must include 4 numbers")
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError):
            raise ValidationError(f"The {self.what} must be a real date, for example 27 3 2025") from None


def _filter_helper(*fields, submit: str = "Apply filters") -> FormHelper:
    helper = FormHelper()
    helper.form_method = "get"
    helper.attrs = {"novalidate": ""}
    helper.label_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("apply", submit, css_class="govuk-button--secondary"))
    helper.disable_csrf = True
    return helper


def _choice(label: str, choices, what: str, *, blank: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=[("", blank), *choices], coerce=int, required=False, empty_value=None,
        error_messages={"invalid_choice": f"Choose {what} from the list"},
    )


def department_choices() -> list[tuple[int, str]]:
    return list(Department.objects.order_by("name").values_list("pk", "name"))


def _search_field(label: str, hint: str) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=hint, required=False, max_length=MAX_SEARCH,
        error_messages={"max_length": f"Search for {MAX_SEARCH} characters or fewer"},
    )


class DataOutputFilterForm(forms.Form):
    q = _search_field("Search data outputs", "Words from the data's description or the idea's title")
    department = forms.TypedChoiceField(required=False)  # choices set in __init__
    producer = forms.TypedChoiceField(required=False)

    def __init__(self, *args, departments: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"] = _choice("Department that would value it", departments, "a department",
                                            blank="Any department")
        self.fields["producer"] = _choice("Department of the idea producing it", departments, "a department",
                                          blank="Any department")
        self.helper = _filter_helper(Field.text("q", field_width=Fluid.TWO_THIRDS),
                                     "department", "producer")
        self.helper.attrs["data-form"] = "data_outputs_filter"

    def values(self) -> dict:
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return {"q": (data.get("q") or "").strip(), "department_id": data.get("department"),
                "producer_id": data.get("producer")}


SCORE_CHOICES = [(str(n), f"{n} or more") for n in (1, 2, 3, 4)]


class PriorityFilterForm(forms.Form):
    department = forms.TypedChoiceField(required=False)
    system = forms.TypedChoiceField(required=False)
    min_score = forms.TypedChoiceField(
        label="Weighted score", choices=[("", "Any score"), *SCORE_CHOICES], coerce=Decimal, required=False,
        empty_value=None, error_messages={"invalid_choice": "Choose a score from the list"},
    )
    scored_only = forms.BooleanField(label="Only ideas with a weighted score", required=False)
    meeting = forms.TypedChoiceField(required=False)

    def __init__(self, *args, departments, systems, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"] = _choice("Department it serves", departments, "a department", blank="Any department")
        self.fields["system"] = _choice("Central system", systems, "a central system", blank="Any central system")
        fields = ["department", "system", "min_score", "scored_only"]
        if meetings is not None:
            self.fields["meeting"] = _choice(
                "Meeting to add ideas to", meetings, "a meeting", blank="Choose a planned meeting"
            )
            self.fields["meeting"].help_text = "Each idea in the table then links to that meeting's agenda."
            fields.append("meeting")
        else:
            del self.fields["meeting"]
        self.helper = _filter_helper(*fields)
        self.helper.attrs["data-form"] = "prioritisation_filter"

    def filters(self) -> PriorityFilters:
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return PriorityFilters(
            department_id=data.get("department"), system_id=data.get("system"),
            min_score=data.get("min_score"), scored_only=bool(data.get("scored_only")),
        )


class DashboardFilterForm(forms.Form):
    date_from = GovDateField(what="start date", label="From", required=False, require_all_fields=False)
    date_to = GovDateField(what="end date", label="To", required=False, require_all_fields=False)
    department = forms.TypedChoiceField(required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"] = _choice("Department", departments, "a department", blank="All departments")
        self.fields["department"].help_text = "The department of the officer who put the idea forward."
        self.helper = _filter_helper(
            Fieldset(Field("date_from"), Field("date_to"), legend="Dates", legend_size=Size.SMALL),
            "department",
        )
        self.helper.attrs["data-form"] = "dashboards_filter"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        for name in ("date_from", "date_to"):
            value = cleaned.get(name)
            if value and not date(2000, 1, 1) <= value <= date(2100, 12, 31):
                self.add_error(name, "Enter a date between 2000 and 2100")
        return cleaned


class DeliveryUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="How is delivery going?", choices=DeliveryStatus.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose how delivery is going", "invalid_choice": "Choose how delivery is going"},
    )
    percent_complete = forms.IntegerField(
        label="Percent complete", help_text="A whole number from 0 to 100", min_value=0, max_value=100,
        error_messages={
            "required": "Enter how much of the work is complete, from 0 to 100",
            "invalid": "Percent complete must be a whole number, like 40",
            "min_value": "Percent complete must be 0 or more",
            "max_value": "Percent complete must be 100 or less",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    narrative = LongTextField(
        label="What has happened since the last update?", max_length=LONG_TEXT_MAX,
        help_text="Milestones reached, problems, and what the Board should know.", rows=5,
        error_messages={"required": "Describe progress since the last update",
                        "max_length": "The update must be 5,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("status", legend_size=Size.MEDIUM),
            Field.text("percent_complete", field_width=3),
            Field.textarea("narrative", rows=5, max_characters=self.fields["narrative"].max_length),
            submit="Save update",
        )
        self.helper.attrs["data-form"] = "delivery_update"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == DeliveryStatus.COMPLETE and cleaned.get("percent_complete") not in (None, 100):
            self.add_error("percent_complete", "Delivery marked complete must be 100% complete")
        narrative = (cleaned.get("narrative") or "").strip()
        if "narrative" in cleaned and not narrative:
            self.add_error("narrative", "Describe progress since the last update")
        return cleaned


class BenefitForm(forms.Form):
    period = GovDateField(what="date the benefit was realised", label="When was the benefit realised?",
                          help_text="For example, 31 3 2025. For a month, use its last day.", require_all_fields=False)
    cash_realised = forms.DecimalField(
        label="Cash saved or earned, in pounds", help_text="Enter 0 if the benefits were not cash",
        min_value=Decimal("0"), max_value=MAX_MONEY, max_digits=12, decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the cash realised, or 0",
            "invalid": "Cash realised must be an amount in pounds, like 1500 or 1500.50",
            "min_value": "Cash realised must be £0 or more",
            "max_value": "Cash realised must be £100,000,000 or less",
            "max_digits": "Cash realised must be £100,000,000 or less",
            "max_decimal_places": "Cash realised can have at most 2 decimal places (pence)",
            "max_whole_digits": "Cash realised must be £100,000,000 or less",
        },
    )
    other_benefits = LongTextField(
        label="Other benefits (optional)", required=False, max_length=LONG_TEXT_MAX,
        help_text="Time saved, better outcomes for residents, data now shared, and so on.", rows=4,
        error_messages={"max_length": "Other benefits must be 5,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field("period"),
            Field.text("cash_realised", field_width=10),
            Field.textarea("other_benefits", rows=4, max_characters=self.fields["other_benefits"].max_length),
            submit="Save benefits",
        )
        self.helper.attrs["data-form"] = "benefit"

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period")
        if period and period > timezone.localdate():
            self.add_error("period", "The date must be today or in the past")
        if cleaned.get("cash_realised") == 0 and not (cleaned.get("other_benefits") or "").strip():
            self.add_error("other_benefits", "Describe the other benefits, or enter the cash realised")
        return cleaned


class IdeaExportFilterForm(IdeaFilterForm):
    """The idea list's filter form (``ideas.forms.browsing.IdeaFilterForm``: the same fields, checks and
    filters), laid out for the export page. Only the layout is added here: the date boxes are drawn by
    the GOV.UK date widget crispy renders, reading the same ``submitted_from_day``/``_month``/``_year``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("submitted_from", "submitted_to"):
            self.fields[name].widget = DayMonthYearWidget()
        self.helper = _filter_helper(
            Field.text("q", field_width=Fluid.TWO_THIRDS),
            Field.checkboxes("stage", small=True, legend_size=Size.SMALL),
            Field.checkboxes("department", small=True, legend_size=Size.SMALL),
            Field.checkboxes("system", small=True, legend_size=Size.SMALL),
            Field.checkboxes("source", small=True, legend_size=Size.SMALL),
            "score", "submitted_from", "submitted_to", "sort",
            submit="Apply filters",
        )
        self.helper.attrs["data-form"] = "export_filter"
