"""A real browser signs in as the demo officer; every page has zero axe violations."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/accounts/sign-in/", "/accounts/password-reset/", "/accessibility/", "/privacy/", "/no-such-page/"]
SIGNED_IN_PAGES = ["/home/", "/accessibility/", "/privacy/"]


def test_public_pages_have_no_accessibility_violations(page):
    problems = []
    for path in PUBLIC_PAGES:
        page.goto(path)
        problems += axe_violations(page)
    assert not problems, "\n".join(problems)


def test_demo_officer_signs_in_and_pages_pass_axe(page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    sign_in(page, "officer@harrow.example")
    assert page.get_by_text("Priya Shah").first.is_visible()
    problems = []
    for path in SIGNED_IN_PAGES:
        page.goto(path)
        problems += axe_violations(page)
    assert not problems, "\n".join(problems)
    assert not page.console_errors, page.console_errors
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")


def test_a_failed_sign_in_shows_the_error_summary_without_violations(page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill("officer@harrow.example")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter your password" in summary.inner_text()
    assert page.get_by_label("Email address").input_value() == "officer@harrow.example"
    assert not axe_violations(page)


def test_sign_in_works_by_keyboard_alone(page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    page.goto("/accounts/sign-in/")
    page.keyboard.press("Tab")  # skip link
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.get_by_label("Email address").focus()
    page.keyboard.type("officer@harrow.example")
    page.keyboard.press("Tab")
    page.keyboard.type("innovate-harrow")
    page.keyboard.press("Enter")
    page.wait_for_url("**/home/")
