"""The form tracker in a real browser: it catches the minutes form that posted to its own,
read-only page (the HTTP 405 that tests posting straight to the approve URL missed)."""

from __future__ import annotations

import pytest

from tests.browser.form_tracker import SUBMITTED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The minutes page as it was: the approval form had no action.
BROKEN_PAGE = """<!doctype html><html lang="en"><head><title>Minutes</title></head><body><main>
<form data-form="minutes_approve" method="post" novalidate>
  <button type="submit">Record minutes as approved</button>
</form></main></body></html>"""


def test_a_form_that_posts_to_the_wrong_page_is_reported_and_not_counted(page):
    def serve_old_page(route):
        if route.request.method == "GET":
            route.fulfill(status=200, content_type="text/html", body=BROKEN_PAGE)
        else:
            route.continue_()

    page.route("**/board/meetings/1/minutes/", serve_old_page)
    page.goto("/board/meetings/1/minutes/")
    was_covered = "minutes_approve" in SUBMITTED
    page.get_by_role("button", name="Record minutes as approved").click()
    page.wait_for_load_state("load")
    failures = list(page.form_tracker.failures)
    page.form_tracker.failures.clear()  # reported here, so the fixture's own check stays quiet
    assert len(failures) == 1, failures
    assert "form 'minutes_approve' sent POST /board/meetings/1/minutes/ (board:minutes)" in failures[0]
    assert "must go to ['board:minutes_approve']" in failures[0]
    assert ("minutes_approve" in SUBMITTED) is was_covered


def test_pressing_enter_in_a_field_counts_as_the_forms_own_button_but_a_goto_does_not(page, people):
    from tests.factories import PASSWORD

    page.goto("/accounts/sign-in/?next=/home/")
    landings = page.form_tracker.landings
    assert landings == []
    page.get_by_label("Email address").fill(people["officer"].email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url("**/home/")
    page.goto("/ideas/?q=anything")  # the filter form's URL, typed: not a submission
    assert landings == [("sign_in", True)]
