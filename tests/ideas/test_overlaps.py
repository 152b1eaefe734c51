"""Overlaps that explain themselves (ideas.overlaps): evidence, reasons, contact, visibility, query counts.

Run on PostgreSQL (the suite's database); ``sqlite_path`` runs the same expectations
through the fallback of laptop mode.
"""

from __future__ import annotations

import pytest
from django.db import connection

from ideas import overlaps
from ideas.models import CentralSystem, DataOutput, IdeaCentralSystem
from tests.factories import DepartmentFactory, UserFactory, make_idea

pytestmark = pytest.mark.django_db

FALLS = "Falls sensors for older people living alone"


@pytest.fixture(params=["postgresql", "fallback"])
def engine(request, monkeypatch):
    """Each test runs through the PostgreSQL query and through the laptop-mode fallback."""
    if request.param == "fallback":
        from ideas import overlaps_fallback

        def find(*, user, probe, limit):
            return overlaps_fallback.find_elsewhere(user=user, probe=probe, limit=limit)

        monkeypatch.setattr(overlaps, "_backend", lambda: find)
    return request.param


def system(name: str) -> CentralSystem:
    return CentralSystem.objects.get_or_create(name=name)[0]


def link(idea, *systems: CentralSystem):
    for s in systems:
        IdeaCentralSystem.objects.create(idea=idea, system=s)


def output(idea, description: str, *valued_by):
    made = DataOutput.objects.create(idea=idea, description=description)
    made.valued_by.set(valued_by)
    return made


def ids(found) -> list[int]:
    return [o.idea_id for o in found]


def test_text_match_is_found_with_reason_contact_and_score(people, engine):
    other = people["officer_other"]
    close = make_idea(other, at="triage", title="Falls sensors for older residents living alone")
    make_idea(other, at="triage", title="Online forms for housing repairs")
    found = overlaps.overlaps_for_draft(user=people["officer"], title=FALLS)
    assert ids(found) == [close.pk]
    first = found[0]
    assert first.owner_name == "Otto Other" and first.owner_email == other.email and first.owner_department == "Housing"
    assert not first.is_mine
    assert 0.21 <= first.score <= 1
    assert first.reasons[0].startswith("both mention falls, sensors")


def test_systems_and_data_valued_by_the_same_department_overlap_without_shared_words(people, engine):
    housing = people["officer_other"].department
    case_mgmt, telecare = system("Social care case management"), system("Telecare platform")
    theirs = make_idea(
        people["officer_other"],
        at="triage",
        title="Telecare fall detectors for tenants",
        problem="Tenants who fall at night lie undiscovered.",
    )
    link(theirs, case_mgmt, telecare)
    output(theirs, "Falls incidents by address", housing)
    unrelated = make_idea(people["officer_other"], at="triage", title="Garden waste subscriptions online")
    link(unrelated, case_mgmt)  # one common system alone is not an overlap
    found = overlaps.overlaps_for_draft(
        user=people["officer"],
        title="Bed occupancy alerts",
        system_ids=[case_mgmt.pk, telecare.pk],
        data_department_ids=[housing.pk],
        data_text="falls alerts for each home",
    )
    assert ids(found) == [theirs.pk]
    assert "both integrate with Social care case management and Telecare platform" in found[0].reasons
    assert "both produce falls data valued by Housing" in found[0].reasons


def test_an_idea_page_probe_uses_the_ideas_saved_systems_departments_and_data(people, engine):
    housing = people["officer_other"].department
    case_mgmt = system("Social care case management")
    mine = make_idea(
        people["officer"],
        at="triage",
        title="Hospital discharge coordination",
        problem="Patients wait on wards for care.",
        departments=[housing],
        services="home care visits",
    )
    link(mine, case_mgmt)
    output(mine, "Discharge delays by ward", housing)
    theirs = make_idea(
        people["officer_other"],
        at="triage",
        title="Reablement scheduling",
        problem="Visits are planned on whiteboards.",
        departments=[housing],
        services="home care and reablement",
    )
    link(theirs, case_mgmt)
    output(theirs, "Reablement outcomes", housing)
    found = overlaps.overlaps_for_idea(user=people["officer"], idea=mine)
    assert ids(found) == [theirs.pk]
    assert found[0].reasons == [
        "both integrate with Social care case management",
        "both produce data valued by Housing",
        "both serve Housing",
        "similar service area (theirs: “home care and reablement”)",
    ]


