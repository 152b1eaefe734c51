"""In Chromium: a person who forgot their password asks for a link and sets a new one, both
through the forms' own buttons, checked where they land (tests/form_registry.py)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import axe_violations, sign_in
from tests.browser.form_tracker import submit_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_password_reset_from_request_to_signing_in_with_the_new_password(page, people, mailoutbox):
    officer = people["officer"]
    page.goto("/accounts/password-reset/")
    page.get_by_label("Email address").fill(officer.email)
    submit_form(page, "password_reset")
    assert len(mailoutbox) == 1
    link = re.search(r"/accounts/password-reset/\S+/", mailoutbox[0].body).group(0)

    page.goto(link)
    page.locator("input[name=new_password1]").fill("a-brand-new-long-passphrase")
    page.locator("input[name=new_password2]").fill("a-brand-new-long-passphrase")
    problems = axe_violations(page)
    submit_form(page, "password_set")
    problems += axe_violations(page)
    sign_in(page, officer.email, "a-brand-new-long-passphrase")
    assert not problems, "\n".join(problems)
