"""In Chromium: the secretary approves minutes from the minutes page, through its own button.

A test that posted to the approve URL directly missed that the form had no action and
posted back to the minutes page, which only reads (HTTP 405). This one presses the button.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, make_idea
from tests.world_extras.board import future, idea_item_on, make_board, past_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _held_meeting_with_draft_minutes(people):
    from board import services

    board = make_board(people)
    secretary = people["secretary"]
    held = past_meeting(board, secretary, days_ago=30)
    item = idea_item_on(held, make_idea(people["officer"], at="ready-for-board", title="Smart sensors"))
    services.decision_record(item_id=item.pk, by=secretary, outcome="approve")
    services.meeting_mark_held(meeting_id=held.pk, by=secretary)
    services.minutes_draft(meeting_id=held.pk, by=secretary)
    # The meeting that approves them started an hour ago; one in ten days' time must not be offered.
    approving = past_meeting(board, secretary, days_ago=0)
    approving.starts_at = timezone.now() - timedelta(hours=1)
    approving.title = "Innovation Board, today"
    approving.save(update_fields=["starts_at", "title"])
    later = services.meeting_schedule(board=board, starts_at=future(10), by=secretary, title="Innovation Board, next")
    return held, approving, later


def test_minutes_are_approved_through_the_form_button(page, people):
    from board.models import MeetingStatus, Minutes

    held, approving, later = _held_meeting_with_draft_minutes(people)
    sign_in(page, people["secretary"].email, PASSWORD)
    minutes_url = f"/board/meetings/{held.pk}/minutes/"
    page.goto(minutes_url)
    assert not axe_violations(page)

    select = page.get_by_label("Which meeting approved these minutes?")
    offered = select.locator("option").all_inner_texts()
    assert "Innovation Board, today" in offered and "Innovation Board, next" not in offered

    # Nothing chosen: the error summary, on the minutes page, and nothing approved.
    page.get_by_role("button", name="Record minutes as approved").click()
    page.wait_for_load_state("load")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible() and "Choose the meeting that approved the minutes" in summary.inner_text()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert not axe_violations(page)
    assert Minutes.objects.get(meeting=held).status == Minutes.Status.DRAFT

    page.get_by_label("Which meeting approved these minutes?").select_option(label="Innovation Board, today")
    page.get_by_role("button", name="Record minutes as approved").click()
    page.wait_for_url(f"**{minutes_url}")
    assert "The minutes are approved and published." in page.locator("body").inner_text()
    assert page.get_by_text("Approved", exact=True).is_visible()
    assert not axe_violations(page)

    minutes = Minutes.objects.get(meeting=held)
    held.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED and minutes.approved_at_meeting_id == approving.pk
    assert held.status == MeetingStatus.MINUTES_APPROVED
