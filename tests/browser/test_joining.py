"""In Chromium: "We are working on this too", answering it, linking, removing a link and merging a duplicate,
each form pressed through its own button (tests/form_registry.py), every page checked with axe."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, sign_in
from tests.browser.form_tracker import submit_form
from tests.factories import PASSWORD, make_idea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_join_link_and_merge_through_their_own_buttons(page, people):
    from ideas.models import Contributor, IdeaLink, IdeaMerge, JoinRequest

    officer, other, secretary = people["officer"], people["officer_other"], people["secretary"]
    falls = make_idea(officer, at="triage", title="Falls sensors for older residents")
    housing = make_idea(other, at="triage", title="Falls alerts in sheltered housing")
    problems: list[str] = []

    # A Housing officer asks to join Adult Social Care's idea.
    sign_in(page, other.email, PASSWORD)
    page.goto(reverse("ideas:detail", kwargs={"pk": falls.pk}))
    page.get_by_role("link", name="We are working on this too").click()
    problems += axe_violations(page)
    submit_form(page, "join_request", errors=True)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    problems += axe_violations(page)
    page.get_by_label("Your message to the owners").fill("Housing is piloting the same sensors.")
    submit_form(page, "join_request")
    assert JoinRequest.objects.filter(idea=falls, requester=other, status="pending").exists()
    problems += axe_violations(page)
    submit_form(page, "sign_out")

    # The owner accepts, then links the ideas and removes the link again.
    sign_in(page, officer.email, PASSWORD)
    page.goto(reverse("ideas:detail", kwargs={"pk": falls.pk}))
    page.get_by_role("link", name="Answer Otto Other").click()
    problems += axe_violations(page)
    page.get_by_label("Accept as a contributor").check()
    submit_form(page, "join_answer")
    assert Contributor.objects.filter(idea=falls, user=other).exists()
    page.get_by_role("link", name="Link this idea to another").click()
    problems += axe_violations(page)
    page.get_by_label("Related to the other idea").check()
    page.get_by_label("The other idea's reference").fill(housing.reference)
    submit_form(page, "idea_link_add")
    assert IdeaLink.objects.filter(from_idea=falls, to_idea=housing).exists()
    problems += axe_violations(page)
    submit_form(page, "idea_link_remove")
    assert not IdeaLink.objects.exists()
    submit_form(page, "sign_out")

    # The secretary merges the Housing duplicate into it.
    sign_in(page, secretary.email, PASSWORD)
    page.goto(reverse("ideas:detail", kwargs={"pk": housing.pk}))
    page.get_by_role("link", name="Merge this idea into another (duplicates)").click()
    problems += axe_violations(page)
    page.get_by_label("The idea that carries on").fill(falls.reference)
    page.get_by_label("Why they are being merged").fill("The same sensors for the same residents.")
    submit_form(page, "idea_merge")
    assert IdeaMerge.objects.filter(merged=housing, survivor=falls).exists()
    assert "Merged into this idea" in page.content()
    problems += axe_violations(page)
    page.goto(reverse("ideas:detail", kwargs={"pk": housing.pk}))
    assert "This idea was merged into" in page.content()
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
