"""Shared-system load in the read-only API (OpenAPI documented) and in the CSV and XLSX exports (issue 13 items
4 and 7): the same figures as the pages, under the same visibility rules."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideas.models import CentralSystem
from tests.factories import make_idea
from tests.ideas.test_system_load import build_load, build_systems, link

pytestmark = pytest.mark.django_db


@pytest.fixture
def systems(db):
    return build_systems()


@pytest.fixture
def load(people, systems):
    return build_load(people, systems)


def _api_load(client, idea):
    response = client.get(reverse("api:idea-detail", kwargs={"pk": idea.pk}), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return {row["name"]: row for row in response.json()["system_load"]}


def test_the_api_gives_each_readers_load_and_documents_it(token_for, people, load):
    officer = Client(HTTP_AUTHORIZATION=token_for(people["officer"]))
    case = _api_load(officer, load)["Case records"]
    assert (case["integration_cost"], case["approved"], case["in_delivery"], case["in_pipeline"]) == (
        "12000.00",
        {"ideas": 1, "integration": "40000.00"},
        {"ideas": 1, "integration": "30000.00"},
        {"ideas": 2, "integration": "25000.00"},
    )
    assert (
        case["total_if_approved"],
        case["projects_if_approved"],
        case["integration_budget"],
        case["max_projects"],
        case["over_threshold_if_approved"],
    ) == ("82000.00", 3, "100000.00", 3, False)
    board = Client(HTTP_AUTHORIZATION=token_for(people["board_member"]))
    case = _api_load(board, load)["Case records"]
    assert (case["total_if_approved"], case["over_threshold_if_approved"]) == ("132000.00", True)
    systems = board.get(reverse("api:central-system-list"), HTTP_ACCEPT="application/json").json()["results"]
    assert {s["name"]: (s["integration_budget"], s["max_projects"]) for s in systems}["Case records"] == (
        "100000.00",
        3,
    )
    schema = officer.get(reverse("api:schema")).content.decode()
    assert "SystemLoad" in schema and "over_threshold_if_approved" in schema and "max_projects" in schema


def test_the_api_idea_costs_one_more_query_for_its_systems_load(
    token_for, people, load, systems, django_assert_num_queries
):
    client = Client(HTTP_AUTHORIZATION=token_for(people["officer"]))
    url = reverse("api:idea-detail", kwargs={"pk": load.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(8):
        extra = CentralSystem.objects.create(name=f"Extra {i}", slug=f"extra-{i}")
        link(load, extra, "10")
        link(make_idea(people["officer_other"], at="approved", title=f"Approved {i}"), extra, "5")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)
    assert any("portfolio_systemtally" in q["sql"] for q in small.captured_queries)


def _export(client, kind):
    import csv
    import io

    from openpyxl import load_workbook

    response = client.get(reverse(f"portfolio:export_{kind}"))
    body = b"".join(response.streaming_content)
    if kind == "csv":
        return {row["Title"]: row for row in csv.DictReader(io.StringIO(body.decode("utf-8").lstrip("\ufeff")))}
    values = list(load_workbook(io.BytesIO(body)).active.values)
    return {row[1]: dict(zip(values[0], row, strict=True)) for row in values[1:]}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_exports_give_the_load_under_the_same_visibility(client, people, load, kind):
    column, flag = "Load on its central systems if approved", "Over a central system's threshold if approved"
    client.force_login(people["officer"])
    row = _export(client, kind)["Falls sensors"]
    assert row[column].splitlines() == [
        "Case records: this idea £12,000, approved £40,000 (1), in delivery £30,000 (1), in the pipeline £25,000 (2); "
        "if approved £82,000 and 3 at once",
        "Web forms: this idea £1,000, approved £0 (0), in delivery £0 (0), in the pipeline £0 (0); "
        "if approved £1,000 and 1 at once",
    ]
    assert row[flag] == "No"
    client.force_login(people["secretary"])  # reads confidential ideas: the secret one counts
    row = _export(client, kind)["Falls sensors"]
    assert "approved £90,000 (2)" in row[column] and row[flag] == "Yes: Case records"
