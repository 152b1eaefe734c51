"""The portfolio pages: figures, charts with tables beneath, filters, the agenda link, and what never shows."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from board.models import Board, Meeting
from portfolio import charts
from tests.portfolio.builders import D, decide_series, idea, system

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpha(db):
    return system("Alpha ledger")


@pytest.fixture
def ideas(people, alpha, department, other_department):
    officer, secretary = people["officer"], people["secretary"]
    return {
        "approved": idea(officer, "approved", title="Approved repairs", one_off="1000", recurring="100",
                         systems=[(alpha, "250")], outputs=[("Repairs by street", [other_department])]),
        "ready": idea(officer, "ready-for-board", title="Ready sensors", one_off="400", weighted_score=D("4.25"),
                      savings="900", systems=[(alpha, "50")]),
        "secret": idea(officer, "triage", title="Secret merger", is_confidential=True, systems=[(alpha, "70")],
                       outputs=[("Merger data", [department])]),
        "secretary_draft": idea(secretary, "draft", title="Secretary's own draft", systems=[(alpha, "999")],
                                outputs=[("Draft data", [department])]),
    }


def _page(client, user, name, query="", **kwargs):
    client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs or None) + query)
    assert response.status_code == 200
    return response.content.decode()


def _svg_ok(body: str) -> None:
    assert re.search(r'<svg class="app-portfolio-chart" role="img" aria-labelledby="[\w-]+-title [\w-]+-desc"', body)
    assert "<title id=" in body and "<desc id=" in body


def test_systems_page_shows_the_load_as_chart_and_table(client, people, ideas, alpha):
    body = _page(client, people["board_member"], "portfolio:systems")
    _svg_ok(body)
    assert "Alpha ledger" in body
    assert "£250" in body  # approved integration
    assert "£120" in body  # pipeline integration: ready 50 + secret 70
    assert "£999" not in body  # a draft never counts, even the viewer's own


def test_system_page_groups_ideas_by_stage(client, people, ideas, alpha):
    body = _page(client, people["secretary"], "portfolio:system", slug=alpha.slug)
    _svg_ok(body)
    for name in ("Triage", "Ready for Board", "Approved"):
        assert f'<caption class="govuk-table__caption govuk-table__caption--s">{name}</caption>' in body
    assert "Secret merger" in body  # the secretary may see confidential ideas
    assert "Secretary&#x27;s own draft" not in body and "Secretary's own draft" not in body


def test_unknown_system_or_department_is_404(client, people, ideas):
    client.force_login(people["board_member"])
    assert client.get(reverse("portfolio:system", kwargs={"slug": "nope"})).status_code == 404
    assert client.get(reverse("portfolio:department_data", kwargs={"slug": "nope"})).status_code == 404


def test_data_register_and_matrix(client, people, ideas, department, other_department):
    body = _page(client, people["board_member"], "portfolio:data_outputs")
    assert "Repairs by street" in body and "Merger data" in body and "Draft data" not in body
    body = _page(client, people["board_member"], "portfolio:data_outputs", f"?department={other_department.pk}")
    assert "Repairs by street" in body and "Merger data" not in body
    bad = _page(client, people["board_member"], "portfolio:data_outputs", "?department=abc&q=" + "x" * 300)
    assert "govuk-error-summary" in bad and "<title>Error: " in bad
    matrix = _page(client, people["board_member"], "portfolio:data_matrix")
    assert f'<th scope="row" class="govuk-table__header">{department.name}</th>' in matrix
    assert 'scope="col"' in matrix
    assert "<caption" in matrix
    dept = _page(client, people["board_member"], "portfolio:department_data", slug=other_department.slug)
    assert "Repairs by street" in dept and "Approved repairs" in dept


def test_prioritisation_table_chart_and_agenda_link_for_the_secretary(client, people, ideas):
    body = _page(client, people["board_member"], "portfolio:prioritisation")
    _svg_ok(body)
    assert "Ready sensors" in body and "Approved repairs" not in body
    assert "£450" in body  # total cost: 400 one-off + 50 integration
    assert "Add to agenda" not in body and "Meeting to add ideas to" not in body
    board = Board.objects.create(name="Innovation Board")
    meeting = Meeting.objects.create(board=board, starts_at=timezone.now() + timedelta(days=7),
                                     created_by=people["secretary"])
    body = _page(client, people["secretary"], "portfolio:prioritisation", f"?meeting={meeting.pk}")
    assert "Meeting to add ideas to" in body
    agenda = reverse("board:agenda", kwargs={"pk": meeting.pk})
    assert f'href="{agenda}?idea={ideas["ready"].pk}"' in body
    bad = _page(client, people["secretary"], "portfolio:prioritisation", "?meeting=999999&min_score=7")
    assert "govuk-error-summary" in bad and "Add to agenda<" not in bad


def test_dashboards_have_every_chart_and_its_table(client, people, ideas):
    body = _page(client, people["board_member"], "portfolio:dashboards")
    for slug in ("funnel", "over-time", "decisions", "cost-benefit"):
        assert f'aria-labelledby="{slug}-title {slug}-desc"' in body
    assert body.count('<table class="govuk-table') >= 4
    assert "Ideas in each stage now" in body


def test_dashboard_filters_validate_dates(client, people, ideas):
    body = _page(client, people["board_member"], "portfolio:dashboards",
                 "?date_from_day=31&date_from_month=2&date_from_year=2025&department=zz")
    assert "govuk-error-summary" in body
    assert "must be a real date" in body
    body = _page(client, people["board_member"], "portfolio:dashboards",
                 "?date_from_day=1&date_from_month=6&date_from_year=2025&date_to_day=1&date_to_month=1&date_to_year=2025")
    assert "The end date must be the same as or after the start date" in body
    today = timezone.localdate()
    body = _page(client, people["board_member"], "portfolio:dashboards",
                 f"?date_from_day=1&date_from_month=1&date_from_year={today.year - 5}")
    assert f"1 January {today.year - 5}" in body


def test_chart_description_states_the_figures():
    chart = charts.horizontal_bars("t", "Title", [("Submitted", 3), ("Triage", 1)])
    assert chart.desc == "Submitted: 3; Triage: 1."
    assert sum(1 for s in chart.shapes if s["kind"] == "rect") == 2
    assert charts.horizontal_bars("e", "Empty", []).empty
    scatter = charts.scatter("s", "S", [("1", D("1000"), D("4.5"))], x_label="Cost", y_label="Score")
    assert "score 4.50, cost £1k" in scatter.desc
    columns = charts.stacked_columns("c", "C", ["Jan", "Feb"], [("A", [1, 0]), ("B", [2, 5])])
    assert "Jan: 3 in all (A 1, B 2)" in columns.desc


@pytest.mark.parametrize("value, expected", [(0, 1.0), (3, 5.0), (7, 10.0), (120, 200.0), (2400, 2500.0)])
def test_axis_ends_on_a_round_number(value, expected):
    assert charts.nice_max(value) == expected


def test_money_on_axes():
    assert [charts.money_short(v) for v in (950, 12_000, 1_500_000, 2_000_000)] == ["£950", "£12k", "£1.5m", "£2m"]


def test_nav_shows_portfolio_to_readers_only(client, people):
    client.force_login(people["board_member"])
    assert f'href="{reverse("portfolio:overview")}"' in client.get(reverse("home")).content.decode()
    client.force_login(people["officer"])
    assert f'href="{reverse("portfolio:overview")}"' not in client.get(reverse("home")).content.decode()


def test_dashboard_decision_table_counts_each_decision_the_board_recorded(client, people):
    decide_series(people, ["approve", "defer", "approve", "more_information", "approve", "defer"])
    body = _page(client, people["board_member"], "portfolio:dashboards")
    table = body.split("Board decisions made in these dates, by outcome", 1)[1].split("</table>", 1)[0]
    counts = dict(re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)</th>'
                             r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>', table))
    assert counts == {"Approve": "3", "Approve with conditions": "0", "Park until a date": "0", "Reject": "0",
                      "Defer to a later meeting": "2", "Ask for more information": "1", "All outcomes": "6"}


def test_systems_page_keeps_integration_load_apart_from_the_ideas_own_costs(client, people, ideas, alpha):
    body = _page(client, people["board_member"], "portfolio:systems")
    row = body.split(f'href="{reverse("portfolio:system", args=[alpha.slug])}">Alpha ledger</a>', 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)</td>', row)
    # Approved: ideas, integration, own one-off, own yearly; the same in the pipeline; integration on the system, all.
    assert cells == ["1", "£250", "£1,000", "£100", "2", "£120", "£400", "£0", "£370"]
    assert "Total cost" not in body
    assert "£1,870" not in body  # integration, one-off and yearly money added together, as before
    assert "Integration on this system (one-off)" in body and "Ideas&#x27; own yearly cost" in body
    assert "never added to it" in body
