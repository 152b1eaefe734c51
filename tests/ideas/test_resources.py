"""Staff time and partners on an idea: the services' rules, the drafting pages (add another, change,
remove, input kept on error) and the migration that moved the free text into notes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from harrow_innovation.people.models import Team
from ideas import services
from ideas.models import ExternalResource, Idea, ResourceAsk, ResourceAskQuarter
from ideas.services import WorkflowError
from tests.factories import make_idea

APR, JUL, OCT, JAN = (datetime.date(2026, 4, 1), datetime.date(2026, 7, 1), datetime.date(2026, 10, 1),
                      datetime.date(2027, 1, 1))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer(people):
    return people["officer"]


@pytest.fixture
def team(officer):
    return Team.objects.create(department=officer.department, name="IT integration")


@pytest.fixture
def draft(officer):
    # Mid-May 2026 to early October 2026: three quarters (April, July, October).
    return make_idea(officer, at="draft", start_date=datetime.date(2026, 5, 12), end_date=datetime.date(2026, 10, 3))


def test_an_ask_keeps_the_quarters_with_days_and_leaves_out_zero(officer, team, draft):
    ask = services.resource_ask_set(idea_id=draft.pk, by=officer, team=team, note="A business analyst",
                                    days_by_quarter={APR: Decimal("5"), JUL: Decimal("2.5"), OCT: Decimal("0")})
    assert [(q.quarter, q.days) for q in ask.quarters.all()] == [(APR, Decimal("5.0")), (JUL, Decimal("2.5"))]
    assert services.idea_quarters(draft) == [APR, JUL, OCT]


@pytest.mark.parametrize("days, message", [
    (Decimal("-1"), "cannot be negative"),
    (Decimal("66"), "65 or fewer"),
    (Decimal("2.25"), "whole or half days"),
    (Decimal("1E+9"), "65 or fewer"),
    ("NaN", "as a number"),
])
def test_bad_days_are_refused_and_nothing_changes(officer, team, draft, days, message):
    with pytest.raises(WorkflowError, match=message):
        services.resource_ask_set(idea_id=draft.pk, by=officer, team=team, note="", days_by_quarter={APR: days})
    assert not ResourceAsk.objects.filter(idea=draft).exists()


def test_a_quarter_outside_the_timescale_is_refused(officer, team, draft):
    with pytest.raises(WorkflowError, match="outside the idea's timescale"):
        services.resource_ask_set(idea_id=draft.pk, by=officer, team=team, note="", days_by_quarter={JAN: Decimal("3")})
    assert not ResourceAsk.objects.exists()


def test_days_need_dates_and_a_team(officer, team):
    undated = make_idea(officer, at="draft")
    with pytest.raises(WorkflowError, match="start and end dates"):
        services.resource_ask_set(idea_id=undated.pk, by=officer, team=team, note="", days_by_quarter={APR: Decimal("1")})
    dated = make_idea(officer, at="draft", start_date=APR, end_date=JUL)
    with pytest.raises(WorkflowError, match="Choose the team"):
        services.resource_ask_set(idea_id=dated.pk, by=officer, team=None, note="", days_by_quarter={APR: Decimal("1")})
    assert not ResourceAsk.objects.exists()


def test_moving_the_dates_away_from_asked_quarters_is_refused(officer, team, draft):
    services.resource_ask_set(idea_id=draft.pk, by=officer, team=team, note="", days_by_quarter={OCT: Decimal("4")})
    with pytest.raises(WorkflowError, match="quarters the new dates leave out"):
        services.idea_update(idea_id=draft.pk, by=officer, end_date=datetime.date(2026, 8, 1))
    draft.refresh_from_db()
    assert draft.end_date == datetime.date(2026, 10, 3)


def test_a_partner_needs_a_name_and_a_sensible_cost(officer, draft):
    with pytest.raises(WorkflowError, match="name"):
        services.external_resource_add(idea_id=draft.pk, by=officer, name=" ", cost=None, note="")
    with pytest.raises(WorkflowError, match="cost"):
        services.external_resource_add(idea_id=draft.pk, by=officer, name="A supplier", cost=Decimal("-5"), note="")
    assert not ExternalResource.objects.exists()
    item = services.external_resource_add(idea_id=draft.pk, by=officer, name="A supplier", cost=Decimal("1200"), note="")
    assert item.cost == Decimal("1200")


def test_someone_else_cannot_change_the_asks(people, team, draft):
    with pytest.raises(WorkflowError):
        services.resource_ask_set(idea_id=draft.pk, by=people["officer_other"], team=team, note="x", days_by_quarter={})
    assert not ResourceAsk.objects.exists()


# --- The drafting pages -----------------------------------------------------------------


def add_url(draft):
    return reverse("ideas:resource_ask_set", kwargs={"pk": draft.pk})


def test_the_page_shows_one_days_box_per_quarter_of_the_timescale(officer, team, draft):
    html = client_for(officer).get(reverse("ideas:edit_section", kwargs={"pk": draft.pk, "section": "resources"})).content.decode()
    for name in ("days_2026_04", "days_2026_07", "days_2026_10"):
        assert f'name="{name}"' in html
    assert 'name="days_2027_01"' not in html
    assert "IT integration" in html


def test_adding_then_adding_another_then_removing(officer, team, draft):
    client = client_for(officer)
    other = Team.objects.create(department=officer.department, name="Adult Social Care practice")
    response = client.post(add_url(draft), {"team": team.pk, "note": "Analyst", "days_2026_04": "5", "action": "add"})
    assert response.status_code == 302
    client.post(add_url(draft), {"team": other.pk, "note": "", "days_2026_07": "10.5", "action": "add"})
    asks = list(ResourceAsk.objects.filter(idea=draft).order_by("pk"))
    assert [a.team for a in asks] == [team, other]
    assert ResourceAskQuarter.objects.get(ask=asks[1]).days == Decimal("10.5")
    page = client.get(reverse("ideas:edit_section", kwargs={"pk": draft.pk, "section": "resources"})).content.decode()
    assert "Ask another team for time" in page and "July to September 2026" in page
    client.post(reverse("ideas:resource_ask_remove", kwargs={"pk": draft.pk, "ask_pk": asks[0].pk}))
    assert list(ResourceAsk.objects.filter(idea=draft)) == [asks[1]]


def test_changing_an_ask_replaces_its_days(officer, team, draft):
    ask = services.resource_ask_set(idea_id=draft.pk, by=officer, team=team, note="", days_by_quarter={APR: Decimal("5")})
    client_for(officer).post(f"{add_url(draft)}?change={ask.pk}",
                             {"team": team.pk, "note": "Now more", "days_2026_07": "3", "action": "add"})
    ask.refresh_from_db()
    assert ask.note == "Now more"
    assert [(q.quarter, q.days) for q in ask.quarters.all()] == [(JUL, Decimal("3.0"))]


@pytest.mark.parametrize("typed, message", [
    ("-3", "cannot be negative"), ("70", "65 or fewer"), ("2.3", "whole or half days"), ("lots", "as a number"),
])
def test_bad_days_on_the_page_keep_what_was_typed_and_save_nothing(officer, team, draft, typed, message):
    response = client_for(officer).post(add_url(draft), {"team": team.pk, "note": "Analyst kept", "days_2026_04": typed,
                                                         "action": "add"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert f'value="{typed}"' in html and "Analyst kept" in html
    assert 'href="#id_days_2026_04"' in html
    assert not ResourceAsk.objects.exists()


def test_a_quarter_outside_the_timescale_posted_by_hand_changes_nothing(officer, team, draft):
    response = client_for(officer).post(add_url(draft), {"team": team.pk, "days_2027_01": "5", "days_2026_04": "1",
                                                         "action": "add"})
    assert response.status_code == 302  # the unknown box is not a field of the form: only April is saved
    assert list(ResourceAskQuarter.objects.values_list("quarter", flat=True)) == [APR]


def test_days_without_a_team_are_refused(officer, draft):
    response = client_for(officer).post(add_url(draft), {"team": "", "days_2026_04": "4", "action": "add"})
    assert "Choose the team you are asking for days" in response.content.decode()
    assert not ResourceAsk.objects.exists()


def test_partners_page_adds_and_refuses_a_negative_cost(officer, draft):
    client = client_for(officer)
    url = reverse("ideas:external_resource_add", kwargs={"pk": draft.pk})
    response = client.post(url, {"name": "A supplier", "cost": "-100", "note": "kept", "action": "add"})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not ExternalResource.objects.exists()
    client.post(url, {"name": "A supplier", "cost": "£1,500", "action": "add"})
    assert ExternalResource.objects.get().cost == Decimal("1500")


# --- The migration ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_free_text_into_notes_and_back():
    before, after = [("ideas", "0012_resource_asks")], [("ideas", "0014_remove_free_text_resources")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldIdea, User = old.get_model("ideas", "Idea"), old.get_model("people", "User")
    Workflow, Stage = old.get_model("ideas", "Workflow"), old.get_model("ideas", "Stage")
    owner = User.objects.create(email="owner-migration@example.gov.uk", full_name="Mig Owner", password="!")
    workflow = Workflow.objects.get(is_default=True)
    stage = Stage.objects.filter(workflow=workflow).order_by("order").first()
    common = dict(owner=owner, workflow=workflow, stage=stage)
    both = OldIdea.objects.create(title="Both", resources_internal="Two developers\nfor 6 months",
                                  resources_external="A supplier; a university", **common)
    internal_only = OldIdea.objects.create(title="Internal", resources_internal="A project manager", **common)
    neither = OldIdea.objects.create(title="Neither", **common)

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    Ask, External = new.get_model("ideas", "ResourceAsk"), new.get_model("ideas", "ExternalResource")
    assert list(Ask.objects.filter(idea_id=both.pk).values_list("team_id", "note")) == [(None, "Two developers\nfor 6 months")]
    assert list(External.objects.filter(idea_id=both.pk).values_list("name", "cost", "note")) == [
        ("", None, "A supplier; a university")]
    assert list(Ask.objects.filter(idea_id=internal_only.pk).values_list("note", flat=True)) == ["A project manager"]
    assert not External.objects.filter(idea_id=internal_only.pk).exists()
    assert not Ask.objects.filter(idea_id=neither.pk).exists()

    executor = MigrationExecutor(connection)
    executor.migrate(before)  # and back: the text returns to the free-text fields
    back = executor.loader.project_state(before).apps.get_model("ideas", "Idea")
    assert back.objects.get(pk=both.pk).resources_internal == "Two developers\nfor 6 months"
    assert back.objects.get(pk=both.pk).resources_external == "A supplier; a university"
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Idea.objects.filter(pk=both.pk).exists()
