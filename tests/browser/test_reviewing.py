"""In Chromium: the demo secretary assigns a reviewer, the demo reviewer scores the idea by keyboard.

Every page visited, including the pages showing errors, has zero axe violations.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IDEA = "Energy monitoring in council buildings"  # a demo idea in "Business case review"


def check(page, problems: list[str]) -> None:
    problems += axe_violations(page)


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")


def test_secretary_assigns_and_reviewer_scores_by_keyboard(page):
    from ideas.models import Criterion, Idea, Review

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    idea = Idea.objects.get(title=IDEA)
    assert idea.stage.name == "Business case review"
    criteria = list(Criterion.objects.filter(is_active=True))
    problems: list[str] = []

    # --- The secretary finds the idea in the ranking and assigns the demo reviewer ---------------
    sign_in(page, "secretary@harrow.example")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Ranking").click()
    page.wait_for_url("**/ideas/ranked/")
    check(page, problems)
    page.get_by_role("link", name=f"Reviewers for {IDEA}").click()
    page.wait_for_url(f"**/ideas/{idea.pk}/reviewers/")
    expect(page.get_by_role("heading", name="Assign reviewers")).to_be_visible()
    check(page, problems)

    # Nothing chosen: the error summary, and nothing changes.
    page.get_by_role("button", name="Assign reviewer").click()
    summary = page.locator(".govuk-error-summary")
    assert "Choose a reviewer" in summary.inner_text()
    expect(page).to_have_title(re.compile(r"^Error: "))
    check(page, problems)

    due = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("Reviewer").select_option(label="Tom Okafor (Head of Digital, Resources and Finance)")
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Assign reviewer").click()
    page.wait_for_url(f"**/ideas/{idea.pk}/reviewers/")
    assert "Tom Okafor has been asked to review" in page.locator(".govuk-notification-banner").inner_text()
    assert page.get_by_role("row", name=re.compile("Tom Okafor")).is_visible()
    check(page, problems)
    review = Review.objects.get(idea=idea, reviewer__email="reviewer@harrow.example")
    assert review.due_date == due
    sign_out(page)

    # --- The reviewer opens their queue and scores it, by keyboard alone -------------------------
    sign_in(page, "reviewer@harrow.example")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reviews").click()
    page.wait_for_url("**/ideas/reviews/")
    check(page, problems)
    link = page.get_by_role("link", name=re.compile(rf"^Review\W+{IDEA}$"))
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/ideas/reviews/{review.pk}/")
    assert page.get_by_text("Street lighting control").count() == 0  # this idea's own systems are shown instead
    assert page.get_by_text("Data warehouse").first.is_visible()
    check(page, problems)

    # Score the first two criteria only, then submit: the error summary keeps the scores chosen.
    first_radio = page.locator(f'input[name="score_{criteria[0].pk}"]').first
    first_radio.focus()
    page.keyboard.press("Space")  # 1
    for _ in range(4):
        page.keyboard.press("ArrowRight")  # 5
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the next group: 1
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # 3
    page.get_by_role("button", name="Submit review").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert f"Score “{criteria[2].name}” from 1 to 5" in summary.inner_text()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert page.locator(f'input[name="score_{criteria[0].pk}"][value="5"]').is_checked()
    assert page.locator(f'input[name="score_{criteria[1].pk}"][value="3"]').is_checked()
    check(page, problems)

    # The rest: Tab from a group with a choice moves to the next group.
    page.locator(f'input[name="score_{criteria[1].pk}"][value="3"]').focus()
    for _ in criteria[2:]:
        page.keyboard.press("Tab")
        page.keyboard.press("Space")  # 1
        for _ in range(3):
            page.keyboard.press("ArrowRight")  # 4
    page.keyboard.press("Tab")  # the recommendation
    page.keyboard.press("Space")  # "Take it forward"
    page.keyboard.press("Tab")  # the comment
    page.keyboard.type("Good data; confirm the warehouse costs with the system owner.")
    page.keyboard.press("Tab")
    assert page.evaluate("(document.activeElement.value || document.activeElement.textContent).trim()") == "Submit review"
    page.keyboard.press("Enter")
    page.wait_for_url("**/ideas/reviews/")
    assert f"Your review of “{IDEA}” has been sent" in page.locator(".govuk-notification-banner").inner_text()
    check(page, problems)

    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED
    expected = [5, 3] + [4] * (len(criteria) - 2)
    assert {s.criterion_id: s.score for s in review.scores.all()} == {c.pk: s for c, s in zip(criteria, expected, strict=True)}
    total = sum(s * c.weight for c, s in zip(criteria, expected, strict=True)) / sum(c.weight for c in criteria)
    assert review.weighted_score == Decimal(str(round(total, 2)))
    assert review.recommendation == "proceed"
    assert review.comment.startswith("Good data")

    # The finished review opens read-only.
    page.get_by_role("link", name=IDEA).first.click()
    page.wait_for_url(f"**/ideas/reviews/{review.pk}/")
    assert page.get_by_text("You have already submitted this review").is_visible()
    assert page.get_by_role("button", name="Submit review").count() == 0
    check(page, problems)

    assert not problems, "\n".join(problems)
    assert not page.console_errors, page.console_errors
