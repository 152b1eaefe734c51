"""Forms that add one item to a list on a question page (each item is saved as it is added)."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fixed
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from harrow_innovation.core.text import LONG_TEXT_MAX
from harrow_innovation.people.models import Department, User
from ideas.attachments import ALLOWED_DESCRIPTION
from ideas.models import CentralSystem, Idea

from .fields import MONEY_TEMPLATE, MoneyField, _long_text, _text, gds_helper
from .questions import DraftForm


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
