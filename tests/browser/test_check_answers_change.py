"""In Chromium: a Change link on "Check your answers" comes back to "Check your answers" after saving,
as the GOV.UK pattern does, for a question page and for a list page."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from harrow_innovation.people.models import User
from ideas.models import CentralSystem
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import make_idea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The browser keeps the Change link's #anchor across the redirect.
CHECK = re.compile(r"/ideas/\d+/check/(#[\w-]*)?$")


def test_change_links_come_back_to_check_your_answers(page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    officer = User.objects.get(email="officer@harrow.example")
    idea = make_idea(officer, at="draft", title="Paperless visit notes")
    problems: list[str] = []
    sign_in(page, "officer@harrow.example")
    page.goto(reverse("ideas:check", kwargs={"pk": idea.pk}))

    # A question page: change one answer, with a mistake on the way; "Save and continue" comes back.
    page.get_by_role("link", name="Change the proposed solution").click()
    page.wait_for_url(re.compile(r"/draft/about/\?return=check"))
    assert page.get_by_role("link", name="Back to check your answers").is_visible()
    problems += axe_violations(page)
    page.get_by_label("Title").fill("")
    page.get_by_label("The proposed solution").fill("Voice notes transcribed straight into the case record.")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.get_by_label("Title").fill("Paperless visit notes")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(CHECK)
    assert page.get_by_text("Voice notes transcribed straight into the case record.").is_visible()
    problems += axe_violations(page)

    # The same from another question page, by its own row link.
    page.get_by_role("link", name="Change timescale").click()
    page.wait_for_url(re.compile(r"/draft/business-case/\?return=check"))
    page.get_by_label("Timescale").fill("Nine months to pilot")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(CHECK)
    assert page.get_by_text("Nine months to pilot").is_visible()

    # A list page: add a central system, then "Save and continue" comes back too.
    system = CentralSystem.objects.filter(is_active=True).order_by("name").first()
    page.get_by_role("link", name="Change central systems").click()
    page.wait_for_url(re.compile(r"/draft/central-systems/\?return=check"))
    page.get_by_label("Central system").select_option(label=system.name)
    page.get_by_label("How would it integrate?").fill("Notes post into the record.")
    page.get_by_label("Estimated integration cost").fill("1200")
    page.get_by_role("button", name="Add this system").click()
    page.get_by_role("heading", name=system.name).wait_for()
    assert "return=check" in page.url
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(CHECK)
    assert page.get_by_text("£1,200 to integrate").is_visible()

    # "Save and come back later" still goes to the task list.
    page.get_by_role("link", name="Change title").click()
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_url(re.compile(r"/ideas/\d+/draft/(#[\w-]*)?$"))
    assert not problems, "\n".join(problems)
