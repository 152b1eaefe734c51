"""Single sign-on URLs: always routed, answering 404 unless SSO is configured.

The names are the ones mozilla-django-oidc reverses for its redirect URI.
"""

from django.urls import path

from .oidc import SignInCallback, SignInStart, when_enabled

urlpatterns = [
    path("authenticate/", when_enabled(SignInStart.as_view()), name="oidc_authentication_init"),
    path("callback/", when_enabled(SignInCallback.as_view()), name="oidc_authentication_callback"),
]
