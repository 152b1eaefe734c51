"""In a real browser: the header's unread count, marking notifications read, and preferences by keyboard."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICER = "officer@harrow.example"


def seed_with_notices(titles: list[str]):
    from harrow_innovation.people.models import User
    from notifications.models import Notification
    from notifications.services import Notice, notify

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    officer = User.objects.get(email=OFFICER)
    Notification.objects.filter(recipient=officer).update(read_at=timezone.now())  # start from none unread
    notify(
        [Notice(kind="stage_changed", recipient_id=officer.pk, object_type="ideas.idea", object_id=n,
                due_date=timezone.localdate(), title=title, url="/home/", body="It moved on.")
         for n, title in enumerate(titles)],
        send=False,
    )
    return officer


def badge(page) -> str:
    return " ".join(page.locator(".govuk-service-navigation__list a", has_text="Notifications").inner_text().split())


def test_the_header_shows_the_unread_count_and_the_list_marks_items_read(page):
    seed_with_notices(["Your idea is now at Triage", "Your idea is now at Business case review", "A third notice"])
    sign_in(page, OFFICER)
    assert page.get_by_role("link", name="Notifications 3 unread").is_visible()
    problems = axe_violations(page)

    page.get_by_role("link", name="Notifications 3 unread").click()
    page.wait_for_url("**/notifications/")
    assert page.locator("#unread-summary").inner_text() == "You have 3 unread notifications."
    problems += axe_violations(page)

    page.get_by_role("button", name="Mark as read (“Your idea is now at Triage”)").click()
    page.wait_for_url("**/notifications/")
    assert badge(page) == "Notifications 2 unread"
    assert page.locator(".govuk-tag", has_text="Unread").count() == 2
    assert page.get_by_role("button", name="Mark as read (“Your idea is now at Triage”)").count() == 0

    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_url("**/notifications/")
    assert page.get_by_text("2 notifications marked as read.").is_visible()
    assert badge(page) == "Notifications"
    assert page.locator("#unread-summary").inner_text() == "You have no unread notifications."
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
    assert not page.console_errors, page.console_errors


def test_the_preferences_page_works_by_keyboard(page):
    from notifications.models import Preference

    officer = seed_with_notices([])
    sign_in(page, OFFICER)
    page.goto("/notifications/preferences/")
    problems = axe_violations(page)
    first = page.get_by_role("group", name="When an idea you own or follow moves to a new stage")
    first.get_by_label("Immediately").focus()
    page.keyboard.press("ArrowRight")  # moves the choice to "In a daily digest"
    assert first.get_by_label("In a daily digest").is_checked()
    for _ in range(40):  # Tab through the other groups to the button
        page.keyboard.press("Tab")
        if page.evaluate("(document.activeElement.value || document.activeElement.textContent).trim()") == "Save preferences":
            break
    else:
        raise AssertionError("the Save button cannot be reached by keyboard")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Your notification preferences have been saved.").is_visible()
    assert page.get_by_role("group", name="When an idea you own or follow moves to a new stage").get_by_label(
        "In a daily digest"
    ).is_checked()
    assert dict(Preference.objects.filter(user=officer).values_list("kind", "channel")) == {"stage_changed": "digest"}
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)


def test_the_unsubscribe_pages_pass_axe_without_signing_in(page):
    from notifications.tokens import make_token

    officer = seed_with_notices([])
    page.goto(f"/notifications/unsubscribe/{make_token(officer.pk, 'comment_added')}/")
    problems = axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Stop these emails").click()
    expect(page.get_by_role("heading", name="You have unsubscribed")).to_be_visible()
    problems += axe_violations(page)
    page.goto("/notifications/unsubscribe/not-a-token/")
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
