"""Forms for drafting an idea: one form per question page.

Forms only check what was typed and turn it into values; every write goes
through ``ideas.services`` (the views call them). Error messages follow the
GOV.UK Design System: say what is wrong and how to put it right.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fixed, Layout, Size
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from harrow_innovation.core.money import format_money
from harrow_innovation.core.text import LONG_TEXT_MAX, LongTextField, OneLineField
from harrow_innovation.people.models import Department, User
from ideas.attachments import ALLOWED_DESCRIPTION
from ideas.models import MAX_MONEY, CentralSystem, Idea, Source

MONEY_TEMPLATE = "ideas/drafting/fields/money.html"


def money_for_input(value: Decimal | None) -> str:
    """1234 or 1234.50: what a person would type, so a saved answer reads back naturally."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value:.2f}"


def gds_helper(*fields) -> FormHelper:
    """A helper that renders the fields only: the page supplies the <form> and its buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields)
    return helper


# --- Fields -------------------------------------------------------------------


class MoneyField(forms.Field):
    """An amount in pounds. Accepts "£1,500" or "1500.50"; refuses negative, non-numbers and absurd values."""

    def __init__(self, *, noun: str, **kwargs):
        self.noun = noun  # e.g. "the one-off cost", used in messages
        kwargs.setdefault("required", False)
        # A plain TextInput (not type=number): GOV.UK advice, and crispy-forms-gds styles it.
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false", "autocomplete": "off",
        }))
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter {noun}"

    def prepare_value(self, value):
        return money_for_input(value) if isinstance(value, Decimal) else value

    def to_python(self, value):
        text = (value or "").strip().replace(",", "").replace(" ", "")
        if text.startswith("£"):
            text = text[1:]
        if text in ("", None):
            return None
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            raise forms.ValidationError(
                f"Enter {self.noun} as an amount in pounds, like 15000 or 15000.50", code="invalid"
            )
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(f"Enter {self.noun} as an amount in pounds, like 15000", code="invalid") from None
        if amount < 0:
            raise forms.ValidationError(f"{self.noun.capitalize()} must be £0 or more", code="negative")
        if amount > MAX_MONEY:
            raise forms.ValidationError(
                f"{self.noun.capitalize()} must be {format_money(MAX_MONEY)} or less", code="too_large"
            )
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(f"{self.noun.capitalize()} must be in pounds and pence, like 1500.50", code="pence")
        return amount.quantize(Decimal("0.01"))


class GovDateField(forms.MultiValueField):
    """The GOV.UK date input: day, month and year boxes, with messages that name the missing part."""

    widget = DateInputWidget

    def __init__(self, *, noun: str, **kwargs):
        self.noun = noun
        parts = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        kwargs.setdefault("required", False)
        super().__init__(fields=parts, require_all_fields=False, **kwargs)

    def _fail(self, message: str, parts: list[int]):
        for index, part in enumerate(self.fields):
            part.widget.errors = [message] if index in parts else []
        raise forms.ValidationError(message)

    def clean(self, value):
        for part in self.fields:
            part.widget.errors = []
        values = [str(v).strip() if v is not None else "" for v in (value or ["", "", ""])][:3]
        values += [""] * (3 - len(values))
        if not any(values):
            if self.required:
                self._fail(f"Enter {self.noun}", [0, 1, 2])
            return None
        names = ["a day", "a month", "a year"]
        missing = [i for i, v in enumerate(values) if not v]
        if missing:
            self._fail(f"{self.noun.capitalize()} must include {' and '.join(names[i] for i in missing)}", missing)
        not_numbers = [i for i, v in enumerate(values) if not v.isdigit()]
        if not_numbers:
            self._fail(f"{self.noun.capitalize()} must be a real date, written in numbers like 27 3 2026", not_numbers)
        day, month, year = (int(v) for v in values)
        if len(values[2]) != 4:
            self._fail(f"The year of {self.noun} must include 4 numbers", [2])
        if not 2000 <= year <= 2100:
            self._fail(f"{self.noun.capitalize()} must be between the years 2000 and 2100", [2])
        try:
            return datetime.date(year, month, day)
        except ValueError:
            self._fail(f"{self.noun.capitalize()} must be a real date", [0, 1])

    def compress(self, data_list):  # pragma: no cover - clean() does the work
        return None


def _text(label: str, *, max_length: int, noun: str, required: bool = False, help_text: str = "",
          name: str = "") -> forms.CharField:
    field = OneLineField(label=label, max_length=max_length, required=required, help_text=help_text,
                         name=name or noun.capitalize())
    field.error_messages["max_length"] = f"{name or noun.capitalize()} must be {max_length} characters or fewer"
    field.error_messages["required"] = f"Enter {noun}"
    return field


def _long_text(label: str, *, name: str, help_text: str = "") -> forms.CharField:
    return LongTextField(label=label, name=name, required=False, help_text=help_text)


# --- Question pages ----------------------------------------------------------


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


class ResourcesForm(DraftForm):
    resources_internal = _long_text("Internal resources", name="Internal resources",
                                    help_text="People and teams in the council, and roughly how much of their time.")
    resources_external = _long_text("External resources", name="External resources",
                                    help_text="Partners, suppliers and industry bodies who would help.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea("resources_internal", rows=5, max_characters=LONG_TEXT_MAX),
            Field.textarea("resources_external", rows=5, max_characters=LONG_TEXT_MAX),
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


# --- Lists on a question page (each item is saved as it is added) -------------


class ItemForm(DraftForm):
    """A form that adds one item to a list. Blank means "nothing to add"."""

    def is_blank(self) -> bool:
        raise NotImplementedError


class SystemLinkForm(ItemForm):
    system = forms.ModelChoiceField(label="Central system", queryset=CentralSystem.objects.none(),
                                    empty_label="Choose a system")
    integration_note = _long_text("How would it integrate?", name="How it would integrate",
                                  help_text="What the idea needs from the system, or sends to it.")
    integration_cost = MoneyField(noun="the integration cost", label="Estimated integration cost", required=True,
                                  help_text="Enter 0 if you do not know yet.")

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        systems = CentralSystem.objects.filter(is_active=True)
        if current is not None:  # a system since retired can still be changed on an idea that uses it
            systems = CentralSystem.objects.filter(is_active=True) | CentralSystem.objects.filter(pk=current.system_id)
        self.fields["system"].queryset = systems.order_by("name")
        self.fields["system"].error_messages["required"] = "Choose a central system"
        self.fields["system"].error_messages["invalid_choice"] = "Choose a central system from the list"
        self.helper = gds_helper(
            Field.select("system"),
            Field.textarea("integration_note", rows=3, max_characters=LONG_TEXT_MAX),
            Field("integration_cost", template=MONEY_TEMPLATE),
        )

    def is_blank(self) -> bool:
        return not (self.data.get("system") or self.data.get("integration_note") or self.data.get("integration_cost"))


class DataOutputForm(ItemForm):
    description = _text("What data would it produce?", max_length=300, noun="what data it would produce", required=True,
                        help_text="For example, “monthly counts of repairs by estate”.")
    valued_by = forms.ModelMultipleChoiceField(
        label="Which departments would value this data?", queryset=Department.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Select all that apply, including your own.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valued_by"].queryset = Department.objects.filter(is_active=True).order_by("name")
        self.helper = gds_helper(Field.text("description"), Field.checkboxes("valued_by", small=True))

    def is_blank(self) -> bool:
        return not (self.data.get("description", "").strip() or self.data.getlist("valued_by"))


class CoOwnerForm(ItemForm):
    email = forms.EmailField(label="Email address of a co-owner",
                             help_text="A co-owner can change the idea and submit it, just like you.",
                             widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}))

    def __init__(self, *args, idea: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.idea = idea
        self.fields["email"].error_messages["required"] = "Enter the co-owner's email address"
        self.fields["email"].error_messages["invalid"] = "Enter an email address in the correct format, like name@harrow.gov.uk"
        self.helper = gds_helper(Field.text("email", field_width=Fixed.TWENTY))

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError("There is no one with that email address who can use this service")
        if user.pk == self.idea.owner_id:
            raise forms.ValidationError(f"{user} already owns this idea")
        if any(co.pk == user.pk for co in self.idea.co_owners.all()):
            raise forms.ValidationError(f"{user} is already a co-owner")
        return user

    def is_blank(self) -> bool:
        return not self.data.get("email", "").strip()


class AttachmentForm(ItemForm):
    file = forms.FileField(label="Upload a file", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = filesizeformat(settings.ATTACHMENT_MAX_BYTES)
        self.fields["file"].help_text = f"{ALLOWED_DESCRIPTION}, smaller than {limit}."
        self.fields["file"].error_messages.update(
            required="Select a file",
            empty="The selected file is empty",
            invalid="The selected file could not be read. Try again",
            missing="Select a file",
            max_length="The file's name must be 200 characters or fewer",
        )
        self.helper = gds_helper(Field("file"))

    def is_blank(self) -> bool:
        return "file" not in self.files
