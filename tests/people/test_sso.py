"""Single sign-on end to end, against a real OpenID Connect provider on 127.0.0.1 (tests/people/oidc_provider.py).

The Django test client starts sign-in, ``requests`` visits the provider's authorisation
endpoint like a browser would, and the client follows the redirect back with the code;
the backend then calls the provider's token and JWKS endpoints over HTTP.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from harrow_innovation.people import sso
from harrow_innovation.people.closed_accounts import SIGNED_OUT
from harrow_innovation.people.models import User
from harrow_innovation.people.roles import Role
from harrow_innovation.settings.sso import ENTRA_BACKEND, sso_settings
from tests.factories import PASSWORD, UserFactory
from tests.people.oidc_provider import CLIENT_ID, CLIENT_SECRET, TENANT, Provider

pytestmark = pytest.mark.django_db

PRIYA = {"oid": "0a1b2c3d-0000-4000-8000-000000000001", "email": "Priya.Shah@harrow.example", "name": "Priya Shah"}


@pytest.fixture(scope="module")
def provider():
    running = Provider().start()
    yield running
    running.stop()


def _sso_environment(monkeypatch, authority: str | None) -> None:
    monkeypatch.setenv("OIDC_RP_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("OIDC_RP_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("OIDC_ENTRA_TENANT_ID", TENANT)
    if authority:
        monkeypatch.setenv("OIDC_AUTHORITY", authority)
    else:
        monkeypatch.delenv("OIDC_AUTHORITY", raising=False)


@pytest.fixture
def sso_on(settings, provider, monkeypatch):
    """Django configured from the environment exactly as production would be, pointed at the local provider."""
    provider.identity, provider.tamper = {}, ""
    _sso_environment(monkeypatch, provider.authority)
    for name, value in sso_settings(list(settings.AUTHENTICATION_BACKENDS)).items():
        setattr(settings, name, value)
    return settings


def sign_in(client: Client, provider: Provider, identity: dict, tamper: str = ""):
    """The whole redirect dance; returns the app's answer to the callback."""
    provider.identity, provider.tamper = identity, tamper
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302
    assert start["Location"].startswith(f"{provider.authority}/oauth2/v2.0/authorize?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302, at_provider.text
    back = urlparse(at_provider.headers["Location"])
    assert back.path == reverse("oidc_authentication_callback")
    return client.get(f"{back.path}?{back.query}")


def refused_with(response, client: Client, message: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert message in page.content.decode()


# --- Signing in and coming back ------------------------------------------------------


def test_first_sign_in_creates_an_officer_linked_by_oid(sso_on, provider, client):
    response = sign_in(client, provider, PRIYA)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get()
    assert (user.email, user.full_name, user.sso_id) == ("priya.shah@harrow.example", "Priya Shah", PRIYA["oid"])
    assert user.role_names == {Role.OFFICER.value}
    assert not user.has_usable_password()
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.get(reverse("home")).status_code == 200


def test_a_return_visit_finds_the_same_account_by_oid(sso_on, provider):
    sign_in(Client(), provider, PRIYA)
    client = Client()
    response = sign_in(client, provider, {**PRIYA, "name": "Priya Shah-Jones"})
    assert response["Location"] == reverse("home")
    user = User.objects.get()
    assert client.session[SESSION_KEY] == str(user.pk)
    assert user.full_name == "Priya Shah-Jones"
    assert provider.token_requests >= 2


def test_an_existing_password_account_is_linked_at_its_first_single_sign_on(sso_on, provider, client):
    existing = UserFactory(email="priya.shah@harrow.example", roles=[Role.REVIEWER])
    sign_in(client, provider, PRIYA)
    existing.refresh_from_db()
    assert existing.sso_id == PRIYA["oid"]
    assert client.session[SESSION_KEY] == str(existing.pk)
    assert User.objects.count() == 1


def test_the_settings_point_every_endpoint_at_the_configured_authority(provider, monkeypatch):
    _sso_environment(monkeypatch, None)
    default = sso_settings(["x.Backend"])
    assert default["OIDC_OP_AUTHORIZATION_ENDPOINT"] == (
        f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/authorize")
    assert default["OIDC_OP_ISSUER"] == f"https://login.microsoftonline.com/{TENANT}/v2.0"
    assert default["AUTHENTICATION_BACKENDS"] == ["x.Backend", ENTRA_BACKEND]
    assert default["OIDC_ALLOW_GUESTS"] is False

    _sso_environment(monkeypatch, provider.authority + "/")
    local = sso_settings([])
    published = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=5).json()
    assert local["OIDC_OP_ISSUER"] == published["issuer"]
    assert local["OIDC_OP_AUTHORIZATION_ENDPOINT"] == published["authorization_endpoint"]
    assert local["OIDC_OP_TOKEN_ENDPOINT"] == published["token_endpoint"]
    assert local["OIDC_OP_JWKS_ENDPOINT"] == published["jwks_uri"]

    monkeypatch.delenv("OIDC_RP_CLIENT_ID")
    assert sso_settings([]) == {"OIDC_ENABLED": False}


def test_single_sign_on_urls_are_not_found_while_it_is_off(client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "y"}).status_code == 404


# --- Closed accounts ------------------------------------------------------------------


def test_a_closed_account_is_signed_out_at_its_next_request_and_cannot_sign_in_again(sso_on, provider, client):
    sign_in(client, provider, PRIYA)
    assert client.get(reverse("home")).status_code == 200
    User.objects.filter(email="priya.shah@harrow.example").update(is_active=False)

    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    assert SESSION_KEY not in client.session
    assert SIGNED_OUT in client.get(response["Location"]).content.decode()

    refused_with(sign_in(client, provider, PRIYA), client, sso.CLOSED)
    assert User.objects.count() == 1


def test_a_closed_account_found_by_email_is_refused_not_duplicated(sso_on, provider, client):
    UserFactory(email="priya.shah@harrow.example", is_active=False)
    refused_with(sign_in(client, provider, PRIYA), client, sso.CLOSED)
    assert User.objects.get().sso_id is None


def test_a_password_session_of_a_closed_account_ends_with_a_message(client):
    user = UserFactory()
    assert client.post(reverse("login"), {"username": user.email, "password": PASSWORD}).status_code == 302
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [SIGNED_OUT]
    assert SESSION_KEY not in client.session


def test_the_sso_backend_loads_an_open_account_but_not_a_closed_one(sso_on):
    from harrow_innovation.people.oidc import EntraBackend

    user = UserFactory()
    assert EntraBackend().get_user(user.pk) == user
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert EntraBackend().get_user(user.pk) is None


# --- Refusals: tenant, tampering, guests, changed email -------------------------------


def test_an_account_from_another_tenant_is_refused(sso_on, provider, client):
    refused_with(sign_in(client, provider, {**PRIYA, "tid": "11111111-2222-3333-4444-555555555555"}),
                 client, sso.OTHER_TENANT)
    assert not User.objects.exists()


@pytest.mark.parametrize("tamper", ["other-key", "edited", "wrong-audience", "expired"])
def test_a_tampered_or_stale_token_is_refused(sso_on, provider, client, tamper):
    UserFactory(email="priya.shah@harrow.example")
    refused_with(sign_in(client, provider, PRIYA, tamper=tamper), client, sso.NOT_CONFIRMED)
    assert User.objects.get().sso_id is None


def test_a_callback_the_session_never_started_is_refused_with_a_message(sso_on, client):
    response = client.get(reverse("oidc_authentication_callback"), {"code": "stolen", "state": "forged"})
    assert response.status_code == 302
    client.get(reverse("oidc_authentication_init"))  # the session now holds a different state
    response = client.get(reverse("oidc_authentication_callback"), {"code": "stolen", "state": "forged"})
    refused_with(response, client, sso.NOT_CONFIRMED)


def test_a_cancelled_sign_in_says_so(sso_on, client):
    response = client.get(reverse("oidc_authentication_callback"), {"error": "access_denied", "state": "x"})
    refused_with(response, client, sso.CANCELLED)


def test_an_unreachable_provider_is_explained(sso_on, provider, client, settings):
    provider.identity = PRIYA
    start = client.get(reverse("oidc_authentication_init"))
    back = urlparse(requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"])
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"  # discard port: nothing listens
    refused_with(client.get(f"{back.path}?{back.query}"), client, sso.UNAVAILABLE)


def test_a_changed_email_claim_signs_in_the_same_account_and_takes_over_nobody(sso_on, provider, client):
    sign_in(Client(), provider, PRIYA)
    priya = User.objects.get(sso_id=PRIYA["oid"])
    other = UserFactory(email="sam.lee@harrow.example")

    sign_in(client, provider, {**PRIYA, "email": "sam.lee@harrow.example"})
    assert client.session[SESSION_KEY] == str(priya.pk)
    priya.refresh_from_db()
    other.refresh_from_db()
    assert priya.email == "priya.shah@harrow.example"
    assert other.sso_id is None

    # A different person whose claim carries Priya's address does not get her account.
    intruder = Client()
    refused_with(sign_in(intruder, provider, {"oid": "0a1b2c3d-0000-4000-8000-000000000099",
                                              "email": "priya.shah@harrow.example", "name": "Not Priya"}),
                 intruder, sso.EMAIL_TAKEN)
    assert User.objects.count() == 2


@pytest.mark.parametrize("marker", [{"acct": 1}, {"idp": "https://sts.windows.net/99999999-aaaa-bbbb-cccc-000000000000/"},
                                    {"idp": "live.com"}])
def test_a_guest_gets_no_account(sso_on, provider, client, marker):
    refused_with(sign_in(client, provider, {"oid": "9e000000-0000-4000-8000-000000000001",
                                            "email": "visitor@partner.example", "name": "Vic Visitor", **marker}),
                 client, sso.GUEST)
    assert not User.objects.exists()


def test_a_member_whose_idp_is_our_own_tenant_is_not_a_guest(sso_on, provider, client):
    sign_in(client, provider, {**PRIYA, "idp": f"https://sts.windows.net/{TENANT}/", "acct": 0})
    assert User.objects.get().sso_id == PRIYA["oid"]


def test_guests_get_an_account_when_configured_but_never_by_someone_elses_email(sso_on, provider, client):
    sso_on.OIDC_ALLOW_GUESTS = True
    sign_in(client, provider, {"oid": "9e000000-0000-4000-8000-000000000001", "email": "visitor@partner.example",
                               "name": "Vic Visitor", "acct": 1})
    assert User.objects.get().email == "visitor@partner.example"

    UserFactory(email="priya.shah@harrow.example")
    other = Client()
    refused_with(sign_in(other, provider, {**PRIYA, "oid": "9e000000-0000-4000-8000-000000000002", "acct": 1}),
                 other, sso.EMAIL_TAKEN)
    assert User.objects.get(email="priya.shah@harrow.example").sso_id is None


def test_without_account_creation_a_newcomer_is_told_to_ask_an_admin(sso_on, provider, client):
    sso_on.OIDC_CREATE_USER = False
    refused_with(sign_in(client, provider, PRIYA), client, sso.NO_ACCOUNT)
    assert not User.objects.exists()


def test_refused_single_sign_ons_do_not_lock_anyone_out(sso_on, provider, settings):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        stranger = Client()
        refused_with(sign_in(stranger, provider, {**PRIYA, "tid": "another-tenant"}), stranger, sso.OTHER_TENANT)
    assert not AccessAttempt.objects.exists()
    client = Client()
    assert sign_in(client, provider, PRIYA)["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(User.objects.get().pk)
