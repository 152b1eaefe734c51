"""In Chromium: the secretary finds two near-identical falls ideas grouped on the triage view and merges one
through the existing merge form (reached from the group); the review page and the Board paper list the
overlap. Every page checked with axe."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, sign_in
from tests.browser.form_tracker import submit_form
from tests.factories import PASSWORD, make_idea
from tests.world_extras.packs import make_pack_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretary_sees_a_cluster_of_two_falls_ideas_and_merges_one_from_it(page, people):
    from ideas import services
    from ideas.models import IdeaMerge

    officer, other, secretary = people["officer"], people["officer_other"], people["secretary"]
    falls = {"problem": "Older people who fall at home can lie for hours before anyone knows.",
             "solution": "Sensors that alert a carer when someone falls."}
    asc = make_idea(officer, at="submitted", title="Falls sensors for older people living alone", **falls)
    housing = make_idea(other, at="triage", title="Falls sensors for older residents living alone", **falls)
    make_idea(other, at="ready-for-board", title="Falls sensors in sheltered flats for older people", **falls)
    make_idea(other, at="submitted", title="Online forms for housing repairs", departments=[],
              problem="Tenants phone in every repair and wait on hold.", solution="Tenants report repairs online.")
    secret = make_idea(
        other, at="ready-for-board", title="Falls sensors for older people at night", is_confidential=True, **falls
    )
    for n in range(16):  # further on, on other subjects: "falls" and "sensors" are then words few ideas use
        make_idea(other, at="approved", title=f"Parking permit renewals, area {n}", departments=[],
                  problem="Drivers queue at the office to renew a parking permit.",
                  solution="Permits renewed through the council website.")
    problems: list[str] = []

    sign_in(page, secretary.email, PASSWORD)
    page.goto(reverse("ideas:waiting"))
    page.get_by_role("link", name="See them grouped with the ideas they overlap").click()
    expect(page).to_have_title(re.compile("^Triage: incoming ideas and their overlaps"))
    # Made directly, these ideas were never worked out: the page says so and asks for them once.
    expect(page.locator("#triage-unchecked")).to_contain_text("The overlaps of 3 ideas below are still being worked out")
    problems += axe_violations(page)
    page.reload()
    expect(page.locator("#triage-unchecked")).to_have_count(0)
    expect(page.locator("#triage-as-of")).to_contain_text("Overlaps as of")
    group = page.locator("section.app-triage-cluster")
    assert group.count() == 1
    heading = group.get_by_role("heading", level=3).inner_text()
    assert heading.startswith("Group 1: 2 incoming ideas")
    cards = group.locator(".govuk-summary-card__title").all_inner_texts()
    assert cards == [f"{asc.reference}: {asc.title}", f"{housing.reference}: {housing.title}"]
    assert "Both mention falls, sensors and older" in group.inner_text()
    assert "Online forms for housing repairs" in page.locator("main").inner_text()  # no overlap: listed apart
    problems += axe_violations(page)

    # The merge form is one click away, with the idea that carries on filled in.
    group.get_by_role("link", name=f"Merge {housing.reference} into {asc.reference}").click()
    expect(page.get_by_label("The idea that carries on")).to_have_value(asc.reference)
    page.get_by_label("Why they are being merged").fill("The same sensors for the same residents.")
    submit_form(page, "idea_merge")
    assert IdeaMerge.objects.filter(merged=housing, survivor=asc).exists()
    page.goto(reverse("ideas:triage"))
    assert housing.reference not in " ".join(page.locator(".govuk-summary-card__title").all_inner_texts())
    problems += axe_violations(page)
    submit_form(page, "sign_out")

    # The reviewer's page lists the overlaps (not the confidential idea).
    review = services.review_assign(idea_id=asc.pk, reviewer=people["reviewer"], by=secretary)
    sign_in(page, people["reviewer"].email, PASSWORD)
    page.goto(reverse("ideas:review", kwargs={"review_pk": review.pk}))
    section = page.locator("main").inner_text()
    assert "Overlapping and linked ideas" in section and "Falls sensors in sheltered flats for older people" in section
    assert secret.title not in section
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)


def test_the_board_paper_lists_overlapping_ideas(page, people):
    meeting = make_pack_meeting(people, ideas=1, free_items=0)
    make_idea(people["officer_other"], at="triage", title="Idea number 1 for the Board, from Housing")
    sign_in(page, people["board_member"].email, PASSWORD)
    page.goto(reverse("board:paper", kwargs={"pk": meeting.items.get().pk}))
    page.get_by_role("heading", name="Overlapping and linked ideas").wait_for()
    assert "Idea number 1 for the Board, from Housing" in page.locator("main").inner_text()
    problems = axe_violations(page)
    assert not problems, "\n".join(problems)
