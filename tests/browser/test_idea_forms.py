"""In Chromium: the drafting "Remove" buttons, cancelling a review and the ranking filter,
each pressed through its own button and checked where it lands (tests/form_registry.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_violations, sign_in
from tests.browser.form_tracker import submit_form
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_removes_each_kind_of_item_and_secretary_cancels_a_review_and_filters_the_ranking(page, people):
    from ideas.models import Attachment, DataOutput, IdeaCentralSystem, Review
    from tests.world import build_world

    world = build_world(people)
    draft = world["drafting_draft"]
    problems: list[str] = []

    sign_in(page, people["officer"].email, PASSWORD)
    for section, name in [("central-systems", "draft_system_remove"), ("data-outputs", "draft_data_output_remove"),
                          ("attachments", "draft_attachment_remove"), ("people", "draft_co_owner_remove")]:
        page.goto(reverse("ideas:edit_section", kwargs={"pk": draft.pk, "section": section}))
        problems += axe_violations(page)
        submit_form(page, name)
        assert page.locator(".govuk-notification-banner").is_visible()
    assert not IdeaCentralSystem.objects.filter(idea=draft).exists()
    assert not DataOutput.objects.filter(idea=draft).exists()
    assert not Attachment.objects.filter(idea=draft, is_removed=False).exists()
    assert not draft.co_owners.exists()
    submit_form(page, "sign_out")

    sign_in(page, people["secretary"].email, PASSWORD)
    review = world["reviewing_open_review"]
    page.goto(reverse("ideas:assign_reviewers", kwargs={"pk": review.idea_id}))
    submit_form(page, "review_cancel", within=page.locator(f"tr:has-text('{review.reviewer.full_name}')"))
    review.refresh_from_db()
    assert review.status == Review.Status.CANCELLED
    page.goto(reverse("ideas:ranked"))
    stage = page.locator("form[data-form='ranking_filter'] input[name=stage]").first
    stage.check()
    submit_form(page, "ranking_filter")
    assert "stage=" in page.url
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
