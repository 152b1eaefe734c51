"""Sign-in throttling: one counter per account whatever the spelling, client addresses behind the proxy,
and a brake on an account attacked from many addresses that never stops its owner's own device."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from harrow_innovation.people.sign_in_throttle import KNOWN_DEVICE_COOKIE
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"  # the TLS proxy: every request reaches the app from here


def post_sign_in(client, email, password, *, remote=PROXY, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def test_changing_the_case_or_spacing_of_the_email_does_not_reset_the_count(client, settings):
    UserFactory(email="officer@harrow.example")
    spellings = ["officer@harrow.example", "Officer@harrow.example", "OFFICER@HARROW.EXAMPLE", " officer@Harrow.example "]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT - 1]:
        assert post_sign_in(client, spelling, "guess").status_code == 200
    assert post_sign_in(client, spellings[-1], "guess").status_code == 429  # the limit-th failure, any spelling
    for spelling in spellings:
        response = post_sign_in(client, spelling, PASSWORD)
        assert response.status_code == 429, spelling
        assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"officer@harrow.example"}


def test_the_locked_out_page_gives_the_wait_in_minutes(client, settings):
    UserFactory(email="officer@harrow.example")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_sign_in(client, "officer@harrow.example", "guess")
    html = post_sign_in(client, "officer@harrow.example", PASSWORD).content.decode()
    assert "Wait 15 minutes and try again" in html
    assert "PT15M" not in html


def test_a_success_in_another_spelling_clears_the_count(client, settings):
    user = UserFactory(email="officer@harrow.example")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_sign_in(client, "OFFICER@harrow.example", "guess")
    assert post_sign_in(client, "Officer@Harrow.Example", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not AccessAttempt.objects.exists()


def test_behind_the_proxy_the_attacker_is_throttled_and_the_person_elsewhere_signs_in(client, settings):
    settings.CLIENT_PROXY_COUNT = 1
    chair = UserFactory(email="chair@harrow.example")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_sign_in(client, "chair@harrow.example", "guess", forwarded="203.0.113.66")
    assert post_sign_in(client, "chair@harrow.example", PASSWORD, forwarded="203.0.113.66").status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.66"

    response = post_sign_in(client, "chair@harrow.example", PASSWORD, forwarded="198.51.100.7")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(chair.pk)


def test_only_the_entry_our_proxy_wrote_counts_not_what_the_client_claims(client, settings):
    settings.CLIENT_PROXY_COUNT = 1
    UserFactory(email="chair@harrow.example")
    # The attacker sends a made-up X-Forwarded-For each time; the proxy appends the real address.
    for n in range(settings.AXES_FAILURE_LIMIT):
        post_sign_in(client, "chair@harrow.example", "guess", forwarded=f"192.0.2.{n}, 203.0.113.66")
    assert post_sign_in(client, "chair@harrow.example", PASSWORD, forwarded="192.0.2.99, 203.0.113.66").status_code == 429


def test_two_proxies_read_the_second_entry_from_the_right(rf, settings):
    from harrow_innovation.people.client_address import client_ip

    settings.CLIENT_PROXY_COUNT = 2
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.66, 10.0.0.2")
    assert client_ip(request) == "203.0.113.66"


@pytest.mark.parametrize("header", ["", "not-an-address", "999.1.1.1"])
def test_a_missing_or_malformed_forwarded_address_falls_back_to_the_connection(rf, settings, header):
    from harrow_innovation.people.client_address import client_ip

    settings.CLIENT_PROXY_COUNT = 1
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)) == PROXY


def test_without_a_proxy_count_the_header_is_ignored(rf, settings):
    from harrow_innovation.people.client_address import client_ip

    settings.CLIENT_PROXY_COUNT = 0
    assert client_ip(rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.66")) == "198.51.100.7"


def test_a_malformed_forwarded_address_never_fails_sign_in(client, settings):
    settings.CLIENT_PROXY_COUNT = 1
    UserFactory(email="chair@harrow.example")
    assert post_sign_in(client, "chair@harrow.example", "guess", forwarded="<script>").status_code == 200
    assert AccessAttempt.objects.get().ip_address == PROXY


def test_an_account_guessed_at_from_many_addresses_is_slowed_for_new_devices_only(client, settings):
    settings.CLIENT_PROXY_COUNT = 1
    settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT = 6
    chair = UserFactory(email="chair@harrow.example")
    # The chair signed in on their laptop before: it carries the known-device cookie.
    assert post_sign_in(client, "chair@harrow.example", PASSWORD, forwarded="198.51.100.7").status_code == 302
    laptop_cookie = client.cookies[KNOWN_DEVICE_COOKIE].value
    client.logout()

    from django.test import Client

    attacker = Client()
    for n in range(settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT):  # each address stays under the per-address limit
        assert post_sign_in(attacker, "chair@harrow.example", "guess", forwarded=f"203.0.113.{n // 2}").status_code == 200
    counted = sorted(AccessAttempt.objects.values_list("ip_address", "failures_since_start"))
    refused = post_sign_in(attacker, "Chair@harrow.example", PASSWORD, forwarded="203.0.113.200")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "govuk-error-summary" in html
    assert "slowing down sign-in to it from new devices" in html
    assert "Wait 30 seconds and try again, or sign in on a device you have used here before." in html
    assert "_auth_user_id" not in attacker.session
    # A refusal is not checked against the password and not counted.
    assert sorted(AccessAttempt.objects.values_list("ip_address", "failures_since_start")) == counted

    laptop = Client()
    laptop.cookies[KNOWN_DEVICE_COOKIE] = laptop_cookie
    response = post_sign_in(laptop, "chair@harrow.example", PASSWORD, forwarded="198.51.100.99")
    assert response.status_code == 302
    assert laptop.session["_auth_user_id"] == str(chair.pk)


def test_a_known_device_cookie_for_one_account_does_not_help_another(client, settings):
    settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT = 2
    UserFactory(email="attacker@harrow.example")
    UserFactory(email="chair@harrow.example")
    assert post_sign_in(client, "attacker@harrow.example", PASSWORD).status_code == 302
    client.logout()
    for n in range(2):
        post_sign_in(client, "chair@harrow.example", "guess", remote=f"203.0.113.{n}")
    assert post_sign_in(client, "chair@harrow.example", PASSWORD, remote="203.0.113.50").status_code == 429


def test_a_slowed_account_is_not_locked_a_new_device_signs_in_once_the_gap_has_passed(client, settings):
    from django.test import Client

    settings.CLIENT_PROXY_COUNT = 1
    settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT = 4
    settings.SIGN_IN_ACCOUNT_SLOW_SECONDS = 30
    chair = UserFactory(email="chair@harrow.example")
    attacker = Client()
    for n in range(settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT):
        post_sign_in(attacker, "chair@harrow.example", "guess", forwarded=f"203.0.113.{n}")
    new_pc = Client()
    assert post_sign_in(new_pc, "chair@harrow.example", PASSWORD, forwarded="198.51.100.20").status_code == 429
    # The attack goes on, but only as fast as the gap allows: thirty seconds after the last
    # failure the next attempt from a new device is checked as usual.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(seconds=31))
    response = post_sign_in(new_pc, "chair@harrow.example", PASSWORD, forwarded="198.51.100.20")
    assert response.status_code == 302
    assert new_pc.session["_auth_user_id"] == str(chair.pk)
