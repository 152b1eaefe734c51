"""In a real browser: API tokens and calendar addresses made, shown once and revoked through their own
buttons, and single sign-on through a local OpenID Connect provider. Every page is checked with axe."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from harrow_innovation.people.roles import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_makes_uses_and_revokes_an_api_token(page, live_server):
    from portfolio.models import ApiToken

    UserFactory(email="olive@harrow.example", roles=[Role.OFFICER])
    sign_in(page, "olive@harrow.example", PASSWORD)
    problems = []

    page.goto("/api/tokens/")
    assert page.get_by_text("You have no API tokens.").is_visible()
    problems += axe_violations(page)
    page.get_by_role("button", name="Make a new token").click()
    page.wait_for_url("**/api/tokens/new/")
    page.get_by_role("button", name="Make the token").click()  # nothing typed
    assert "Enter what the token is for" in page.locator(".govuk-error-summary").inner_text()
    assert not ApiToken.objects.exists()
    problems += axe_violations(page)

    page.get_by_label("What is the token for?").fill("Monthly report")
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("heading", name="Your API token is ready")).to_be_visible()
    secret = page.get_by_label("API token for Monthly report").input_value()
    problems += axe_violations(page)
    api = f"{live_server.url}/api/stages/"
    assert requests.get(api, headers={"Authorization": f"Token {secret}"}, timeout=10).status_code == 200

    page.get_by_role("link", name="Back to your API tokens").click()
    page.wait_for_url("**/api/tokens/")
    assert secret not in page.content() and "Monthly report" in page.content()
    page.get_by_role("link", name="Revoke Monthly report").click()
    problems += axe_violations(page)
    page.get_by_role("button", name="Revoke the token").click()
    page.wait_for_url("**/api/tokens/")
    assert page.get_by_text("has been revoked").is_visible()
    problems += axe_violations(page)
    refused = requests.get(api, headers={"Authorization": f"Token {secret}"}, timeout=10)
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    assert not problems, "\n".join(problems)


def test_calendar_addresses_are_shown_once_remade_and_stopped_by_owner_and_admin(page, live_server):
    from board.models import CalendarFeedToken

    member = UserFactory(email="bea@harrow.example", full_name="Bea Board", roles=[Role.BOARD_MEMBER])
    UserFactory(email="ada@harrow.example", roles=[Role.ADMIN])
    problems = []

    sign_in(page, member.email, PASSWORD)
    page.goto("/board/calendar/")
    page.get_by_role("button", name="Create my calendar address").click()
    first = page.get_by_label("Your calendar address").input_value()
    assert requests.get(first, timeout=10).status_code == 200
    problems += axe_violations(page)

    page.goto("/board/calendar/")
    assert first not in page.content()
    page.get_by_role("button", name="Make a new address").click()
    second = page.get_by_label("Your calendar address").input_value()
    assert second != first and requests.get(first, timeout=10).status_code == 404
    page.get_by_role("link", name="Stop my calendar address").click()
    problems += axe_violations(page)
    page.get_by_role("button", name="Stop the calendar address").click()
    page.wait_for_url("**/board/calendar/")
    assert page.get_by_text("Your calendar address has stopped working.").is_visible()
    assert requests.get(second, timeout=10).status_code == 404
    problems += axe_violations(page)

    page.get_by_role("button", name="Create my calendar address").click()
    third = page.get_by_label("Your calendar address").input_value()
    page.context.clear_cookies()
    sign_in(page, "ada@harrow.example", PASSWORD)
    page.goto("/board/calendar/addresses/")
    problems += axe_violations(page)
    page.get_by_role("link", name="Stop Bea Board's address").click()
    page.get_by_role("button", name="Stop the calendar address").click()
    page.wait_for_url("**/board/calendar/addresses/")
    assert page.get_by_text("Bea Board's calendar address has stopped working.").is_visible()
    assert not CalendarFeedToken.objects.exists()
    assert requests.get(third, timeout=10).status_code == 404
    assert not problems, "\n".join(problems)


def test_single_sign_on_from_the_sign_in_page(page, live_server, settings, monkeypatch):
    from harrow_innovation.people.models import User
    from harrow_innovation.settings.sso import sso_settings
    from tests.people.oidc_provider import CLIENT_ID, CLIENT_SECRET, TENANT, Provider

    provider = Provider().start()
    try:
        monkeypatch.setenv("OIDC_RP_CLIENT_ID", CLIENT_ID)
        monkeypatch.setenv("OIDC_RP_CLIENT_SECRET", CLIENT_SECRET)
        monkeypatch.setenv("OIDC_ENTRA_TENANT_ID", TENANT)
        monkeypatch.setenv("OIDC_AUTHORITY", provider.authority)
        for name, value in sso_settings(list(settings.AUTHENTICATION_BACKENDS)).items():
            setattr(settings, name, value)
        provider.identity = {"oid": "5e0a0000-0000-4000-8000-000000000001", "email": "sam.sso@harrow.example",
                             "name": "Sam Sso"}

        page.goto("/accounts/sign-in/")
        problems = axe_violations(page)
        page.get_by_role("button", name="Sign in with your council account").click()
        page.wait_for_url("**/home/")
        assert User.objects.get(sso_id="5e0a0000-0000-4000-8000-000000000001").full_name == "Sam Sso"

        page.context.clear_cookies()
        provider.identity = {**provider.identity, "tid": "00000000-0000-0000-0000-000000000000"}
        page.goto("/accounts/sign-in/")
        page.get_by_role("button", name="Sign in with your council account").click()
        page.wait_for_url("**/accounts/sign-in/")
        assert page.get_by_text("account from another organisation").is_visible()
        problems += axe_violations(page)
        assert not problems, "\n".join(problems)
    finally:
        provider.stop()
