"""The similar-ideas lookup (ideas.similarity through ideas.selectors.similar_ideas).

On PostgreSQL the lookup reads postings kept by triggers (migration 0008), at most
``POSTINGS`` per term, so its work has a bound whatever the number of ideas. These
tests lower that bound to a few postings so "common" needs only a few ideas.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection

from ideas import selectors, services, similarity
from ideas.models import Idea, IdeaTerm
from tests.factories import make_idea

pytestmark = pytest.mark.django_db

FALLS = "Falls sensors for older people living alone"


@pytest.fixture
def few_postings(monkeypatch):
    """A term in more than 3 ideas is common."""
    monkeypatch.setattr(similarity, "POSTINGS", 3)


def titles(ideas) -> list[str]:
    return [idea.title for idea in ideas]


def terms_of(idea: Idea) -> set[str]:
    return set(IdeaTerm.objects.filter(idea=idea).values_list("term", flat=True))


# --- What is found ---------------------------------------------------------------


def test_the_close_match_is_found_first_with_its_similarity(people):
    other = people["officer_other"]
    close = make_idea(other, at="triage", title="Falls sensors for older residents living alone")
    make_idea(other, at="triage", title="Online forms for housing repairs")
    found = selectors.similar_ideas(user=people["officer"], title=FALLS)
    assert titles(found) == [close.title]
    assert 0.6 < found[0].similarity <= 1


def test_nothing_close_returns_nothing_in_one_query(people, django_assert_num_queries):
    make_idea(people["officer_other"], at="triage", title="Online forms for housing repairs")
    selectors.similar_ideas(user=people["officer"], title="Online forms")  # the user's roles, read once per request
    with django_assert_num_queries(1):
        assert selectors.similar_ideas(user=people["officer"], title="Drone surveys of cemetery land") == []


def test_common_words_carry_no_weight_but_a_rare_pair_of_them_does(people, few_postings):
    other = people["officer_other"]
    for subject in ("council tax", "parking permits", "housing repairs", "school admissions"):
        make_idea(other, at="triage", title=f"Online booking for {subject}")  # "online" and "booking": common
    make_idea(other, at="triage", title="Chatbot for council tax questions")
    # A common word alone weighs nothing (before, every idea holding "booking" came back as a perfect match).
    assert selectors.similar_ideas(user=people["officer"], title="Booking") == []
    assert selectors.similar_ideas(user=people["officer"], title="Online") == []
    # Common words, but few ideas have both "booking" and "parking": the near-duplicate is found.
    found = selectors.similar_ideas(user=people["officer"], title="Online booking of parking permits")
    assert titles(found)[0] == "Online booking for parking permits"


def test_the_idea_itself_is_left_out(people):
    own = make_idea(people["officer"], at="triage", title=FALLS)
    twin = make_idea(people["officer_other"], at="triage", title=FALLS)
    found = selectors.similar_ideas(user=people["officer"], title=FALLS, exclude_id=own.pk)
    assert titles(found) == [twin.title] and found[0].pk == twin.pk


def test_confidential_ideas_and_others_drafts_never_appear(people):
    other = people["officer_other"]
    make_idea(other, at="draft", title=FALLS)
    secret = make_idea(other, at="triage", title=FALLS, is_confidential=True)
    make_idea(people["officer"], at="draft", title=FALLS)  # a draft is not an idea to join, even one's own
    assert selectors.similar_ideas(user=people["officer"], title=FALLS) == []
    # Those whose role reads confidential ideas see it, as on the idea list.
    assert titles(selectors.similar_ideas(user=people["secretary"], title=FALLS)) == [secret.title]


def test_the_problem_finds_ideas_when_there_is_no_title_yet(people):
    close = make_idea(people["officer_other"], at="triage", title="Telecare for frail tenants",
                      problem="Falls sensors for older people living alone raise an alarm.")
    found = selectors.similar_ideas(user=people["officer"], title="", problem=FALLS)
    assert titles(found) == [close.title]


def test_short_or_wordless_probes_find_nothing(people, django_assert_num_queries):
    make_idea(people["officer_other"], at="triage", title="Online forms for housing repairs")
    with django_assert_num_queries(0):
        assert selectors.similar_ideas(user=people["officer"], title="abc") == []
    for probe in ("!!!! ????", "1234 5678", "the and for of"):
        assert selectors.similar_ideas(user=people["officer"], title=probe) == []


# --- The bound ---------------------------------------------------------------------


def _plan_nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


def explain_candidates(title: str, problem: str) -> dict:
    """EXPLAIN ANALYZE of the candidates function's own body, as the database holds it, with its own settings."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc, proconfig FROM pg_proc WHERE proname = 'ideas_similar_candidates'")
        body, config = cursor.fetchone()
        for setting in config:  # enable_bitmapscan=off, ...: for this test's transaction only
            name, value = setting.split("=")
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        cursor.execute(f"PREPARE similar_candidates(text, text, integer, integer, bigint, integer) AS {body}")
        try:
            cursor.execute(
                "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE similar_candidates(%s, %s, %s, %s, 0, %s)",
                [title, problem, similarity.PROBE_PROBLEM_WORDS, similarity.POSTINGS, similarity.CANDIDATES],
            )
            plan = cursor.fetchone()[0]
        finally:
            cursor.execute("DEALLOCATE similar_candidates")
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def test_no_probe_reads_more_than_the_bound_of_postings_per_term(people, few_postings):
    """Each read of the postings index returns at most POSTINGS + 1 rows, however many ideas share the term."""
    other = people["officer_other"]
    for n in range(12):
        make_idea(other, at="triage", title=f"Online booking for council tax number {n}",
                  problem="Residents wait weeks for council tax replies.")
    plan = explain_candidates("Council tax", "Residents wait for online booking")
    reads = [n for n in _plan_nodes(plan) if n.get("Relation Name") == "ideas_ideaterm"]
    assert reads and all(n["Node Type"] in ("Index Only Scan", "Index Scan") for n in reads)
    assert max(n["Actual Rows"] for n in reads) == similarity.POSTINGS + 1  # common terms stop at the bound
    terms = reads[0]["Actual Loops"]  # one read per term of the probe: 2 words, their pair, 4 words of the problem
    assert terms == 7
    assert sum(n["Actual Rows"] * n["Actual Loops"] for n in reads) <= terms * (similarity.POSTINGS + 1)


