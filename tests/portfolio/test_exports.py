"""CSV and XLSX exports of the idea list: the list's filters, the same visibility as the pages, streamed."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import stage
from tests.portfolio.builders import D, idea, system

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas(people, department, other_department):
    officer, other = people["officer"], people["officer_other"]
    alpha = system("Alpha ledger")
    return {
        "open": idea(officer, "triage", title="Paperless repairs", one_off="1000", savings="500",
                     systems=[(alpha, "250")], weighted_score=D("4.20"), source="workshop"),
        "housing": idea(other, "approved", title="Damp sensors", one_off="2000", weighted_score=D("2.50"),
                        departments=[other_department], source="team"),
        "secret": idea(officer, "business-case-review", title="Confidential merger", is_confidential=True),
        "draft": idea(officer, "draft", title="Officer's own draft"),
        "formula": idea(other, "submitted", title="=HYPERLINK(\"http://evil.example\")"),
        "old": idea(other, "submitted", title="Submitted long ago"),
    }


def _csv(client, query: str = "") -> list[dict]:
    response = client.get(reverse("portfolio:export_csv") + query)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="ideas-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def _titles(rows) -> set[str]:
    return {row["Title"] for row in rows}


def test_csv_has_what_the_officer_may_see(client, people, ideas):
    client.force_login(people["officer_other"])
    rows = _csv(client)
    assert _titles(rows) == {"Paperless repairs", "Damp sensors", "'=HYPERLINK(\"http://evil.example\")",
                             "Submitted long ago"}
    repairs = next(r for r in rows if r["Title"] == "Paperless repairs")
    assert repairs["Stage"] == "Triage"
    assert repairs["Central systems"] == "Alpha ledger"
    assert repairs["Integration cost (£)"] == "250.00"
    assert repairs["Weighted score"] == "4.20"
    assert repairs["Confidential"] == "No"
    assert repairs["Where it came from"] == "A workshop"


def test_csv_includes_confidential_ideas_for_those_allowed(client, people, ideas):
    client.force_login(people["board_member"])
    assert "Confidential merger" in _titles(_csv(client))
    client.force_login(people["officer"])  # the owner: their confidential idea and their own draft
    assert {"Confidential merger", "Officer's own draft"} <= _titles(_csv(client))


def test_csv_applies_the_idea_list_filters(client, people, ideas, other_department):
    client.force_login(people["board_member"])
    assert _titles(_csv(client, f"?stage={stage('triage').pk}")) == {"Paperless repairs"}
    assert _titles(_csv(client, f"?stage={stage('triage').pk}&stage={stage('approved').pk}")) == {
        "Paperless repairs", "Damp sensors"}
    assert _titles(_csv(client, f"?department={other_department.pk}")) == {
        "Damp sensors", "'=HYPERLINK(\"http://evil.example\")", "Submitted long ago"}
    assert _titles(_csv(client, "?source=workshop")) == {"Paperless repairs"}
    assert _titles(_csv(client, "?score=4-5")) == {"Paperless repairs"}
    assert _titles(_csv(client, "?q=repairs")) == {"Paperless repairs"}
    ordered = [r["Title"] for r in _csv(client, "?sort=title&score=2-3") + _csv(client, "?sort=score&score=4-5")]
    assert ordered == ["Damp sensors", "Paperless repairs"]


def test_csv_date_filters_use_the_day_month_year_boxes(client, people, ideas):
    from ideas.models import Idea

    Idea.objects.filter(pk=ideas["old"].pk).update(submitted_at=timezone.now() - timedelta(days=400))
    client.force_login(people["board_member"])
    cut = timezone.localdate() - timedelta(days=30)
    since = f"?submitted_from_day={cut.day}&submitted_from_month={cut.month}&submitted_from_year={cut.year}"
    assert "Submitted long ago" not in _titles(_csv(client, since))
    until = f"?submitted_to_day={cut.day}&submitted_to_month={cut.month}&submitted_to_year={cut.year}"
    assert _titles(_csv(client, until)) == {"Submitted long ago"}


def test_bad_filter_values_are_ignored_not_an_error(client, people, ideas):
    client.force_login(people["board_member"])
    rows = _csv(client, "?stage=abc&department=99999999999999999999999&score=nine&sort=sideways&q=%00"
                        "&submitted_from_day=31&submitted_from_month=2&submitted_from_year=2025")
    assert len(rows) == 5  # every idea the board member may see: all but another person's draft
    page = client.get(reverse("portfolio:export") + "?stage=abc&score=nine")
    assert page.status_code == 200
    assert "govuk-error-summary" in page.content.decode()


def test_xlsx_opens_and_has_the_filtered_rows(client, people, ideas):
    client.force_login(people["officer_other"])
    response = client.get(reverse("portfolio:export_xlsx") + "?sort=title")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="ideas-')
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["Ideas"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Reference", "Title", "Stage")
    titles = [row[1] for row in rows[1:]]
    assert titles == sorted(titles)
    assert "Confidential merger" not in titles
    assert "Damp sensors" in titles
    formula = next(cell for cell in sheet["B"] if str(cell.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"  # stays text, never a live formula
    repairs = next(row for row in rows if row[1] == "Paperless repairs")
    assert repairs[11] == 1000  # one-off cost, a number


def test_xlsx_with_filters(client, people, ideas):
    client.force_login(people["board_member"])
    response = client.get(reverse("portfolio:export_xlsx") + f"?stage={stage('business-case-review').pk}")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Ideas"]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Confidential merger"]


def test_export_page_counts_and_links_keep_the_filters(client, people, ideas):
    client.force_login(people["officer"])
    query = f"stage={stage('triage').pk}"
    body = client.get(reverse("portfolio:export") + "?" + query).content.decode()
    assert "1 idea matches" in body
    assert f"{reverse('portfolio:export_csv')}?{query}" in body
    assert f"{reverse('portfolio:export_xlsx')}?{query}" in body


@pytest.mark.parametrize("query", [
    "q=++damp+sensors++",
    "q=" + "x" * 201,
    "submitted_from_day=31&submitted_from_month=2&submitted_from_year=2024",
    "submitted_from_day=3&submitted_from_year=2024&sort=oldest",
    "score=zz&sort=bogus&source=workshop",
])
def test_the_export_reads_the_query_string_through_the_idea_lists_own_form(ideas, query):
    """One idea filter form: the export only lays out the list's form, so both read a query the same way."""
    from django.http import QueryDict

    from ideas.forms.browsing import IdeaFilterForm
    from portfolio.forms import IdeaExportFilterForm

    assert issubclass(IdeaExportFilterForm, IdeaFilterForm)
    assert "filters" not in vars(IdeaExportFilterForm) and "clean" not in vars(IdeaExportFilterForm)
    data = QueryDict(query)
    listed, exported = IdeaFilterForm(data), IdeaExportFilterForm(data)
    assert exported.filters() == listed.filters()
    assert exported.errors == listed.errors
    if query.startswith("q=++"):
        assert exported.filters().q == "damp sensors"
