"""Sign-in and password-reset pages: Django's views with this service's throttling."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from .client_address import client_ip
from .forms import ResetRequestForm, SignInForm
from .password_reset import password_reset_request
from .sign_in_throttle import remember_device


class SignInView(auth_views.LoginView):
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        remember_device(response, form.get_user().email)
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.account_braked:
            response.status_code = 429
        return response


class ResetRequestView(auth_views.PasswordResetView):
    form_class = ResetRequestForm

    def form_valid(self, form):
        # The same redirect whether the address has an account and whether it was refused as too many.
        password_reset_request(email=form.cleaned_data["email"], client_ip=client_ip(self.request))
        return HttpResponseRedirect(self.get_success_url())
