"""In Chromium: the character count on a long answer, the server's refusal past it, and the 503 and 413 pages."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from harrow_innovation.core.middleware import render_without_database, service_unavailable
from harrow_innovation.core.text import LONG_TEXT_MAX
from ideas.models import Idea
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_character_count_counts_and_the_server_refuses_an_answer_past_the_limit(page):
    officer = UserFactory(email="counting.officer@harrow.example")
    sign_in(page, officer.email, PASSWORD)
    page.goto("/ideas/new/")
    problem = page.get_by_label("The problem and who has it")
    # GOV.UK Frontend's CharacterCount, started by initAll in app.js, replaces the static hint.
    counter = page.locator(".govuk-character-count__status")
    counter.wait_for()
    assert counter.inner_text() == f"You have {LONG_TEXT_MAX:,} characters remaining"
    page.get_by_label("Title").fill("Sensors in council flats")
    problem.fill("x" * (LONG_TEXT_MAX + 1))
    page.wait_for_function(
        "() => document.querySelector('.govuk-character-count__status').textContent.includes('too many')")
    assert counter.inner_text() == "You have 1 character too many"
    assert axe_violations(page) == []

    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert "The problem must be 5,000 characters or fewer" in summary.inner_text()
    assert page.get_by_label("Title").input_value() == "Sensors in council flats"  # what was typed is kept
    assert len(problem.input_value()) == LONG_TEXT_MAX + 1
    assert not Idea.objects.exists()
    assert axe_violations(page) == []
    assert page.console_errors == []


@pytest.mark.parametrize("which", ["503", "413"])
def test_the_unavailable_and_too_large_pages_pass_axe(page, which):
    # Shown as the browser would get them, with the service's own styles, from a page that never
    # touches the database: fulfilled in place of the start page.
    request = RequestFactory().get("/")
    request.csp_nonce = "test-nonce"
    if which == "503":
        response = service_unavailable(request)
    else:
        response = render_without_database(request, "errors/413.html", status=413,
                                           context={"attachment_limit": "10.0 MB"})
    page.route("**/", lambda route: route.fulfill(status=response.status_code, body=response.content,
                                                 content_type="text/html; charset=utf-8"))
    page.goto("/")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == {"503": "Sorry, the service is unavailable", "413": "What you sent is too large"}[which]
    assert axe_violations(page) == []
