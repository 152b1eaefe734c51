"""Issue 3's whole journey in Chromium, one person after another:

the officer drafts, leaves, comes back, finishes and submits an idea with an
attachment and a central system; the secretary triages it and assigns a
reviewer; the reviewer scores it; the secretary moves it to Ready for Board.
Every page visited has zero axe violations.
"""

from __future__ import annotations

import re

import pytest

from ideas.models import Idea, Review, StageChange
from tests.browser.conftest import axe_violations, sign_in
from tests.browser.test_drafting import TITLE
from tests.browser.test_drafting import (
    test_officer_drafts_leaves_returns_finishes_and_submits_an_idea as officer_submits,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")


def take_move(page, label: str, problems: list[str]) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()
    problems += axe_violations(page)


def test_an_idea_goes_from_an_officers_draft_to_ready_for_board(page, tmp_path):
    officer_submits(page, tmp_path)  # the officer's part, with its own checks and axe on every page
    idea = Idea.objects.get(title=TITLE)
    problems: list[str] = []
    sign_out(page)

    # The secretary triages it and sends it to business case review.
    sign_in(page, "secretary@harrow.example")
    page.goto(f"/ideas/{idea.pk}/")
    problems += axe_violations(page)
    take_move(page, "Start triage", problems)
    assert Idea.objects.get(pk=idea.pk).stage.slug == "triage"
    take_move(page, "Send to business case review", problems)
    assert Idea.objects.get(pk=idea.pk).stage.slug == "business-case-review"
    # "Mark ready for Board" is blocked until a review is complete, and says why.
    assert page.get_by_text("Not possible yet.").first.is_visible()

    page.get_by_role("link", name="Assign reviewers").click()
    page.wait_for_url(f"**/ideas/{idea.pk}/reviewers/")
    problems += axe_violations(page)
    page.get_by_label("Reviewer").select_option(label="Tom Okafor (Head of Digital, Resources and Finance)")
    page.get_by_role("button", name="Assign reviewer").click()
    page.wait_for_load_state()
    assert "Tom Okafor has been asked to review" in page.locator(".govuk-notification-banner").inner_text()
    problems += axe_violations(page)
    sign_out(page)

    # The reviewer scores it.
    sign_in(page, "reviewer@harrow.example")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reviews").click()
    page.wait_for_url("**/ideas/reviews/")
    problems += axe_violations(page)
    page.get_by_role("link", name=re.compile(rf"^Review\W+{TITLE}$")).click()
    review = Review.objects.get(idea=idea, reviewer__email="reviewer@harrow.example")
    page.wait_for_url(f"**/ideas/reviews/{review.pk}/")
    problems += axe_violations(page)
    for group in page.locator("fieldset:has(input[name^='score_'])").all():
        group.locator("input[value='4']").check()
    page.locator("input[name='recommendation'][value='proceed']").check()
    page.get_by_label(re.compile("comment", re.I)).fill("A strong case; the integration cost is credible.")
    page.get_by_role("button", name="Submit review").click()
    page.wait_for_url("**/ideas/reviews/")
    problems += axe_violations(page)
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED
    assert str(review.weighted_score) == "4.00"
    sign_out(page)

    # The secretary moves it to Ready for Board; the idea page shows the review and the timeline.
    sign_in(page, "secretary@harrow.example")
    page.goto(f"/ideas/{idea.pk}/")
    take_move(page, "Mark ready for Board", problems)
    idea.refresh_from_db()
    assert idea.stage.slug == "ready-for-board"
    assert idea.weighted_score is not None and str(idea.weighted_score) == "4.00"
    moves = list(StageChange.objects.filter(idea=idea).order_by("at").values_list("to_stage__slug", flat=True))
    assert moves == ["submitted", "triage", "business-case-review", "ready-for-board"]
    timeline = page.locator("#timeline").locator("xpath=..").inner_text()
    assert "Mark ready for Board" in timeline
    assert "reviewed it" in timeline

    assert not problems, "\n".join(problems)
    assert not page.console_errors, page.console_errors