# --- The postings follow the ideas ----------------------------------------------------


def test_postings_follow_a_changed_title_and_problem_and_go_with_a_deleted_idea(people):
    officer = people["officer"]
    idea = services.idea_create(by=officer, title="Falls sensors for older people", problem="Falls at home.")
    assert {"fall", "sensor", "older", "peopl", "fall sensor", "home"} <= terms_of(idea)
    services.idea_update(idea_id=idea.pk, by=officer, title="Damp alarms in council homes")
    assert "sensor" not in terms_of(idea) and {"damp", "alarm", "alarm damp"} <= terms_of(idea)
    services.idea_update(idea_id=idea.pk, by=officer, problem="Mould grows unseen.")
    assert "fall" not in terms_of(idea) and "mould" in terms_of(idea)
    Idea.objects.filter(pk=idea.pk).update(stage_entered_at=idea.stage_entered_at)  # no text change: kept
    assert "mould" in terms_of(idea)
    pk = idea.pk
    Idea.objects.filter(pk=pk).delete()
    assert not IdeaTerm.objects.filter(idea_id=pk).exists()


def test_a_renamed_idea_is_found_by_its_new_title_only(people):
    other = people["officer_other"]
    idea = make_idea(other, at="draft", title=FALLS)
    services.idea_update(idea_id=idea.pk, by=other, title="Drone surveys of cemetery land")
    Idea.objects.filter(pk=idea.pk).update(stage=make_idea(other, at="triage", title="x").stage)
    assert selectors.similar_ideas(user=people["officer"], title=FALLS) == []
    assert titles(selectors.similar_ideas(user=people["officer"], title="Drone surveys of cemetery land")) == [
        "Drone surveys of cemetery land"
    ]


def test_bulk_created_ideas_get_their_postings(people):
    from django.utils import timezone

    from ideas.models import Stage, Workflow

    workflow = Workflow.objects.get(is_default=True)
    stage = Stage.objects.get(workflow=workflow, slug="triage")
    other = people["officer_other"]
    Idea.objects.bulk_create([
        Idea(title=f"Falls sensors for older people in ward {n}", owner=other, workflow=workflow, stage=stage,
             submitted_at=timezone.now(), search_text=f"Falls sensors for older people in ward {n}")
        for n in range(3)
    ])
    assert len(selectors.similar_ideas(user=people["officer"], title=FALLS)) == 3


# --- Without PostgreSQL (laptop mode) ------------------------------------------------


def test_the_fallback_weighs_words_by_rarity_so_common_words_count_for_nothing(people):
    other = people["officer_other"]
    for subject in ("tax", "parking", "repairs", "admissions", "libraries", "waste"):
        make_idea(other, at="triage", title=f"Council {subject} for residents")
    close = make_idea(other, at="triage", title="Falls sensors for residents of the council")
    qs = Idea.objects.exclude(stage__slug="draft")
    total = Idea.objects.count()
    found = similarity.similar_elsewhere(qs, total=total, title="Council falls sensors", problem="", limit=5)
    assert titles(found) == [close.title]
    assert similarity.similar_elsewhere(qs, total=total, title="Council residents", problem="", limit=5) == []


def test_the_fallback_never_matches_on_one_shared_word_of_several(people):
    """With a demo's few ideas: "Predictive maintenance for council homes" is not like a kiosk idea that
    mentions "home" once; the probe words no idea holds count in what is wanted, as the rarest."""
    other = people["officer_other"]
    kiosk = make_idea(other, at="triage", title="Library self-service kiosks with council services",
                      problem="Residents without internet at home cannot reach online council services.")
    qs = Idea.objects.exclude(stage__slug="draft")
    total = Idea.objects.count()
    assert similarity.similar_elsewhere(qs, total=total, title="Predictive maintenance for council homes",
                                        problem="", limit=5) == []
    assert titles(similarity.similar_elsewhere(qs, total=total, title="Self-service kiosks in libraries",
                                               problem="", limit=5)) == [kiosk.title]


def test_fallback_words_drop_stop_words_numbers_and_plurals():
    assert similarity.words("The sensors for 24 older tenants, and THE falls") == ["sensor", "older", "tenant", "fall"]
    # Words nearly every council idea uses count for nothing, however few ideas there are (laptop mode).
    assert similarity.words("Council services for residents: new online sensors") == ["online", "sensor"]
