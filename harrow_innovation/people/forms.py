from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size, Submit
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError

from .emails import normalise_email
from .sign_in_throttle import account_braked


def gds_helper(*fields: str, submit: str = "Continue") -> FormHelper:
    helper = FormHelper()
    helper.attrs = {"novalidate": ""}  # the server's GOV.UK errors, not browser pop-ups
    helper.label_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password. The password is case-sensitive.",
        "inactive": "This account has been closed. Ask an administrator if you need it again.",
        "account_braked": (
            "There have been many failed attempts to sign in to this account from different places, "
            "so we are slowing down sign-in to it from new devices. Your account is not closed. "
            "Wait %(seconds)s seconds and try again, or sign in on a device you have used here before."
        ),
    }
    account_braked = False

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["username"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@harrow.gov.uk"
        )
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = gds_helper("username", "password", submit="Sign in")
        self.helper.attrs["data-form"] = "sign_in"

    def clean_username(self):
        return normalise_email(self.cleaned_data.get("username"))

    def clean(self):
        email = self.cleaned_data.get("username")
        # Refused before the password is checked, so the refusal neither counts nor reveals anything.
        if email and self.request is not None and account_braked(self.request, email):
            self.account_braked = True
            raise ValidationError(self.error_messages["account_braked"], code="account_braked",
                                  params={"seconds": settings.SIGN_IN_ACCOUNT_SLOW_SECONDS})
        return super().clean()


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(label="Email address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["email"].error_messages["invalid"] = "Enter an email address in the correct format, like name@harrow.gov.uk"
        self.helper = gds_helper("email", submit="Send reset link")
        self.helper.attrs["data-form"] = "password_reset"

    def clean_email(self):
        return normalise_email(self.cleaned_data.get("email"))


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        self.helper = gds_helper("new_password1", "new_password2", submit="Change password")
        self.helper.attrs["data-form"] = "password_set"
