"""In Chromium: a Housing officer drafts "falls sensors" while an Adult Social Care falls idea exists.

While she types, the overlap appears with why it matched and whom to contact (a mailto
link); from it she asks to join ("We are working on this too"). Every page is axe-clean.
"""

from __future__ import annotations

import re

import pytest

from ideas.models import CentralSystem, DataOutput, IdeaCentralSystem, JoinRequest
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, DepartmentFactory, UserFactory, make_idea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_housing_officer_drafting_falls_sensors_meets_the_social_care_falls_idea(page):
    housing = DepartmentFactory(name="Housing")
    social_care = DepartmentFactory(name="Adult Social Care")
    hana = UserFactory(email="hana.housing@harrow.example", full_name="Hana Housing", department=housing)
    sam = UserFactory(email="sam.socialcare@harrow.example", full_name="Sam Social", department=social_care)
    theirs = make_idea(
        sam,
        at="triage",
        title="Telecare falls detectors for older people living alone",
        problem="Older people who fall at home lie undiscovered for hours.",
        departments=[social_care],
    )
    system = CentralSystem.objects.get_or_create(name="Social care case management")[0]
    IdeaCentralSystem.objects.create(idea=theirs, system=system)
    output = DataOutput.objects.create(idea=theirs, description="Falls incidents by address")
    output.valued_by.set([housing])
    mine = make_idea(
        hana,
        at="triage",
        title="Falls sensors pilot in sheltered housing blocks",
        problem="Tenants who fall in sheltered flats are found late by scheme managers.",
    )
    IdeaCentralSystem.objects.create(idea=mine, system=system)
    problems = []

    sign_in(page, hana.email, PASSWORD)
    page.goto("/ideas/new/")
    page.get_by_label("Title").fill("Falls sensors in sheltered housing")
    page.get_by_label("The problem and who has it").fill("Older tenants who fall in their flats are found late.")
    panel = page.locator("#similar-ideas")
    item = panel.locator(f'[data-overlap="{theirs.pk}"]')
    item.wait_for()
    assert item.get_by_text(re.compile("Both mention falls")).is_visible()
    assert item.get_by_text("“sensors” in yours, “detectors” in theirs").is_visible()
    assert "Sam Social, Adult Social Care" in item.inner_text()
    mail = item.get_by_role("link", name=sam.email)
    assert mail.get_attribute("href").startswith(f"mailto:{sam.email}?subject=")
    # Her own overlapping idea is marked, with no contact or join link.
    own = panel.locator(f'[data-overlap="{mine.pk}"]')
    assert own.get_by_text("Your idea").is_visible()
    assert own.get_by_role("link", name=re.compile("We are working on this too")).count() == 0
    problems += axe_violations(page)

    # From the overlap: "We are working on this too" (opens in a new tab while drafting).
    join = item.get_by_role("link", name=re.compile("We are working on this too"))
    with page.context.expect_page() as opened:
        join.click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.get_by_role("heading", name="We are working on this too").is_visible()
    problems += axe_violations(tab)
    tab.get_by_label("Your message to the owners").fill("Housing is piloting falls sensors in sheltered blocks too.")
    tab.get_by_role("button", name="Send request").click()
    tab.wait_for_url(re.compile(rf"/ideas/{theirs.pk}/"))
    assert JoinRequest.objects.filter(idea=theirs, requester=hana, status=JoinRequest.Status.PENDING).exists()

    # The idea page shows the overlap too, with its reasons (her saved idea's words).
    tab.goto(f"/ideas/{mine.pk}/")
    overlap = tab.locator(f'#similar ~ ul [data-overlap="{theirs.pk}"]')
    overlap.wait_for()
    assert overlap.get_by_text("Both integrate with Social care case management").is_visible()
    problems += axe_violations(tab)
    assert problems == []
