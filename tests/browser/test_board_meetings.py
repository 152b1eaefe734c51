"""In Chromium: the secretary schedules a meeting, builds and publishes its agenda; a member
declares an interest; the secretary records decisions, adds an action and drafts the minutes;
the ideas' timelines show the decisions. Zero axe violations on every page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "Smart sensors for street lighting"
SECOND = "Sensors to prevent falls for people living alone"


class Audit:
    """Runs axe on every page the test visits and collects what it finds."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []

    def check(self) -> None:
        self.page.wait_for_load_state("load")
        self.problems += axe_violations(self.page)

    def done(self) -> None:
        assert not self.problems, "\n".join(self.problems)


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")


def test_secretary_and_member_run_a_meeting_from_agenda_to_minutes(page):
    from board.models import Decision, Meeting, Minutes
    from ideas.models import EventKind, Idea, IdeaEvent

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    audit = Audit(page)
    day = timezone.localdate() + timedelta(days=7)

    # The secretary schedules a meeting.
    sign_in(page, "secretary@harrow.example")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Board", exact=True).click()
    audit.check()
    page.get_by_role("button", name="Schedule a meeting").click()
    audit.check()
    page.get_by_role("button", name="Schedule meeting").click()  # nothing typed: errors, nothing made
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    audit.check()
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("10am")
    page.get_by_label("Place").fill("Committee Room 2, Harrow Civic Centre")
    page.get_by_role("button", name="Schedule meeting").click()
    page.wait_for_url(re.compile(r"/board/meetings/\d+/$"))
    meeting = Meeting.objects.get(location="Committee Room 2, Harrow Civic Centre")
    assert "Meeting scheduled" in page.locator(".govuk-notification-banner").inner_text()
    audit.check()

    # ... builds the agenda: an empty agenda cannot be published.
    page.get_by_role("button", name="Build the agenda").click()
    audit.check()
    page.get_by_role("button", name="Publish agenda").click()
    assert "The agenda is empty" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("button", name=f"Add {FIRST} to the agenda").click()
    page.get_by_role("button", name=f"Add {SECOND} to the agenda").click()
    page.get_by_label("Title").fill("Innovation programme report")
    page.get_by_label("Time on the agenda, in minutes").fill("10")
    page.get_by_label("Or the presenter's name").fill("Head of Transformation")
    page.get_by_role("button", name="Add item").click()
    assert "Running time: 40 minutes of 120." in page.locator("[data-running-time]").inner_text()
    page.get_by_role("button", name=f"Down (move {FIRST} down)").click()
    titles = page.locator("#agenda-items + table tbody tr td:first-child").all_inner_texts()
    assert [t.split("\n")[0] for t in titles] == [f"1. {SECOND}", f"2. {FIRST}", "3. Innovation programme report"]
    audit.check()
    page.get_by_role("button", name="Publish agenda").click()
    page.wait_for_url(f"**/board/meetings/{meeting.pk}/")
    assert "Agenda published" in page.locator(".govuk-notification-banner").inner_text()
    audit.check()
    _sign_out(page)

    # A Board member declares an interest.
    sign_in(page, "board@harrow.example")
    page.goto(reverse("board:meeting", kwargs={"pk": meeting.pk}))
    audit.check()
    page.get_by_role("link", name=f"Declare an interest in item 2, {FIRST}").click()
    audit.check()
    page.get_by_role("button", name="Declare interest").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    audit.check()
    page.get_by_label("What is the nature of your interest?").fill("My son works for the lighting supplier.")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Declare interest").click()
    page.wait_for_url(re.compile(rf"/board/meetings/{meeting.pk}/"))
    assert "My son works for the lighting supplier." in page.content()
    audit.check()
    _sign_out(page)

    # The secretary records the decisions, an action and the minutes.
    sign_in(page, "secretary@harrow.example")
    page.goto(reverse("board:meeting", kwargs={"pk": meeting.pk}))
    page.get_by_role("link", name=f"Record the decision on item 1, {SECOND}").click()
    audit.check()
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label("Budget, in pounds (optional)").fill("150000")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url(re.compile(rf"/board/meetings/{meeting.pk}/"))
    assert "Decision recorded: Approve." in page.locator(".govuk-notification-banner").inner_text()

    page.get_by_role("link", name=f"Record the decision on item 2, {FIRST}").click()
    page.get_by_label("Park until a date").check()
    until = timezone.localdate() + timedelta(days=120)
    reveal = page.locator("#conditional-park")
    assert reveal.is_visible()
    reveal.get_by_label("Day").fill(str(until.day))
    reveal.get_by_label("Month").fill(str(until.month))
    reveal.get_by_label("Year").fill(str(until.year - 2))  # in the past: refused
    page.get_by_role("button", name="Record decision").click()
    assert "must be in the future" in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("#conditional-park").is_visible()
    audit.check()
    page.locator("#conditional-park").get_by_label("Year").fill(str(until.year))
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url(re.compile(rf"/board/meetings/{meeting.pk}/"))
    audit.check()

    page.get_by_role("link", name="Add an action").click()
    audit.check()
    page.get_by_label("Action").fill("Confirm the sensor supplier's costs before the Board returns to it.")
    page.get_by_label("Owner").select_option(label="Liam Byrne")
    due = timezone.localdate() + timedelta(days=21)
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Save action").click()
    page.wait_for_url(re.compile(rf"/board/meetings/{meeting.pk}/"))
    assert "Confirm the sensor supplier" in page.content()
    audit.check()

    page.get_by_role("button", name="Draft the minutes from the record").click()
    page.wait_for_url(f"**/board/meetings/{meeting.pk}/minutes/edit/")
    minutes = page.get_by_label("Minutes").input_value()
    assert "My son works for the lighting supplier." in minutes
    assert "Decision: Approve." in minutes and "Decision: Park until" in minutes
    assert "Confirm the sensor supplier's costs" in minutes
    audit.check()
    page.get_by_role("button", name="Save minutes").click()
    page.wait_for_url(f"**/board/meetings/{meeting.pk}/minutes/")
    audit.check()

    # The decisions moved the ideas and appear in their timelines.
    approved, parked = Idea.objects.get(title=SECOND), Idea.objects.get(title=FIRST)
    assert approved.stage.slug == "approved"
    assert parked.stage.slug == "parked" and parked.parked_until == until
    assert Decision.objects.filter(item__meeting=meeting).count() == 2
    assert Minutes.objects.filter(meeting=meeting).exists()
    try:
        reverse("ideas:detail", kwargs={"pk": approved.pk})
        has_idea_page = True
    except NoReverseMatch:
        has_idea_page = False
    for idea, words in ((approved, "Approve"), (parked, f"Parked until {until:%-d %B %Y}")):
        assert IdeaEvent.objects.filter(idea=idea, kind=EventKind.DECISION, summary__contains=words).exists()
        if has_idea_page:
            page.goto(reverse("ideas:detail", kwargs={"pk": idea.pk}))
            assert words in page.content()
            audit.check()

    page.goto(reverse("board:decisions"))
    assert FIRST in page.content() and SECOND in page.content()
    audit.check()
    audit.done()
    assert not [e for e in page.console_errors if "favicon" not in e], page.console_errors


