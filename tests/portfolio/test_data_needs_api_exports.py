"""Data needs in the read-only API and data columns in the CSV/XLSX exports, under the pages' visibility rules."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ideas.models import DataDependency
from tests.portfolio.builders import idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs(people, department, other_department):
    officer, other = people["officer"], people["officer_other"]
    platform = idea(other, "triage", title="Data platform", outputs=[("Resident records", [department, other_department])])
    secret_platform = idea(officer, "triage", title="Secret platform", is_confidential=True,
                           outputs=[("Secret records", [])])
    falls = idea(officer, "triage", title="Falls prevention")
    hidden = idea(officer, "triage", title="Hidden dependant", is_confidential=True)
    return {
        "open": DataDependency.objects.create(idea=falls, output=platform.data_outputs.get(), need="Addresses",
                                              added_by=officer),
        "on_secret": DataDependency.objects.create(idea=falls, output=secret_platform.data_outputs.get(),
                                                   need="Merger lists", added_by=officer),
        "from_secret": DataDependency.objects.create(idea=hidden, output=platform.data_outputs.get(), need="Hush",
                                                     added_by=officer),
        "platform": platform,
        "falls": falls,
    }


def _api(client, name, query=None, **kwargs):
    return client.get(reverse(name, kwargs=kwargs or None), query or {}, HTTP_ACCEPT="application/json")


def test_the_api_lists_needs_only_between_ideas_the_reader_may_see(token_for, people, needs):
    other = Client(HTTP_AUTHORIZATION=token_for(people["officer_other"]))
    rows = _api(other, "api:data-need-list").json()["results"]
    assert [(r["idea"]["title"], r["output"]["description"], r["output"]["idea"]["title"], r["need"]) for r in rows] == [
        ("Falls prevention", "Resident records", "Data platform", "Addresses")]
    assert _api(other, "api:data-need-detail", pk=needs["on_secret"].pk).status_code == 404
    assert _api(other, "api:data-need-detail", pk=needs["from_secret"].pk).status_code == 404
    board = Client(HTTP_AUTHORIZATION=token_for(people["board_member"]))
    assert _api(board, "api:data-need-list").json()["count"] == 3
    by_source = _api(board, "api:data-need-list", {"source": needs["platform"].pk}).json()["results"]
    assert {r["need"] for r in by_source} == {"Addresses", "Hush"}
    assert _api(board, "api:data-need-list", {"idea": needs["falls"].pk}).json()["count"] == 2


def test_bad_api_filters_are_a_400(token_for, people, needs):
    client = Client(HTTP_AUTHORIZATION=token_for(people["officer"]))
    assert _api(client, "api:data-need-list", {"source": "abc"}).status_code == 400
    assert _api(client, "api:data-need-list", {"platform": "1"}).status_code == 400


def test_the_schema_documents_data_needs(token_for, people):
    client = Client(HTTP_AUTHORIZATION=token_for(people["officer"]))
    schema = client.get(reverse("api:schema")).content.decode()
    assert "/api/data-needs/" in schema and "DataNeed" in schema


def _csv_rows(client) -> dict[str, dict]:
    text = b"".join(client.get(reverse("portfolio:export_csv")).streaming_content).decode("utf-8").lstrip("\ufeff")
    return {row["Title"]: row for row in csv.DictReader(io.StringIO(text))}


def test_the_csv_export_has_data_outputs_and_needs_it_may_show(client, people, needs, department, other_department):
    client.force_login(people["officer_other"])
    rows = _csv_rows(client)
    assert rows["Data platform"]["Data outputs (valued by)"] == "Resident records (Adult Social Care, Housing)"
    platform_ref = f"IDEA-{needs['platform'].pk:05d}"
    assert rows["Falls prevention"]["Depends on data from"] == f"{platform_ref}: Resident records (needs: Addresses)"
    assert "Secret platform" not in rows and "Hidden dependant" not in rows
    client.force_login(people["officer"])  # owns the secret platform: sees both needs
    assert "Merger lists" in _csv_rows(client)["Falls prevention"]["Depends on data from"]


def test_the_xlsx_export_has_the_same_columns(client, people, needs):
    client.force_login(people["officer_other"])
    response = client.get(reverse("portfolio:export_xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    header = list(values[0])
    at = header.index("Data outputs (valued by)")
    assert header[at:at + 2] == ["Data outputs (valued by)", "Depends on data from"]
    falls = next(row for row in values[1:] if row[1] == "Falls prevention")
    assert falls[at + 1].endswith("Resident records (needs: Addresses)")