def test_common_words_such_as_council_do_not_make_an_overlap(people, engine, monkeypatch):
    from ideas import similarity

    monkeypatch.setattr(similarity, "POSTINGS", 3)  # a word in more than 3 ideas is common
    other = people["officer_other"]
    for subject in ("parking permits", "housing repairs", "school admissions", "library loans", "pest control"):
        make_idea(other, at="triage", title=f"Council residents online {subject}")
    found = overlaps.overlaps_for_draft(user=people["officer"], title="Council residents online tree planting")
    assert found == []


def test_the_viewers_own_ideas_are_marked(people, engine):
    mine = make_idea(people["officer"], at="triage", title="Falls sensors for older residents living alone")
    found = overlaps.overlaps_for_draft(user=people["officer"], title=FALLS)
    assert ids(found) == [mine.pk] and found[0].is_mine


def test_confidential_ideas_and_others_drafts_never_appear(people, engine):
    other = people["officer_other"]
    case_mgmt = system("Social care case management")
    hidden = [
        make_idea(other, at="triage", title="Falls sensors for older residents living alone", is_confidential=True),
        make_idea(other, at="draft", title="Falls sensors for older residents living alone"),
    ]
    for idea in hidden:
        link(idea, case_mgmt)
    probe = dict(title=FALLS, system_ids=[case_mgmt.pk])
    assert overlaps.overlaps_for_draft(user=people["officer"], **probe) == []
    # A reader of confidential ideas sees the confidential one, never the draft.
    assert ids(overlaps.overlaps_for_draft(user=people["secretary"], **probe)) == [hidden[0].pk]


def test_the_idea_itself_is_never_its_own_overlap(people, engine):
    idea = make_idea(people["officer"], at="triage", title=FALLS)
    assert overlaps.overlaps_for_idea(user=people["officer"], idea=idea) == []


@pytest.mark.parametrize("extra", [0, 12])
def test_a_fixed_number_of_queries_whatever_the_number_of_ideas(people, django_assert_num_queries, extra):
    """One query on PostgreSQL (14 in laptop mode), with 3 or 15 matching ideas sharing systems, data and departments."""
    housing = people["officer_other"].department
    case_mgmt = system("Social care case management")
    for n in range(3 + extra):
        idea = make_idea(people["officer_other"], at="triage", title=f"Falls sensors pilot {n}", departments=[housing])
        link(idea, case_mgmt)
        output(idea, "falls incidents", housing)
    people["officer"].has_role("officer")  # roles are read once per request, before the panel
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 14):
        found = overlaps.overlaps_for_draft(
            user=people["officer"],
            title=FALLS,
            system_ids=[case_mgmt.pk],
            department_ids=[housing.pk],
            data_department_ids=[housing.pk],
        )
    if connection.vendor == "postgresql":  # in laptop mode "falls" in every idea is a common word, and weighs nothing
        assert len(found) == min(5, 3 + extra)


def test_fallback_queries_are_fixed(people, django_assert_num_queries, monkeypatch):
    from ideas import overlaps_fallback

    monkeypatch.setattr(overlaps, "_backend", lambda: overlaps_fallback.find_elsewhere)
    housing = people["officer_other"].department
    case_mgmt = system("Social care case management")
    for n in range(8):
        idea = make_idea(people["officer_other"], at="triage", title=f"Falls sensors pilot {n}", departments=[housing])
        link(idea, case_mgmt)
    people["officer"].has_role("officer")
    with django_assert_num_queries(9):
        overlaps.overlaps_for_draft(user=people["officer"], title=FALLS, system_ids=[case_mgmt.pk])


