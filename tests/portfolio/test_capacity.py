"""Staff capacity: the table (capacity, approved demand, demand if the ready ideas were approved), its flags,
its fixed query cost, its CSV/XLSX exports and API, the team page's bad input, and the Board's flags."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from harrow_innovation.core.quarters import next_quarter, quarter_code, quarter_of
from harrow_innovation.people.models import Team, TeamCapacity
from harrow_innovation.people.teams import TeamError, team_capacity_set
from ideas.capacity import capacity_strains, quarters_from, team_capacity_table
from ideas.models import ResourceAsk, ResourceAskQuarter
from tests.factories import make_idea

D = Decimal
pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def q1():
    return quarter_of(timezone.localdate())


@pytest.fixture
def q2(q1):
    return next_quarter(q1)


@pytest.fixture
def team(people):
    return Team.objects.create(department=people["officer"].department, name="IT integration", manager=people["officer"])


def ask(idea, team, days: dict):
    made = ResourceAsk.objects.create(idea=idea, team=team, note="")
    for quarter, value in days.items():
        ResourceAskQuarter.objects.create(ask=made, quarter=quarter, days=D(value))
    return made


@pytest.fixture
def demand(people, team, q1, q2):
    """Capacity 20 in q1 (none declared in q2); approved 12 + in delivery 6 in q1; ready for Board 5 in q1 and 4 in q2;
    a draft, a rejected and a delivered idea that must not count."""
    officer = people["officer"]
    TeamCapacity.objects.create(team=team, quarter=q1, days=D("20"))
    ask(make_idea(officer, at="approved", title="Approved"), team, {q1: "12"})
    ask(make_idea(officer, at="in-delivery", title="In delivery"), team, {q1: "6"})
    ready = make_idea(officer, at="ready-for-board", title="Ready")
    ask(ready, team, {q1: "5", q2: "4"})
    ask(make_idea(officer, at="draft", title="Draft"), team, {q1: "30"})
    ask(make_idea(officer, at="rejected", title="Rejected"), team, {q1: "30"})
    ask(make_idea(officer, at="delivered", title="Delivered"), team, {q1: "30"})
    return ready


def test_the_table_counts_approved_and_ready_ideas_and_flags_over_capacity(people, team, demand, q1, q2):
    [row] = team_capacity_table(user=people["board_member"], quarters=[q1, q2])
    first, second = row.cells
    assert (first.capacity, first.committed, first.ready, first.if_approved) == (D("20"), D("18"), D("5"), D("23"))
    assert first.over_now is False and first.over_if_approved is True
    # No capacity declared counts as none: 4 days asked is over it.
    assert (second.capacity, second.committed, second.ready) == (None, D("0"), D("4"))
    assert second.over_if_approved is True


def test_confidential_ideas_count_only_for_those_who_may_see_them(people, team, q1):
    ask(make_idea(people["officer"], at="approved", title="Secret", is_confidential=True), team, {q1: "9"})
    assert team_capacity_table(user=people["board_member"], quarters=[q1])[0].cells[0].committed == D("9")
    assert team_capacity_table(user=people["officer_other"], quarters=[q1])[0].cells[0].committed == D("0")


def test_the_page_shows_flags_in_words_not_colour_alone(people, demand):
    html = client_for(people["board_member"]).get(reverse("portfolio:capacity")).content.decode()
    assert "IT integration" in html
    assert "Over if approved" in html
    assert "would be over capacity if the ideas ready for the Board were approved" in html


def _fill(department, n_teams: int, quarters, officer):
    teams = [Team.objects.create(department=department, name=f"Team {n_teams}-{i}") for i in range(n_teams)]
    idea = make_idea(officer, at="approved", title=f"Approved for {n_teams}")
    for team in teams:
        for quarter in quarters:
            TeamCapacity.objects.create(team=team, quarter=quarter, days=D("10"))
        ask(idea, team, dict.fromkeys(quarters, "3"))


def test_the_page_costs_a_fixed_number_of_queries(people, department, django_assert_num_queries):
    quarters = quarters_from()
    client = client_for(people["board_member"])
    url = reverse("portfolio:capacity")
    _fill(department, 2, quarters, people["officer"])
    client.get(url)
    # Session, user (roles and the header's badge); teams, capacities, approved stages, demand.
    with django_assert_num_queries(6) as small:
        client.get(url)
    _fill(department, 12, quarters, people["officer"])
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Team 12-") == 12


def test_exports_have_one_row_per_team_and_quarter(people, team, demand, q1):
    client = client_for(people["secretary"])
    body = b"".join(client.get(reverse("portfolio:capacity_csv")).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["Department", "Team", "Quarter"]
    assert len(rows) == 1 + 8
    first = rows[1]
    assert first[1] == "IT integration" and first[3] == quarter_code(q1)
    assert first[4:] == ["20.0", "18.0", "5.0", "23.0", "No", "Yes"]
    response = client.get(reverse("portfolio:capacity_xlsx"))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.title == "Capacity" and sheet.max_row == 1 + 8
    assert [c.value for c in sheet[1]][:3] == ["Department", "Team", "Quarter"]
    assert [c.value for c in sheet[2]][1] == "IT integration"


def test_the_api_gives_the_same_figures(people, team, demand, q1, token_for):
    api = Client(HTTP_AUTHORIZATION=token_for(people["board_member"]))
    body = api.get(reverse("api:team-capacity-list")).json()
    [entry] = body["results"]
    first = entry["quarters"][0]
    assert entry["name"] == "IT integration" and first["quarter"] == quarter_code(q1)
    assert (first["capacity"], first["approved"], first["ready_for_board"]) == ("20.0", "18.0", "5.0")
    assert first["over_capacity"] is False and first["over_capacity_if_approved"] is True
    assert api.get(reverse("api:team-capacity-list"), {"start": "2026-02"}).status_code == 400
    officer_api = Client(HTTP_AUTHORIZATION=token_for(people["officer"]))
    assert officer_api.get(reverse("api:team-capacity-list")).status_code == 403
    schema = api.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "/api/team-capacity/" in schema["paths"]
    detail = api.get(reverse("api:idea-detail", kwargs={"pk": demand.pk})).json()
    assert detail["resource_asks"][0]["team"] == "IT integration"
    assert [q["days"] for q in detail["resource_asks"][0]["quarters"]] == ["5.0", "4.0"]


# --- Declaring capacity -------------------------------------------------------------------


def test_the_manager_declares_capacity_and_blank_clears_a_quarter(people, team, q1, q2):
    client = client_for(people["officer"])
    url = reverse("portfolio:capacity_team", kwargs={"pk": team.pk})
    response = client.post(url, {f"days_{q1:%Y_%m}": "20", f"days_{q2:%Y_%m}": "12.5"})
    assert response.status_code == 302
    assert dict(TeamCapacity.objects.values_list("quarter", "days")) == {q1: D("20"), q2: D("12.5")}
    client.post(url, {f"days_{q1:%Y_%m}": "20", f"days_{q2:%Y_%m}": ""})
    assert dict(TeamCapacity.objects.values_list("quarter", "days")) == {q1: D("20")}


@pytest.mark.parametrize("typed, message", [
    ("-5", "cannot be negative"), ("66", "65 or fewer"), ("10.25", "whole or half days"), ("1e400", "65 or fewer"),
    ("ten", "as a number"),
])
def test_bad_days_keep_the_input_and_change_nothing(people, team, q1, typed, message):
    TeamCapacity.objects.create(team=team, quarter=q1, days=D("7"))
    response = client_for(people["officer"]).post(reverse("portfolio:capacity_team", kwargs={"pk": team.pk}),
                                                  {f"days_{q1:%Y_%m}": typed})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html and message in html
    assert f'value="{typed}"' in html
    assert TeamCapacity.objects.get().days == D("7")


def test_capacity_for_a_past_quarter_is_refused(people, team, q1):
    past = quarter_of(q1 - datetime.timedelta(days=1))
    client = client_for(people["officer"])
    url = reverse("portfolio:capacity_team", kwargs={"pk": team.pk})
    response = client.post(f"{url}?from={quarter_code(past)}", {f"days_{past:%Y_%m}": "10", f"days_{q1:%Y_%m}": "5"})
    assert response.status_code == 200 and "has ended" in response.content.decode()
    assert not TeamCapacity.objects.exists()
    with pytest.raises(TeamError, match="has ended"):
        team_capacity_set(team_id=team.pk, by=people["officer"], days_by_quarter={past: D("3")})
    with pytest.raises(TeamError, match="Quarters start"):
        team_capacity_set(team_id=team.pk, by=people["officer"], days_by_quarter={q1.replace(month=q1.month + 1): D("3")})
    assert not TeamCapacity.objects.exists()


def test_only_the_manager_or_an_admin_may_declare(people, team, q1):
    with pytest.raises(TeamError):
        team_capacity_set(team_id=team.pk, by=people["officer_other"], days_by_quarter={q1: D("3")})
    team_capacity_set(team_id=team.pk, by=people["admin"], days_by_quarter={q1: D("3")})
    assert TeamCapacity.objects.get().days == D("3")
    html = client_for(people["officer"]).get(reverse("portfolio:capacity_teams")).content.decode()
    assert "IT integration" in html
    html = client_for(people["officer_other"]).get(reverse("portfolio:capacity_teams")).content.decode()
    assert "You do not manage any teams" in html


# --- The Board ------------------------------------------------------------------------------


def test_strains_name_the_team_and_quarter_an_idea_would_take_over(people, team, demand, q1, q2):
    strains = capacity_strains(idea_ids=[demand.pk])[demand.pk]
    assert [(s.quarter, s.committed, s.asked, s.capacity) for s in strains] == [
        (q1, D("18"), D("5"), D("20")), (q2, D("0"), D("4"), None)]
    assert "IT integration" in strains[0].text and "23 days asked" in strains[0].text
    approved = ResourceAsk.objects.filter(idea__title="Approved").get().idea
    assert capacity_strains(idea_ids=[approved.pk]) == {}  # 12 + 6 others = 18, within 20


def test_the_board_paper_and_agenda_builder_flag_over_capacity(people, team, demand):
    from board.models import Meeting
    from tests.world_extras.board import future, idea_item_on, make_board

    meeting = Meeting.objects.create(board=make_board(people), starts_at=future(), status="agenda_published",
                                     created_by=people["secretary"], published_at=timezone.now())
    item = idea_item_on(meeting, demand, order=1)
    paper = client_for(people["board_member"]).get(reverse("board:paper", kwargs={"pk": item.pk})).content.decode()
    assert "Over capacity if approved" in paper and "IT integration" in paper
    agenda = client_for(people["secretary"]).get(reverse("board:agenda", kwargs={"pk": meeting.pk})).content.decode()
    assert "Over capacity if approved" in agenda


def test_the_agenda_builder_with_asks_costs_a_fixed_number_of_queries(people, team, q1, django_assert_num_queries):
    from board.models import Meeting
    from tests.world_extras.board import future, idea_item_on, make_board

    meeting = Meeting.objects.create(board=make_board(people), starts_at=future(), status="planned",
                                     created_by=people["secretary"])
    client = client_for(people["secretary"])
    url = reverse("board:agenda", kwargs={"pk": meeting.pk})

    def fill(n):
        for i in range(n):
            made = make_idea(people["officer"], at="ready-for-board", title=f"Ready {n}-{i}")
            ask(made, team, {q1: "30"})
            if i % 2:
                idea_item_on(meeting, made, order=n * 10 + i)

    fill(2)
    client.get(url)
    # the builder's 11, the four of the capacity check, and the ideas' central systems (none here, so no load read)
    with django_assert_num_queries(16) as small:
        assert "Over capacity if approved" in client.get(url).content.decode()
    fill(6)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def _linked_to(idea, people) -> None:
    from ideas import services
    from ideas.models import LinkKind

    linked = make_idea(people["officer_other"], at="triage", title="Cemetery drone surveys")
    services.idea_link_add(idea_id=linked.pk, other_id=idea.pk, kind=LinkKind.RELATED, by=people["officer_other"])


def test_the_board_paper_with_asks_costs_a_fixed_number_of_queries(people, team, q1, q2, django_assert_num_queries):
    from board.models import Meeting
    from tests.world_extras.board import future, idea_item_on, make_board

    meeting = Meeting.objects.create(board=make_board(people), starts_at=future(), status="agenda_published",
                                     created_by=people["secretary"], published_at=timezone.now())
    ready = make_idea(people["officer"], at="ready-for-board", title="Ready with asks")
    ask(ready, team, {q1: "30"})
    item = idea_item_on(meeting, ready)
    _linked_to(ready, people)  # so the paper always has an overlapping idea to read, however the ranking turns out
    client = client_for(people["board_member"])
    url = reverse("board:paper", kwargs={"pk": item.pk})
    client.get(url)
    with django_assert_num_queries(21) as small:  # the paper page with its staff time asks and the capacity check, + system load and overlaps (4)
        assert "Over capacity if approved" in client.get(url).content.decode()
    for n in range(5):
        other = Team.objects.create(department=team.department, name=f"Other team {n}")
        ask(ready, other, {q1: "3", q2: "2"})
        ask(make_idea(people["officer"], at="approved", title=f"Approved {n}"), other, {q1: "1"})
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)
