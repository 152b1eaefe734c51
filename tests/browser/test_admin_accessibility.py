"""Django's admin passes the same axe checks as the service's own pages (WCAG 2.2 A/AA).

Admins reach it from their home page ("Manage the service"). Every registered model's
list, "add" page and the "change" page of one of its objects (from the shared test world)
are opened in Chromium; templates/admin/base_site.html adds the fixes
(static/admin-extra/): bigger filter links, underlined links in text, and names for the
controls Django draws without a label.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from harrow_innovation.people.roles import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, UserFactory
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        try:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        except NoReverseMatch:
            pass
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
    return urls


def test_every_admin_list_add_and_change_page_is_axe_clean(page, people):
    build_world(people)
    UserFactory(email="root@harrow.example", roles=[Role.ADMIN], is_staff=True, is_superuser=True)
    sign_in(page, "root@harrow.example", PASSWORD)
    problems = []
    urls = admin_urls()
    for url in urls:
        response = page.goto(url)
        if response.status == 403:  # an "add" page for a model only the service creates
            continue
        assert response.status == 200, url
        page.wait_for_load_state("load")
        problems += axe_violations(page)
    assert len(urls) > 40
    assert not problems, "\n".join(problems)


def test_an_unlabelled_admin_control_is_caught(page, people):
    """The check above can fail: the same page without the fixes has violations."""
    UserFactory(email="root@harrow.example", roles=[Role.ADMIN], is_staff=True, is_superuser=True)
    sign_in(page, "root@harrow.example", PASSWORD)
    page.route("**/admin-extra/accessible.*", lambda route: route.fulfill(status=200, body=""))
    page.goto(reverse("admin:ideas_criterion_changelist"))
    assert axe_violations(page)
