from __future__ import annotations

import os

import pytest

from harrow_innovation.people.roles import Role
from tests.factories import DepartmentFactory, UserFactory

# Playwright's sync API runs an event loop in this thread; Django's async-safety
# check would otherwise refuse ORM calls made from the live-server tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ideas' numbers repeat between tests, and the idea
    page reuses its overlaps ranking for a few minutes (``overlaps_page.overlaps_for_idea_page``)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def department(db):
    return DepartmentFactory(name="Adult Social Care")


@pytest.fixture
def other_department(db):
    return DepartmentFactory(name="Housing")


@pytest.fixture
def people(db, department, other_department):
    """One user per role the permission rules tell apart."""
    return {
        "officer": UserFactory(full_name="Olive Officer", department=department, roles=[Role.OFFICER]),
        "officer_other": UserFactory(full_name="Otto Other", department=other_department, roles=[Role.OFFICER]),
        "reviewer": UserFactory(full_name="Rita Reviewer", department=other_department, roles=[Role.OFFICER, Role.REVIEWER]),
        "secretary": UserFactory(full_name="Sid Secretary", department=department, roles=[Role.OFFICER, Role.SECRETARY]),
        "board_member": UserFactory(full_name="Cllr Bea Board", department=other_department, roles=[Role.BOARD_MEMBER]),
        "admin": UserFactory(full_name="Ada Admin", department=department, roles=[Role.ADMIN], is_staff=True, is_superuser=True),
    }
