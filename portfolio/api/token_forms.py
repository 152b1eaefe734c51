"""The form that makes an API token."""

from __future__ import annotations

from django import forms

from harrow_innovation.people.forms import gds_helper
from harrow_innovation.people.models import User


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?", max_length=100,
        help_text="For example, the monthly Power BI report. It helps you recognise the token later.",
        error_messages={"required": "Enter what the token is for",
                        "max_length": "What the token is for must be 100 characters or fewer"},
    )
    account = forms.EmailField(
        label="Account the token reads as (optional)", required=False,
        help_text="The email address of a service account. Leave blank to make a token for yourself.",
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"invalid": "Enter an email address in the correct format, like name@harrow.gov.uk"},
    )

    def __init__(self, *args, for_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not for_admin:
            del self.fields["account"]
        self.helper = gds_helper(*self.fields, submit="Make the token")
        self.helper.attrs["data-form"] = "api_token_create"

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter what the token is for")
        return name

    def clean_account(self) -> User | None:
        email = self.cleaned_data.get("account")
        if not email:
            return None
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError("There is no account with that email address")
        return user
