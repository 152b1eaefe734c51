"""In Chromium: an officer reads the data register and a department's "data coming your way", then says
her idea needs a data platform's output through the find and add forms (a bad reference first) and
removes it, each form pressed through its own button (tests/form_registry.py); every page axe-clean."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, sign_in
from tests.browser.form_tracker import submit_form
from tests.factories import PASSWORD, make_idea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_reads_the_data_pages_and_declares_a_data_need(page, people, other_department):
    from ideas.models import DataDependency, DataOutput

    platform = make_idea(people["officer_other"], at="triage", title="Cross-department data platform")
    output = DataOutput.objects.create(idea=platform, description="Resident records joined across services")
    output.valued_by.set([other_department])
    other_department.data_contacts.add(people["officer_other"])
    needing = make_idea(people["officer"], at="triage", title="Falls prevention")
    problems: list[str] = []

    sign_in(page, people["officer"].email, PASSWORD)
    page.goto(reverse("portfolio:data_outputs"))
    assert page.get_by_text("Resident records joined across services").is_visible()
    problems += axe_violations(page)
    page.goto(reverse("portfolio:department_data", kwargs={"slug": other_department.slug}))
    assert page.locator("#data-coming").is_visible()
    assert page.get_by_role("link", name="Cross-department data platform").first.is_visible()
    problems += axe_violations(page)
    page.goto(reverse("portfolio:data_matrix"))
    problems += axe_violations(page)

    page.goto(reverse("ideas:data_needs", kwargs={"pk": needing.pk}))
    problems += axe_violations(page)
    page.get_by_label("Reference of the idea whose data you need").fill(needing.reference)
    submit_form(page, "data_need_find")  # a GET form: it lands on its own page, here with the error
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.get_by_label("Reference of the idea whose data you need").input_value() == needing.reference
    problems += axe_violations(page)
    page.get_by_label("Reference of the idea whose data you need").fill(platform.reference)
    submit_form(page, "data_need_find")

    submit_form(page, "data_need_add", errors=True)  # nothing chosen: errors, nothing saved
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert not DataDependency.objects.exists()
    problems += axe_violations(page)
    page.get_by_label("Resident records joined across services").check()
    page.get_by_label("What does your idea need from it?").fill("Addresses of frail residents")
    submit_form(page, "data_need_add")
    assert DataDependency.objects.get().need == "Addresses of frail residents"
    assert page.locator(".govuk-notification-banner").is_visible()
    problems += axe_violations(page)

    page.goto(platform.get_absolute_url())
    assert page.locator("#data-needs").is_visible()
    problems += axe_violations(page)

    page.goto(reverse("ideas:data_needs", kwargs={"pk": needing.pk}))
    submit_form(page, "data_need_remove")
    assert not DataDependency.objects.exists()
    assert not problems, "\n".join(problems)
