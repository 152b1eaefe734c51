"""Run only the portfolio's matrix fragment against a world with only the portfolio's extras (dev aid)."""

import pytest
from django.test import Client
from django.urls import reverse

import tests.permission_matrix as permission_matrix  # loads every fragment first (no import cycle)

MATRIX = {name: case for name, case in permission_matrix.MATRIX.items() if name.split(":")[0] in ("portfolio", "api")}
LOGIN, ROLES = permission_matrix.LOGIN, permission_matrix.ROLES


@pytest.fixture
def pworld(people, monkeypatch):
    import tests.world_extras as extras
    from tests.world import build_world
    from tests.world_extras import portfolio

    monkeypatch.setattr(extras, "__path__", [])
    world = build_world(people)
    portfolio.extend(world)
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_portfolio_matrix(name, people, pworld):
    case = MATRIX[name]
    url = reverse(name, kwargs=case.kwargs(pworld))
    failures = []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(people[role])
        response = getattr(client, case.method)(url)
        expected = case.expect[role]
        ok = (response.status_code == 302 and "/accounts/sign-in/" in response["Location"]) if expected == LOGIN else response.status_code == expected
        if not ok:
            failures.append(f"{role}: expected {expected}, got {response.status_code}")
    assert not failures, f"{url}\n" + "\n".join(failures)