def test_an_empty_probe_costs_nothing(people, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert overlaps.overlaps_for_draft(user=people["officer"], title="ab") == []


def test_a_phrase_or_hyphenated_word_of_a_group_brings_in_the_rest_of_its_group():
    from ideas import overlap_words

    # "anti-social" and "temporary accommodation" are written as phrases in the groups: both are looked up.
    assert set(overlap_words.expansions("Anti-social behaviour case tracker").split()) == {"antisocial", "asb", "nuisance"}
    assert set(overlap_words.expansions("Temporary accommodation placement tracker").split()) == {
        "emergency", "housing", "homeless", "homelessness"
    }
    # A word already used (or a form of it, "falls" for "fall") is never added again.
    assert "homeless" not in overlap_words.expansions("Homeless families in temporary accommodation").split()
    assert "fall" not in overlap_words.expansions("Falls sensors").split()


def test_reasons_name_shared_words_as_the_officer_wrote_them():
    found = overlaps.Overlap(
        idea_id=1,
        title="Telecare fall detectors",
        stage_name="Triage",
        department_name="",
        owner_name="",
        owner_email="",
        owner_department="",
        is_mine=False,
        score=0.5,
        text_similarity=0.45,
        data_valued_by=["Housing"],
        data_description="Falls incidents by address",
    )
    probe = overlaps.Probe(title="Falls sensors", data_text="falls alerts")
    assert overlaps.reasons(found, probe=probe, probe_data="falls alerts") == [
        "both mention falls",
        "“sensors” in yours, “detectors” in theirs",
        "both produce falls data valued by Housing",
    ]


def test_a_department_with_many_ideas_still_finds_the_best_not_only_the_newest(people, engine, monkeypatch):
    """Facet candidates are the newest per system, but text candidates come from everywhere."""
    monkeypatch.setattr(overlaps, "FACET_POSTINGS", 2)
    housing = DepartmentFactory(name="Environmental Health")
    case_mgmt = system("Social care case management")
    old = make_idea(people["officer_other"], at="triage", title="Falls sensors for older residents living alone")
    link(old, case_mgmt)
    for n in range(4):
        newer = make_idea(UserFactory(department=housing), at="triage", title=f"Pest control visit {n}")
        link(newer, case_mgmt)
    found = overlaps.overlaps_for_draft(user=people["officer"], title=FALLS, system_ids=[case_mgmt.pk])
    assert ids(found)[0] == old.pk


# --- The drafting endpoint (/ideas/similar/) ------------------------------------------------------


def _panel(client, **params) -> str:
    from django.urls import reverse

    response = client.get(reverse("ideas:similar"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_drafting_panel_takes_chosen_systems_and_never_the_choices_of_an_idea_the_user_may_not_see(people):
    from tests.ideas.test_drafting import client_for

    housing = people["officer_other"].department
    telecare = system("Telecare monitoring platform")
    secret = make_idea(people["officer_other"], at="triage", title="Secret pilot", is_confidential=True)
    link(secret, telecare)
    output(secret, "Night-time alerts", housing)
    shown = make_idea(people["officer_other"], at="triage", title="Overnight response rota", departments=[housing])
    link(shown, telecare)
    output(shown, "Night-time call-outs", housing)
    client = client_for(people["officer"])
    # Another's confidential idea as "exclude": its systems and data are not used (nothing found, nothing learnt).
    assert shown.title not in _panel(client, title="Quiet words only", exclude=secret.pk)
    # The same choices made while drafting find the overlap, with why and whom to contact.
    html = _panel(client, title="Quiet words only", system=telecare.pk, data_department=housing.pk)
    assert shown.title in html
    assert "Both integrate with Telecare monitoring platform" in html
    assert f"mailto:{people['officer_other'].email}" in html
    assert secret.title not in html


def test_the_drafting_panel_makes_a_fixed_number_of_queries(people, django_assert_num_queries):
    from tests.ideas.test_drafting import client_for

    case_mgmt = system("Social care case management")
    for n in range(6):
        link(make_idea(people["officer_other"], at="triage", title=f"Falls sensors pilot {n}"), case_mgmt)
    client = client_for(people["officer"])
    params = {"title": FALLS, "problem": "Older people fall at home.", "system": [case_mgmt.pk]}
    _panel(client, **params)
    # Session, user (with roles), the overlaps query (in laptop mode, the fallback's ten).
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 12):
        html = _panel(client, **params)
    if connection.vendor == "postgresql":  # as above
        assert html.count("data-overlap=") == 5
