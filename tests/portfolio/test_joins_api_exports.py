"""Links and merges in the read-only API and the CSV/XLSX exports, under the same visibility rules:
a link to (or merge with) an idea the reader may not see is left out entirely."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ideas import services
from tests.factories import make_idea

pytestmark = pytest.mark.django_db



@pytest.fixture
def joined(people):
    officer, other, secretary = people["officer"], people["officer_other"], people["secretary"]
    falls = make_idea(officer, at="triage", title="Falls sensors")
    housing = make_idea(other, at="triage", title="Falls alerts in housing")
    secret = make_idea(officer, at="triage", title="Secret falls pilot", is_confidential=True)
    duplicate = make_idea(other, at="triage", title="Falls sensors again")
    services.idea_link_add(idea_id=housing.pk, other_id=falls.pk, kind="builds_on", by=other)
    hidden_link = services.idea_link_add(idea_id=falls.pk, other_id=secret.pk, kind="related", by=officer)
    merge = services.idea_merge(merged_id=duplicate.pk, survivor_id=falls.pk, by=secretary, reason="Twice")
    return {"falls": falls, "housing": housing, "secret": secret, "duplicate": duplicate, "hidden_link": hidden_link,
            "merge": merge}


def test_the_api_lists_links_and_merges_the_reader_may_see(api, people, joined):
    falls, housing, duplicate = joined["falls"], joined["housing"], joined["duplicate"]
    other = api(people["officer_other"])
    links = other.get(reverse("api:idea-link-list")).json()
    pairs = {(row["from_idea"]["reference"], row["kind"], row["to_idea"]["reference"]) for row in links["results"]}
    assert pairs == {(housing.reference, "builds_on", falls.reference),
                     (duplicate.reference, "duplicate_of", falls.reference)}
    assert links["count"] == 2  # the link to the confidential idea is not counted
    assert other.get(reverse("api:idea-link-detail", kwargs={"pk": joined["hidden_link"].pk})).status_code == 404
    owner_links = api(people["officer"]).get(reverse("api:idea-link-list"), {"idea": falls.pk}).json()
    assert owner_links["count"] == 3
    assert other.get(reverse("api:idea-link-list"), {"kind": "builds_on"}).json()["count"] == 1
    assert other.get(reverse("api:idea-link-list"), {"kind": "enemy"}).status_code == 400
    merges = other.get(reverse("api:idea-merge-list"), {"idea": falls.pk}).json()["results"]
    assert [(m["merged"]["id"], m["survivor"]["id"], m["reason"]) for m in merges] == [(duplicate.pk, falls.pk, "Twice")]


def test_the_schema_documents_links_and_merges(api, people):
    schema = api(people["officer"]).get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert {"/api/idea-links/", "/api/idea-links/{id}/", "/api/idea-merges/", "/api/idea-merges/{id}/"} <= set(schema["paths"])
    params = {p["name"] for p in schema["paths"]["/api/idea-links/"]["get"]["parameters"]}
    assert {"idea", "kind", "page"} <= params


def _csv_rows(client) -> dict[str, dict]:
    response = client.get(reverse("portfolio:export_csv"))
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return {row["Reference"]: row for row in csv.DictReader(io.StringIO(text))}


def test_the_exports_show_links_and_merges_the_reader_may_see(people, joined):
    falls, housing, secret, duplicate = joined["falls"], joined["housing"], joined["secret"], joined["duplicate"]
    other = Client()
    other.force_login(people["officer_other"])
    rows = _csv_rows(other)
    assert rows[falls.reference]["Linked ideas"] == (
        f"Built on by {housing.reference}; Has a duplicate {duplicate.reference}")
    assert secret.reference not in rows[falls.reference]["Linked ideas"]
    assert rows[duplicate.reference]["Merged into"] == falls.reference
    owner = Client()
    owner.force_login(people["officer"])
    assert secret.reference in _csv_rows(owner)[falls.reference]["Linked ideas"]

    response = other.get(reverse("portfolio:export_xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    table = list(sheet.iter_rows(values_only=True))
    header = list(table[0])
    by_reference = {row[0]: row for row in table[1:]}
    assert by_reference[duplicate.reference][header.index("Merged into")] == falls.reference
    assert secret.reference not in by_reference[falls.reference][header.index("Linked ideas")]
