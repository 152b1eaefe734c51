"""The ideas waiting for triage with their overlaps, as CSV and XLSX (portfolio.exports_overlaps):
for the secretary and admins, under the reader's own visibility, in a fixed number of queries."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ideas import overlaps_kept
from tests.factories import make_idea

pytestmark = pytest.mark.django_db

FALLS_ASC = "Falls sensors for older people living alone"
FALLS_HOUSING = "Falls sensors for older residents living alone"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def keep(*ideas) -> None:
    """Work out the ideas' kept overlaps, as the task after submitting does."""
    for idea in ideas:
        overlaps_kept.refresh(idea.pk, tell_others=False)


@pytest.fixture
def falls(people):
    made = {
        "asc": make_idea(people["officer"], at="submitted", title=FALLS_ASC),
        "housing": make_idea(people["officer_other"], at="submitted", title=FALLS_HOUSING),
        "secret": make_idea(people["officer_other"], at="ready-for-board", title=f"{FALLS_ASC} at night",
                            is_confidential=True),
        "draft": make_idea(people["officer_other"], at="draft", title=f"{FALLS_ASC}, a draft"),
        "repairs": make_idea(people["officer_other"], at="submitted", title="=HYPERLINK(\"http://x\") cemetery drones",
                              departments=[]),
    }
    keep(*made.values())
    return made


def test_the_secretary_downloads_each_waiting_idea_with_its_overlaps_and_why(people, falls):
    response = client_for(people["secretary"]).get(reverse("portfolio:export_overlaps_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="overlaps-' in response["Content-Disposition"]
    rows = csv_rows(response)
    pairs = {(r["Title"], r["Its title"]) for r in rows}
    assert (FALLS_ASC, FALLS_HOUSING) in pairs and (FALLS_HOUSING, FALLS_ASC) in pairs
    row = next(r for r in rows if r["Title"] == FALLS_ASC and r["Its title"] == FALLS_HOUSING)
    assert row["Why"].startswith("Both mention falls, sensors") and row["Its owner"] == people["officer_other"].full_name
    assert 0 < float(row["Overlap score (0 to 1)"]) <= 1
    assert row["Overlaps as of"]
    assert falls["draft"].title not in {r["Its title"] for r in rows}  # a draft is never an overlap
    # An idea with nothing like it says so; a title a spreadsheet would run is written as text.
    alone = next(r for r in rows if r["Title"].endswith("cemetery drones"))
    assert alone["Why"] == "No overlap found" and alone["Title"].startswith("'=")


def test_the_reader_sees_only_what_they_may_see(people, falls):
    """An admin stands in for the secretary; both read confidential ideas by role, so it is listed for them
    (the triage view shows the same); nobody else may download the list at all."""
    shown = {r["Its title"] for r in csv_rows(client_for(people["admin"]).get(reverse("portfolio:export_overlaps_csv")))}
    assert falls["secret"].title in shown and falls["draft"].title not in shown
    for role in ("officer", "reviewer", "board_member", "officer_other"):
        assert client_for(people[role]).get(reverse("portfolio:export_overlaps_csv")).status_code == 403
        assert client_for(people[role]).get(reverse("portfolio:export_overlaps_xlsx")).status_code == 403


def test_the_xlsx_reads_back_with_the_same_rows(people, falls):
    response = client_for(people["secretary"]).get(reverse("portfolio:export_overlaps_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)["Overlaps"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Reference" and values[0][10] == "Why"
    assert any(row[1] == FALLS_ASC and row[6] == FALLS_HOUSING for row in values[1:])


def test_the_export_costs_the_same_queries_for_few_or_many_waiting_ideas(people, falls):
    client = client_for(people["secretary"])
    url = reverse("portfolio:export_overlaps_csv")
    client.get(url)  # the session and roles settle

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(url).streaming_content)
        return len(captured)

    few = queries()
    assert few > 0
    for n in range(12):
        keep(make_idea(people["officer"], at="submitted", title=f"Falls sensors for older people in ward {n}"))
    assert queries() == few


def test_an_idea_not_yet_worked_out_says_so(people, falls):
    late = make_idea(people["officer"], at="submitted", title="Falls sensors for older people, submitted just now")
    rows = csv_rows(client_for(people["secretary"]).get(reverse("portfolio:export_overlaps_csv")))
    row = next(r for r in rows if r["Title"] == late.title)
    assert row["Why"] == "Overlaps not yet worked out" and row["Overlaps as of"] == ""


# --- The idea export's overlap columns ------------------------------------------------------------


def test_the_idea_export_lists_each_ideas_overlaps_with_score_and_why_under_the_readers_visibility(people, falls):
    rows = {r["Title"]: r for r in csv_rows(client_for(people["officer"]).get(reverse("portfolio:export_csv")))}
    cell = rows[FALLS_ASC]["Overlapping ideas (score 0 to 1, why)"]
    assert f"{falls['housing'].reference} (0." in cell and "both mention falls, sensors" in cell
    assert falls["secret"].reference not in cell  # confidential: the officer may not see it
    assert rows[FALLS_ASC]["Overlaps as of"]
    secretary = {r["Title"]: r for r in csv_rows(client_for(people["secretary"]).get(reverse("portfolio:export_csv")))}
    assert falls["secret"].reference in secretary[FALLS_ASC]["Overlapping ideas (score 0 to 1, why)"]


def test_the_idea_export_xlsx_carries_the_overlap_columns(people, falls):
    response = client_for(people["secretary"]).get(reverse("portfolio:export_xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)["Ideas"]
    values = list(sheet.iter_rows(values_only=True))
    at = values[0].index("Overlapping ideas (score 0 to 1, why)")
    assert values[0][at + 1] == "Overlaps as of"
    row = next(v for v in values[1:] if v[1] == FALLS_ASC)
    assert falls["housing"].reference in row[at]
    assert row[at + 1] is not None
