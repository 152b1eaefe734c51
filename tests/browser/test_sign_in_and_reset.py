"""Sign-in, password reset and an idle session in a real browser, each form sent by its own button."""

import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_sign_in(page, email: str, password: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_forgotten_password_is_reset_by_email_and_the_new_one_signs_in(page, live_server, settings):
    settings.SITE_URL = live_server.url
    UserFactory(email="forgetful@harrow.example", full_name="Sam Forgetful")
    page.goto("/accounts/sign-in/")
    page.get_by_role("link", name="I have forgotten my password").click()
    page.get_by_label("Email address").fill(" Forgetful@Harrow.example ")
    page.get_by_role("button", name="Send reset link").click()
    page.wait_for_url("**/accounts/password-reset/sent/")
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert not axe_violations(page)

    assert [m.to for m in mail.outbox] == [["forgetful@harrow.example"]]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password-reset/" in line)
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("a-brand-new-passphrase")
    page.get_by_label("New password confirmation").fill("a-brand-new-passphrase")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url("**/accounts/password-reset/complete/")

    page.goto("/accounts/sign-in/")
    fill_sign_in(page, "FORGETFUL@harrow.example", "a-brand-new-passphrase")
    page.wait_for_url("**/home/")


def test_a_reset_for_an_unknown_address_looks_the_same(page):
    page.goto("/accounts/password-reset/")
    page.get_by_label("Email address").fill("nobody@harrow.example")
    page.get_by_role("button", name="Send reset link").click()
    page.wait_for_url("**/accounts/password-reset/sent/")
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert mail.outbox == []


def test_guessing_in_different_spellings_reaches_the_locked_out_page(page, settings):
    UserFactory(email="officer@harrow.example")
    spellings = ["officer@harrow.example", "Officer@harrow.example", "OFFICER@HARROW.EXAMPLE"]
    page.goto("/accounts/sign-in/")
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT - 1]:
        fill_sign_in(page, spelling, "guess")
        expect(page.locator(".govuk-error-summary")).to_be_visible()
    fill_sign_in(page, "Officer@Harrow.Example", "guess")
    expect(page.get_by_role("heading", name="Too many attempts to sign in")).to_be_visible()
    assert page.get_by_text("Wait 15 minutes and try again").is_visible()
    assert not axe_violations(page)


def test_after_an_idle_hour_the_person_signs_in_again_and_is_back_on_their_page(page, live_server):
    from django.contrib.sessions.backends.db import SessionStore

    from harrow_innovation.people.session_expiry import SEEN_AT

    UserFactory(email="officer@harrow.example")
    page.goto("/notifications/preferences/")
    page.wait_for_url("**/accounts/sign-in/?next=/notifications/preferences/")
    fill_sign_in(page, "officer@harrow.example", PASSWORD)
    page.wait_for_url("**/notifications/preferences/")

    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key)
    session[SEEN_AT] = int(time.time()) - 61 * 60
    session.save()

    page.reload()
    page.wait_for_url("**/accounts/sign-in/?next=/notifications/preferences/")
    assert page.get_by_text("You were signed out because you had not used the service for 60 minutes.").is_visible()
    assert not axe_violations(page)
    fill_sign_in(page, "officer@harrow.example", PASSWORD)
    page.wait_for_url("**/notifications/preferences/")
