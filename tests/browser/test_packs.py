"""In Chromium: the secretary watches an agenda pack go from queued to ready on the meeting
page without reloading, downloads it, and a member reads a paper as HTML. Zero axe violations."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _demo_people() -> dict:
    from harrow_innovation.people.models import User

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    officer = User.objects.get(email="officer@harrow.example")
    return {
        "officer": officer,
        "officer_other": officer,
        "secretary": User.objects.get(email="secretary@harrow.example"),
        "board_member": User.objects.get(email="board@harrow.example"),
    }


def test_the_pack_panel_updates_itself_and_the_pack_and_papers_can_be_read(page):
    from board import packs
    from board.models import PackVersion
    from tests.world_extras.packs import make_pack_meeting

    people = _demo_people()
    meeting = make_pack_meeting(people, ideas=2, free_items=1, attachment_pages=2)
    pack = PackVersion.objects.create(meeting=meeting, number=1, reason="Agenda published")  # queued, not built yet
    problems: list[str] = []

    sign_in(page, "secretary@harrow.example")
    page.goto(reverse("board:meeting", kwargs={"pk": meeting.pk}))
    panel = page.locator("[data-pack-panel]")
    version = panel.locator("[data-pack-version='1']")
    assert version.locator(".govuk-tag").inner_text() == "Queued"
    assert version.get_by_text("Version 1, Agenda published,").is_visible()
    assert panel.locator("progress").count() == 1
    assert not panel.get_by_text("Refresh the pack’s status").is_visible()  # the script polls instead
    problems += axe_violations(page)
    page.evaluate("window.notReloaded = true")

    # A worker builds the pack while the page stays open.
    assert packs.pack_build(pack_id=pack.pk) == "ready"

    expect(page.locator("[data-pack-version='1'][data-pack-state='ready']")).to_be_visible(timeout=20000)
    assert page.evaluate("window.notReloaded") is True
    assert version.locator(".govuk-tag").inner_text() == "Ready"
    assert panel.locator("[data-pack-announce]").inner_text() == "Version 1 of the agenda pack is ready to download."
    assert panel.locator("progress").count() == 0
    problems += axe_violations(page)

    with page.expect_download() as download_info:
        panel.get_by_role("link", name="Download version 1 of the agenda pack").click()
    download = download_info.value
    with open(download.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    titles = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    assert titles == ["Cover", "Agenda", "Item 1, Idea number 1 for the Board", "Item 2, Idea number 2 for the Board",
                      "Item 3, Programme report 1"]
    total = len(reader.pages)
    assert f"Page {total} of {total}" in reader.pages[-1].extract_text()

    # The no-JavaScript view of the same panel.
    page.goto(reverse("board:pack_status", kwargs={"pk": meeting.pk}))
    problems += axe_violations(page)

    # A member reads a paper as an accessible page.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")
    sign_in(page, "board@harrow.example")
    item = meeting.items.get(order=1)
    page.goto(reverse("board:paper", kwargs={"pk": item.pk}))
    assert page.get_by_role("heading", level=1).inner_text() == "Idea number 1 for the Board"
    for heading in ("Summary", "Business case", "Costs and benefits", "Central systems and integration costs",
                    "Data it would produce", "Review scores", "Recommendation"):
        assert page.get_by_role("heading", name=heading, exact=True).is_visible(), heading
    problems += axe_violations(page)
    assert not page.console_errors, page.console_errors
    assert not problems, "\n".join(problems)
