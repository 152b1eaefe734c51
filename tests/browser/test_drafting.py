"""As the demo officer, in Chromium: draft an idea, leave, come back, finish it and submit it.

Every page visited is checked with axe; one page is completed with the keyboard alone.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from ideas.models import Attachment, Idea, IdeaCentralSystem
from tests.browser.conftest import axe_violations, sign_in
from tests.world import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Digital forms for home care visits"


class Visits:
    """Runs axe on each page the test lands on and keeps every violation."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        self.seen: list[str] = []

    def check(self) -> None:
        self.page.wait_for_load_state()
        self.seen.append(self.page.url)
        self.problems += axe_violations(self.page)


def test_officer_drafts_leaves_returns_finishes_and_submits_an_idea(page, tmp_path):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    visits = Visits(page)
    sign_in(page, "officer@harrow.example")

    # Start from the dashboard's link.
    page.get_by_role("button", name="Suggest an idea").first.click()
    page.wait_for_url("**/ideas/new/")
    visits.check()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("The problem and who has it").fill(
        "Carers fill in paper forms on visits, and social care assessments are retyped at the office."
    )
    # While typing, similar ideas from other departments appear (drafting.js), in a live region.
    similar = page.locator("#similar-ideas")
    similar.get_by_role("link", name=re.compile("Digital forms to replace paper")).wait_for()
    assert similar.get_attribute("aria-live") == "polite"
    visits.check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/ideas/\d+/draft/$"))
    visits.check()
    task_list_url = page.url
    assert page.get_by_text("your draft is saved").is_visible()

    # Leave for the dashboard, then come back to the task list from "My ideas".
    page.get_by_role("link", name="Home").first.click()
    page.wait_for_url("**/home/")
    page.goto(reverse("ideas:mine"))
    visits.check()
    page.locator(f'a[href="{urlparse(task_list_url).path}"]').first.click()
    page.wait_for_url(task_list_url)
    visits.check()
    assert page.get_by_role("heading", name=TITLE).is_visible()

    # About the idea, with a validation error on the way: the typed words stay.
    page.get_by_role("link", name="About the idea").click()
    visits.check()
    page.get_by_label("Title").fill("")
    page.get_by_label("The proposed solution").fill("Tablet forms that save offline and post into the case record.")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    visits.check()
    assert "Tablet forms" in page.get_by_label("The proposed solution").input_value()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("button", name="Save and continue").click()

    # Who it serves: completed by keyboard alone.
    page.wait_for_url("**/draft/who-it-serves/")
    visits.check()
    complete_who_it_serves_by_keyboard(page)

    # Business case.
    page.wait_for_url("**/draft/business-case/")
    visits.check()
    page.get_by_label("Cash savings per year").fill("£210,000")
    page.get_by_label("Other benefits").fill("About 40 minutes saved per assessment.")
    page.get_by_label("One-off cost").fill("95000")
    page.get_by_label("Recurring cost per year").fill("-12000")
    page.get_by_label("Timescale").fill("6 months to pilot")
    page.get_by_role("button", name="Save and continue").click()
    assert "must be £0 or more" in page.locator(".govuk-error-summary").inner_text()
    visits.check()
    page.get_by_label("Recurring cost per year").fill("12000")
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url("**/draft/risks/")
    visits.check()
    page.get_by_label("What are the risks?").fill("Patchy mobile signal on some estates.")
    page.get_by_label("How does it stay future-proof?").fill("Open standards; data stays in the case system.")
    page.get_by_role("button", name="Save and continue").click()

    # A central system.
    page.wait_for_url("**/draft/central-systems/")
    visits.check()
    page.get_by_label("Central system").select_option(label="Social care case management")
    page.get_by_label("How would it integrate?").fill("Forms post into the case record.")
    page.get_by_label("Estimated integration cost").fill("35000")
    page.get_by_role("button", name="Add this system").click()
    page.get_by_role("heading", name="Social care case management").wait_for()
    visits.check()
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url("**/draft/data-outputs/")
    visits.check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/draft/resources/")
    visits.check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/draft/partners/")
    visits.check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/draft/people/")
    visits.check()
    page.get_by_role("button", name="Save and continue").click()

    # A PDF attachment.
    page.wait_for_url("**/draft/attachments/")
    visits.check()
    pdf = tmp_path / "Business case.pdf"
    pdf.write_bytes(PDF_BYTES)
    page.get_by_label("Upload a file").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload file").click()
    page.get_by_role("link", name="Business case.pdf").wait_for()
    visits.check()
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url("**/draft/confidentiality/")
    visits.check()
    page.get_by_label("No, all staff can see it once it is submitted").check()
    page.get_by_role("button", name="Save and continue").click()

    # Check your answers, then submit.
    page.wait_for_url(re.compile(r"/ideas/\d+/check/$"))
    visits.check()
    assert page.get_by_text("£210,000").is_visible()
    assert page.get_by_text("Social care case management").first.is_visible()
    page.get_by_role("button", name="Submit idea").click()

    page.wait_for_url(re.compile(r"/ideas/\d+/submitted/$"))
    visits.check()
    idea = Idea.objects.get(title=TITLE)
    panel = page.locator(".govuk-panel--confirmation")
    assert "Idea submitted" in panel.inner_text()
    assert idea.reference in panel.inner_text()
    assert idea.stage.slug == "submitted"
    assert IdeaCentralSystem.objects.filter(idea=idea, system__name="Social care case management").exists()
    assert Attachment.objects.get(idea=idea).kind == "pdf"

    assert len(visits.seen) >= 19
    assert not visits.problems, "\n".join(visits.problems)
    assert not page.console_errors, page.console_errors


def complete_who_it_serves_by_keyboard(page) -> None:
    """Tab to each control, tick with Space, type, and submit with Enter: no mouse."""
    page.locator("body").focus()
    # Tab until the first department checkbox has focus.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "departments":
            break
    assert page.evaluate("document.activeElement.name") == "departments"
    # The officer's own department is ticked already; move through the boxes and tick Housing too.
    for _ in range(20):
        label = page.evaluate("document.activeElement.labels[0].textContent.trim()")
        if label == "Housing":
            page.keyboard.press("Space")
            break
        page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.name") == "departments":
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "services"
    page.keyboard.type("Home care, assessments")
    page.keyboard.press("Tab")  # the first "where it came from" radio
    assert page.evaluate("document.activeElement.name") == "source"
    page.keyboard.press("ArrowDown")  # radios move and select with the arrow keys
    assert page.evaluate("document.activeElement.value") == "team"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "source_detail"
    page.keyboard.type("The adult social care digital team")
    page.keyboard.press("Enter")  # submits with the first button: Save and continue
    page.wait_for_url("**/draft/business-case/")
    idea = Idea.objects.get(title=TITLE)
    assert {d.name for d in idea.departments.all()} >= {"Adult Social Care", "Housing"}
    assert (idea.services, idea.source) == ("Home care, assessments", "team")
