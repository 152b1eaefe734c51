"""In Chromium: an admin sets the name a councillor is known by through Django admin's own Save button,
and the councillor's home page greets them by it."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from harrow_innovation.people.models import User
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_sets_known_as_and_the_councillor_is_greeted_by_it(page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    councillor = User.objects.get(email="board@harrow.example")
    assert councillor.full_name.startswith("Cllr ")

    sign_in(page, "admin@harrow.example")
    page.goto(f"/admin/people/user/{councillor.pk}/change/")
    known_as = page.get_by_label("Known as")
    assert known_as.input_value() == "David"  # seed_demo fills it for councillors
    known_as.fill("Dave")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/people/user/(\?.*)?$"))
    assert page.locator(".messagelist .success").is_visible()
    councillor.refresh_from_db()
    assert councillor.known_as == "Dave"

    page.get_by_role("button", name=re.compile("Log out|Sign out")).first.click()
    sign_in(page, "board@harrow.example")
    expect(page.get_by_role("heading", name="Hello, Dave")).to_be_visible()
    assert not page.get_by_text("Hello, Cllr").count()
