"""A real browser: the demo officer searches and filters the idea list, opens an idea, comments and follows it.

Every page visited, including its error states, has zero axe violations; the
filter form works with the keyboard alone.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ideas.models import Comment, Follow, Idea
from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed with the process


def result_titles(page) -> list[str]:
    return [t.strip() for t in page.locator("table.app-idea-table tbody a.govuk-link").all_inner_texts()]


def focus_by_tab(page, matches, *, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies ``matches`` (a JS predicate on document.activeElement)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {matches})(document.activeElement)"):
            return
    raise AssertionError(f"Never reached an element where {matches}")


def test_officer_searches_filters_opens_comments_and_follows(page, demo):
    problems: list[str] = []
    sign_in(page, "officer@harrow.example")

    page.goto("/ideas/")
    assert page.get_by_role("heading", name="Ideas", level=1).is_visible()
    problems += axe_violations(page)

    # Search
    page.get_by_label("Search ideas").fill("sensors")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r".*q=sensors.*"))
    titles = result_titles(page)
    assert "Smart sensors for street lighting" in titles
    assert "Sensors to prevent falls for people living alone" in titles
    assert "Chatbot for council tax questions" not in titles
    assert page.get_by_label("Search ideas").input_value() == "sensors"
    problems += axe_violations(page)

    # Filter by stage, then sort
    page.get_by_text("Stage", exact=True).first.click()  # open the details
    page.get_by_label("Ready for Board").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r".*stage=\d+.*"))
    titles = result_titles(page)
    assert titles and all(
        Idea.objects.get(title=t).stage.name == "Ready for Board" for t in titles
    ), titles
    assert page.get_by_label("Ready for Board").is_checked()
    page.get_by_label("Sort by").select_option(label="Title A to Z")
    page.get_by_role("button", name="Sort").click()
    page.wait_for_url(re.compile(r".*sort=title.*"))
    assert result_titles(page) == sorted(titles)
    problems += axe_violations(page)

    # A date that does not exist: an error summary, what was typed kept, no 500
    page.get_by_label("Day").first.fill("31")
    page.get_by_label("Month").first.fill("2")
    page.get_by_label("Year").first.fill("2024")
    page.get_by_role("button", name="Apply filters").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "must be a real date" in summary.inner_text()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert page.get_by_label("Day").first.input_value() == "31"
    problems += axe_violations(page)

    # Open an idea
    page.goto("/ideas/?q=street+lighting")
    page.get_by_role("link", name="Smart sensors for street lighting").click()
    page.wait_for_url(re.compile(r".*/ideas/\d+/$"))
    assert page.get_by_role("heading", name="Smart sensors for street lighting", level=1).is_visible()
    for section in ("Summary", "Business case", "Central systems", "Data outputs", "Reviews", "Overlapping ideas",
                    "Comments", "Timeline"):
        assert page.get_by_role("heading", name=section, exact=True).is_visible(), section
    problems += axe_violations(page)
    idea = Idea.objects.get(title="Smart sensors for street lighting")

    # An empty comment: the error, on the same page
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert "Enter a comment" in page.locator(".govuk-error-summary").inner_text()
    problems += axe_violations(page)

    # Comment
    page.get_by_label("Add a comment").fill("Adult Social Care could use the footfall data for falls prevention.")
    page.get_by_role("button", name="Add comment").click()
    page.wait_for_url(re.compile(r".*/ideas/\d+/#comments$"))
    assert page.get_by_text("Your comment has been added.").is_visible()
    assert page.get_by_text("Adult Social Care could use the footfall data for falls prevention.").first.is_visible()
    assert Comment.objects.filter(idea=idea, body__startswith="Adult Social Care could use").count() == 1
    problems += axe_violations(page)

    # Follow, then stop
    page.get_by_role("button", name="Follow this idea").click()
    assert page.get_by_text("You are following this idea.").first.is_visible()
    assert Follow.objects.filter(idea=idea, user__email="officer@harrow.example").exists()
    problems += axe_violations(page)
    page.get_by_role("button", name="Stop following").click()
    assert page.get_by_text("You have stopped following this idea.").is_visible()
    assert not Follow.objects.filter(idea=idea, user__email="officer@harrow.example").exists()

    # My ideas and waiting for me
    for path in ("/ideas/mine/", "/ideas/waiting/"):
        page.goto(path)
        problems += axe_violations(page)

    assert not problems, "\n".join(problems)
    assert not page.console_errors, page.console_errors


def test_the_filter_form_works_with_the_keyboard_alone(page, demo):
    sign_in(page, "officer@harrow.example")
    page.goto("/ideas/")
    page.get_by_label("Search ideas").focus()
    page.keyboard.type("sensors")
    # Open the stage filter from the keyboard, tick a stage with the space bar, apply with Enter.
    focus_by_tab(page, "el.tagName === 'SUMMARY' && el.textContent.trim().startsWith('Stage')")
    page.keyboard.press("Enter")
    focus_by_tab(page, "el.type === 'checkbox' && el.labels[0].textContent.trim() === 'Ready for Board'")
    page.keyboard.press("Space")
    focus_by_tab(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Apply filters'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*stage=\d+.*"))
    assert "q=sensors" in page.url
    assert set(result_titles(page)) == {"Smart sensors for street lighting",
                                        "Sensors to prevent falls for people living alone"}
    # The sort control too: focus it, pick with the arrow keys, submit with its button.
    focus_by_tab(page, "el.id === 'id_sort'")
    page.keyboard.press("ArrowDown")  # Oldest first
    focus_by_tab(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Sort'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*sort=oldest.*"))
    assert page.get_by_label("Ready for Board").is_checked()
    # The results and the pagination are reachable by keyboard: the first result link takes focus.
    focus_by_tab(page, "el.tagName === 'A' && el.closest('table') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/ideas/\d+/$"))
    assert not axe_violations(page)
