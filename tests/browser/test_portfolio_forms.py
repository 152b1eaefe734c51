"""In Chromium: the portfolio's filter forms and an owner's delivery update and realised
benefits, each pressed through its own button and checked where it lands (tests/form_registry.py)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import axe_violations, sign_in
from tests.browser.form_tracker import submit_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filters_and_an_owners_delivery_update_and_benefits(page):
    from ideas.models import Idea
    from portfolio.models import BenefitRecord, DeliveryUpdate

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    idea = Idea.objects.select_related("owner").get(title="Route optimisation for waste collection")
    problems: list[str] = []
    sign_in(page, "board@harrow.example")

    page.goto(reverse("portfolio:systems"))
    page.get_by_label("Rank systems by").select_option(index=1)
    submit_form(page, "systems_sort")
    assert "sort=" in page.url

    page.goto(reverse("portfolio:data_outputs"))
    page.locator("form[data-form='data_outputs_filter'] input[name=q]").fill("ward")
    submit_form(page, "data_outputs_filter")
    assert "q=ward" in page.url

    page.goto(reverse("portfolio:export"))
    page.get_by_text("Change the filters").click()
    page.locator("form[data-form='export_filter'] input[name=q]").fill("sensors")
    submit_form(page, "export_filter")
    assert "q=sensors" in page.url
    problems += axe_violations(page)

    submit_form(page, "sign_out")
    sign_in(page, idea.owner.email)
    updates = DeliveryUpdate.objects.filter(idea=idea).count()
    page.goto(reverse("portfolio:delivery_update_add", kwargs={"pk": idea.pk}))
    page.locator("form[data-form='delivery_update'] input[type=radio]").first.check()
    page.get_by_label("Percent complete").fill("70")
    page.get_by_label("What has happened since the last update?").fill("The tracking feed is fixed.")
    submit_form(page, "delivery_update")
    assert DeliveryUpdate.objects.filter(idea=idea).count() == updates + 1

    benefits = BenefitRecord.objects.filter(idea=idea).count()
    page.goto(reverse("portfolio:benefit_add", kwargs={"pk": idea.pk}))
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Cash saved or earned, in pounds").fill("5000")
    submit_form(page, "benefit")
    assert BenefitRecord.objects.filter(idea=idea).count() == benefits + 1
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
