"""Every URL in the project, checked for every role.

A new URL without an entry in tests/permission_matrix.py fails this test.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permission_matrix import ADMIN_URLS, LOGIN, MATRIX, ROLES


def named_urls(patterns=None, namespace=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            child = f"{namespace}{ns}:" if ns else namespace
            yield from named_urls(entry.url_patterns, child)
        elif isinstance(entry, URLPattern):
            if entry.name:
                yield f"{namespace}{entry.name}"
            else:
                yield f"{namespace}<unnamed {entry.pattern}>"


def test_every_url_has_expectations_for_every_role():
    names = set(named_urls())
    unnamed = sorted(n for n in names if "<unnamed" in n and not n.startswith("admin:"))
    assert not unnamed, f"URL patterns without a name cannot be checked: {unnamed}"
    missing = sorted(n for n in names if not n.startswith("admin:") and n not in MATRIX)
    assert not missing, f"Add these URLs to tests/permission_matrix.py: {missing}"
    stale = sorted(n for n in MATRIX if n not in names)
    assert not stale, f"tests/permission_matrix.py names URLs that no longer exist: {stale}"
    for name, case in {**MATRIX, **ADMIN_URLS}.items():
        assert set(case.expect) == set(ROLES), f"{name} lacks expectations for {set(ROLES) - set(case.expect)}"


def cache_directives(response) -> set[str]:
    return {d.strip().split("=")[0].lower() for d in response.get("Cache-Control", "").split(",") if d.strip()}


@pytest.fixture
def world(people):
    """Objects the URLs point at. Later capabilities extend this."""
    from tests.world import build_world

    return build_world(people)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted({**MATRIX, **ADMIN_URLS}))
def test_url_answers_each_role_as_expected(name, people, world):
    case = {**MATRIX, **ADMIN_URLS}[name]
    url = reverse(name, kwargs=case.kwargs(world))
    failures = []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(people[role])
        data = case.data(world) if case.data else {}
        response = getattr(client, case.method)(url, data)
        expected = case.expect[role]
        if expected == LOGIN:
            ok = response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
        else:
            ok = response.status_code == expected
        if not ok:
            where = f" -> {response['Location']}" if response.status_code in (301, 302) else ""
            failures.append(f"{role}: expected {expected}, got {response.status_code}{where}")
        # Whatever the answer (page, download, redirect, refusal), no browser or proxy may keep it.
        if not {"no-store", "private"} <= cache_directives(response):
            failures.append(f"{role}: Cache-Control is {response.get('Cache-Control')!r}, not no-store and private")
    assert not failures, f"{case.method.upper()} {url}\n" + "\n".join(failures)
