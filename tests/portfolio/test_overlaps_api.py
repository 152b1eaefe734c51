"""Overlaps in the read-only API (/api/ideas/<id>/overlaps/): same selector and visibility as the idea page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ideas.models import CentralSystem, IdeaCentralSystem
from tests.factories import make_idea

pytestmark = pytest.mark.django_db



@pytest.fixture
def falls(people):
    case_mgmt = CentralSystem.objects.get_or_create(name="Social care case management")[0]
    ideas = {
        "mine": make_idea(people["officer_other"], at="triage", title="Falls sensors for older people living alone"),
        "theirs": make_idea(people["officer"], at="triage", title="Falls sensors for older residents living alone"),
        "secret": make_idea(
            people["officer"], at="triage", title="Falls sensors for older tenants living alone", is_confidential=True
        ),
        "draft": make_idea(people["officer"], at="draft", title="Falls sensors for older tenants alone at home"),
    }
    for idea in ideas.values():
        IdeaCentralSystem.objects.create(idea=idea, system=case_mgmt)
    return ideas


def url(idea) -> str:
    return reverse("api:idea-overlaps", kwargs={"pk": idea.pk})


def test_overlaps_with_reasons_and_contact_without_confidential_ideas_or_drafts(api, people, falls):
    rows = api(people["officer_other"]).get(url(falls["mine"])).json()
    assert [row["id"] for row in rows] == [falls["theirs"].pk]  # not the confidential idea, not the draft
    row = rows[0]
    assert row["reference"] == falls["theirs"].reference
    assert row["owner"] == {
        "name": "Olive Officer",
        "email": people["officer"].email,
        "department": "Adult Social Care",
    }
    assert row["shared_systems"] == ["Social care case management"]
    assert "both integrate with Social care case management" in row["reasons"]
    assert row["is_mine"] is False and 0 < row["score"] <= 1


def test_a_reader_of_confidential_ideas_sees_them_and_owners_see_theirs_marked(api, people, falls):
    rows = api(people["officer"]).get(url(falls["mine"])).json()
    assert {row["id"] for row in rows} == {falls["theirs"].pk, falls["secret"].pk}
    assert all(row["is_mine"] for row in rows)


def test_an_idea_the_caller_may_not_see_is_404_and_bad_parameters_400(api, people, falls):
    client = api(people["officer_other"])
    assert client.get(url(falls["secret"])).status_code == 404
    assert client.get(url(falls["draft"])).status_code == 404
    assert client.get(url(falls["mine"]), {"limit": "0"}).status_code == 400
    assert client.get(url(falls["mine"]), {"colour": "red"}).status_code == 400
    assert client.get(url(falls["mine"]), {"limit": "1"}).status_code == 200


def test_the_schema_documents_overlaps(api, people):
    schema = api(people["officer"]).get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/ideas/{id}/overlaps/"]["get"]
    assert "overlapping" in operation["summary"]
    assert {p["name"] for p in operation["parameters"]} >= {"id", "limit"}
