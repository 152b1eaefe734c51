"""The read-only API: token and session access, the pages' visibility rules, filters, pagination and 400s."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from board.models import AgendaItem, Board, Decision, Meeting, MeetingStatus
from ideas.models import Review
from tests.factories import UserFactory, stage
from tests.portfolio.builders import D, idea, system

pytestmark = pytest.mark.django_db



@pytest.fixture
def data(people, department, other_department):
    officer, secretary = people["officer"], people["secretary"]
    alpha = system("Alpha ledger")
    open_idea = idea(officer, "triage", title="Open idea", systems=[(alpha, "100")], weighted_score=D("3.50"),
                     outputs=[("Open data", [other_department])])
    secret = idea(officer, "ready-for-board", title="Secret idea", systems=[(alpha, "900")], is_confidential=True,
                  outputs=[("Secret data", [other_department])], weighted_score=D("4.80"))
    Review.objects.create(idea=secret, stage=secret.stage, reviewer=people["reviewer"], assigned_by=secretary,
                          status="submitted", recommendation="proceed", submitted_at=secret.created_at)
    draft = idea(officer, "draft", title="Officer's draft")
    board = Board.objects.create(name="Innovation Board")
    meeting = Meeting.objects.create(board=board, starts_at=secret.created_at, status=MeetingStatus.HELD,
                                     created_by=secretary)
    item = AgendaItem.objects.create(meeting=meeting, order=1, kind="idea", idea=secret,
                                     stage_when_added=stage("ready-for-board"), title=secret.title)
    decision = Decision.objects.create(item=item, outcome="approve", recorded_by=secretary)
    return {"open": open_idea, "secret": secret, "draft": draft, "alpha": alpha, "meeting": meeting,
            "decision": decision}


def _get(client, name, query=None, **kwargs):
    return client.get(reverse(name, kwargs=kwargs or None), query or {})


def _titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


def test_token_reaches_the_api_and_sees_what_the_pages_show(api, people, data):
    other = api(people["officer_other"])
    assert _titles(_get(other, "api:idea-list")) == {"Open idea"}
    assert _get(other, "api:idea-detail", pk=data["secret"].pk).status_code == 404
    assert _get(other, "api:idea-detail", pk=data["draft"].pk).status_code == 404
    assert _get(other, "api:review-total-detail", pk=data["secret"].pk).status_code == 404
    outputs = _get(other, "api:data-output-list").json()["results"]
    assert [o["description"] for o in outputs] == ["Open data"]
    systems = {s["name"]: s for s in _get(other, "api:central-system-list").json()["results"]}
    assert (systems["Alpha ledger"]["dependent_ideas"], systems["Alpha ledger"]["integration_cost_total"]) == (
        1, "100.00")


def test_readers_of_confidential_ideas_see_them_in_the_api(api, people, data):
    board = api(people["board_member"])
    assert _titles(_get(board, "api:idea-list")) == {"Open idea", "Secret idea"}
    detail = _get(board, "api:idea-detail", pk=data["secret"].pk).json()
    assert detail["is_confidential"] is True
    assert [o["description"] for o in detail["data_outputs"]] == ["Secret data"]
    assert detail["central_systems"][0]["integration_cost"] == "900.00"
    reviewer = api(people["reviewer"])  # assigned to review it
    assert "Secret idea" in _titles(_get(reviewer, "api:idea-list"))
    owner = api(people["officer"])
    assert _titles(_get(owner, "api:idea-list")) == {"Open idea", "Secret idea", "Officer's draft"}


def test_review_totals(api, people, data):
    rows = {r["title"]: r for r in _get(api(people["board_member"]), "api:review-total-list").json()["results"]}
    assert rows["Secret idea"]["reviews_submitted"] == 1
    assert rows["Secret idea"]["recommendations"]["proceed"] == 1
    assert rows["Open idea"]["reviews_submitted"] == 0
    assert "Officer's draft" not in rows


def test_meetings_and_decisions_are_for_board_readers(api, people, data):
    for role in ("officer", "officer_other", "reviewer"):
        response = _get(api(people[role]), "api:decision-list")
        assert response.status_code == 403
        assert "detail" in response.json()
        assert _get(api(people[role]), "api:meeting-list").status_code == 403
    decisions = _get(api(people["board_member"]), "api:decision-list").json()["results"]
    assert [(d["outcome"], d["idea"]["title"]) for d in decisions] == [("approve", "Secret idea")]
    assert _get(api(people["secretary"]), "api:meeting-list").json()["count"] == 1


def test_a_token_without_rights_gets_403(api, token_for, data):
    service = UserFactory(email="robot@harrow.example", roles=[])
    client = api(service)
    for name in ("api:idea-list", "api:stage-list", "api:central-system-list", "api:schema", "api:meeting-list"):
        response = client.get(reverse(name), HTTP_ACCEPT="application/json")
        assert response.status_code == 403, name
        assert "no access" in response.json()["detail"] or name == "api:meeting-list"
    assert _get(client, "api:idea-detail", pk=data["open"].pk).status_code == 403


def test_an_inactive_account_or_bad_token_is_refused(people, token_for, data):
    header = token_for(people["officer"])
    people["officer"].is_active = False
    people["officer"].save()
    closed = Client(HTTP_AUTHORIZATION=header).get(reverse("api:idea-list"))
    assert (closed.status_code, closed.json()) == (401, {"detail": "The account this API token belongs to is closed."})
    bad = Client(HTTP_AUTHORIZATION="Token not-a-token").get(reverse("api:idea-list"))
    assert bad.status_code == 401 and bad["WWW-Authenticate"] == "Token"
    assert "not valid" in bad.json()["detail"]


def test_anonymous_gets_403_json_not_a_sign_in_page(data):
    response = Client().get(reverse("api:idea-list"))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"


def test_session_works_too(client, people, data):
    client.force_login(people["officer_other"])
    assert _titles(client.get(reverse("api:idea-list"))) == {"Open idea"}


def test_filters(api, people, data, other_department):
    board = api(people["board_member"])
    assert _titles(_get(board, "api:idea-list", {"stage": stage("triage").pk})) == {"Open idea"}
    assert _titles(_get(board, "api:idea-list", {"stage_slug": "ready-for-board"})) == {"Secret idea"}
    assert _titles(_get(board, "api:idea-list", {"min_score": "4"})) == {"Secret idea"}
    assert _titles(_get(board, "api:idea-list", {"confidential": "false"})) == {"Open idea"}
    assert _titles(_get(board, "api:idea-list", {"system": data["alpha"].pk})) == {"Open idea", "Secret idea"}
    assert _titles(_get(board, "api:idea-list", {"q": "secret"})) == {"Secret idea"}
    ordered = _get(board, "api:idea-list", {"ordering": "-score"}).json()["results"]
    assert [r["title"] for r in ordered] == ["Secret idea", "Open idea"]
    outputs = _get(board, "api:data-output-list", {"department": other_department.pk}).json()["count"]
    assert outputs == 2
    stages = _get(board, "api:stage-list", {"ready_for_board": "true"}).json()["results"]
    assert [s["slug"] for s in stages] == ["ready-for-board"]


def test_pagination(api, people, data):
    board = api(people["board_member"])
    for n in range(5):
        idea(people["officer"], "submitted", title=f"Extra {n}")
    first = _get(board, "api:idea-list", {"page_size": 3}).json()
    assert first["count"] == 7
    assert len(first["results"]) == 3
    assert "page=2" in first["next"] and first["previous"] is None
    last = _get(board, "api:idea-list", {"page_size": 3, "page": "last"}).json()
    assert len(last["results"]) == 1 and last["next"] is None
    assert _get(board, "api:idea-list", {"page_size": 3, "page": 3}).status_code == 200


@pytest.mark.parametrize("query", [
    {"unknown": "1"},
    {"stage": "abc"},
    {"stage": "99999999999999999999999"},
    {"stage": "-3"},
    {"department": "1.5"},
    {"min_score": "9"},
    {"min_score": "NaN"},
    {"submitted_after": "2025-13-45"},
    {"submitted_after": "99999-01-01"},
    {"source": "nowhere"},
    {"ordering": "password"},
    {"confidential": "perhaps", "extra": "x"},
    {"q": "a" * 201},
    {"q": "nul\x00byte"},
    {"page": "0"},
    {"page": "-1"},
    {"page": "abc"},
    {"page": "99"},
    {"page": "9" * 40},
    {"page_size": "0"},
    {"page_size": "1000"},
    {"page_size": "many"},
])
def test_bad_input_is_a_400_with_a_json_body(api, people, data, query):
    response = _get(api(people["board_member"]), "api:idea-list", query)
    assert response.status_code == 400, (query, response.content)
    body = response.json()
    assert body["detail"] and body["errors"]


def test_detail_with_a_non_number_or_huge_id_is_404_json(api, people, data):
    board = api(people["board_member"])
    for pk in ("abc", "9" * 30, "-1"):
        response = board.get(f"/api/ideas/{pk}/")
        assert response.status_code == 404
        assert response.json()["detail"]


def test_schema_and_docs(api, client, people, data):
    schema = api(people["officer"]).get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for path in ("/api/ideas/", "/api/ideas/{id}/", "/api/stages/", "/api/review-totals/", "/api/meetings/",
                 "/api/decisions/", "/api/central-systems/", "/api/data-outputs/"):
        assert path in paths
    params = {p["name"] for p in schema["paths"]["/api/ideas/"]["get"]["parameters"]}
    assert {"page", "page_size", "stage", "department", "q", "min_score"} <= params
    assert "400" in schema["paths"]["/api/ideas/"]["get"]["responses"]
    client.force_login(people["officer"])
    docs = client.get(reverse("api:docs")).content.decode()
    assert "GET /api/ideas/" in docs and "page_size" in docs and "Authorization: Token" in docs


def test_admin_can_make_a_token_for_a_service_account(client, people):
    import re

    service = UserFactory(email="feed@harrow.example", roles=["officer"])
    client.force_login(people["admin"])
    response = client.post(reverse("api:token_new"), {"name": "Nightly feed", "account": "Feed@harrow.example"})
    assert response.status_code == 200, response.content.decode()[:2000]
    secret = re.search(r'value="(hip_[^"]+)"', response.content.decode()).group(1)
    assert service.api_tokens.get().name == "Nightly feed"
    assert Client(HTTP_AUTHORIZATION=f"Token {secret}").get(reverse("api:idea-list")).status_code == 200