def test_every_other_board_page_passes_axe_for_each_role(page):
    """The pages the journey above does not visit, with the demo Board's data."""
    from board.models import Action, AgendaItem, Meeting

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    audit = Audit(page)
    held = Meeting.objects.get(status="held")
    upcoming = Meeting.objects.get(status="planned")
    item = AgendaItem.objects.filter(meeting=upcoming).first()
    action = Action.objects.get(owner__email="finance.reviewer@harrow.example")

    sign_in(page, "secretary@harrow.example")
    for name, kwargs in [
        ("board:meeting", {"pk": held.pk}), ("board:agenda", {"pk": held.pk}), ("board:agenda", {"pk": upcoming.pk}),
        ("board:attendance", {"pk": held.pk}), ("board:minutes", {"pk": held.pk}), ("board:minutes_edit", {"pk": held.pk}),
        ("board:actions", {}), ("board:action_edit", {"pk": action.pk}), ("board:agenda_item_edit", {"pk": item.pk}),
        ("board:agenda_add_free", {"pk": upcoming.pk}), ("board:meeting_edit", {"pk": upcoming.pk}),
        ("board:decide", {"pk": AgendaItem.objects.filter(meeting=held, kind="idea").first().pk}),
        ("board:action_new", {"pk": held.pk}), ("board:calendar", {}),
    ]:
        page.goto(reverse(name, kwargs=kwargs))
        audit.check()
    page.goto(reverse("board:decisions") + "?q=sign-on&outcome=approve_with_conditions")
    assert "1 decision" in page.content()
    audit.check()
    page.goto(reverse("board:decisions") + "?date_from_0=31&date_from_1=2&date_from_2=2026")
    assert "must be a real date" in page.locator(".govuk-error-summary").inner_text()
    expect(page).to_have_title(re.compile(r"^Error: "))
    audit.check()
    page.goto(reverse("board:agenda_add_free", kwargs={"pk": upcoming.pk}))
    page.get_by_role("button", name="Add item").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check()
    page.goto(reverse("board:calendar"))
    page.get_by_role("button", name="Create my calendar address").click()
    assert page.get_by_label("Your calendar address").input_value().endswith(".ics")
    audit.check()
    _sign_out(page)

    sign_in(page, "board@harrow.example")
    for name, kwargs in [("board:meetings", {}), ("board:meeting", {"pk": upcoming.pk}),
                         ("board:apologies", {"pk": upcoming.pk}), ("board:minutes", {"pk": held.pk})]:
        page.goto(reverse(name, kwargs=kwargs))
        audit.check()
    page.goto(reverse("board:apologies", kwargs={"pk": upcoming.pk}))
    page.get_by_label("Reason (optional)").fill("On leave")
    page.get_by_role("button", name="Send apologies").click()
    assert "You have sent apologies" in page.content()
    audit.check()
    _sign_out(page)

    sign_in(page, "finance.reviewer@harrow.example")
    for name, kwargs in [("board:actions", {}), ("board:action_edit", {"pk": action.pk}), ("board:decisions", {})]:
        page.goto(reverse(name, kwargs=kwargs))
        audit.check()
    assert "Chatbot for council tax questions" in page.content()
    audit.done()
