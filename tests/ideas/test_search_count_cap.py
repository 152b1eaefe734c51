"""A search's total is counted up to SEARCH_COUNT_CAP (ideas/capped.py): "more than N ideas" past it, exact below.

The plain list keeps its exact kept tally. Pages past the cap still work, in the
list and in the API (whose ``count_capped`` says the count is a lower bound).
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_idea, stage

pytestmark = pytest.mark.django_db

LIST = reverse("ideas:list")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def lampposts(owner, n: int) -> None:
    for i in range(n):
        make_idea(owner, at="triage", title=f"Lamppost sensors {i}")
    make_idea(owner, at="triage", title="Something else entirely")


def test_search_total_is_exact_at_the_cap(people, settings):
    settings.SEARCH_COUNT_CAP = 3
    lampposts(people["officer"], 3)
    html = client_for(people["secretary"]).get(LIST, {"q": "lamppost"}).content.decode()
    assert "3 ideas" in html
    assert "Showing 1 to 3 of 3." in html
    assert "more than" not in html


def test_search_total_past_the_cap_says_more_than(people, settings):
    settings.SEARCH_COUNT_CAP = 3
    lampposts(people["officer"], 4)
    html = client_for(people["secretary"]).get(LIST, {"q": "lamppost"}).content.decode()
    assert "more than 3 ideas" in html
    assert "Showing 1 to 4 of more than 3." in html  # the page itself still lists every match it holds


def test_the_unfiltered_list_keeps_its_exact_total_past_the_cap(people, settings):
    settings.SEARCH_COUNT_CAP = 3
    lampposts(people["officer"], 4)
    html = client_for(people["secretary"]).get(LIST).content.decode()
    assert "more than" not in html
    assert "5 ideas" in html


def test_pages_past_the_cap_still_work(people, settings):
    settings.SEARCH_COUNT_CAP = 3
    lampposts(people["officer"], 27)  # 25 a page: the limit on page 1 is 25, so page 2 is found by the count
    client = client_for(people["secretary"])
    first = client.get(LIST, {"q": "lamppost"}).content.decode()
    assert "Showing 1 to 25 of more than 3." in first
    assert 'rel="next"' in first
    second = client.get(LIST, {"q": "lamppost", "page": "2"}).content.decode()
    assert "Showing 26 to 27 of more than 3." in second
    assert 'rel="next"' not in second
    assert "There is no page" not in second


def test_a_capped_search_costs_the_same_queries_as_an_exact_one(people, settings):
    settings.SEARCH_COUNT_CAP = 3
    client = client_for(people["secretary"])
    lampposts(people["officer"], 2)
    with CaptureQueriesContext(connection) as below:
        assert client.get(LIST, {"q": "lamppost"}).status_code == 200
    lampposts(people["officer"], 3)
    with CaptureQueriesContext(connection) as above:
        html = client.get(LIST, {"q": "lamppost"}).content.decode()
    assert "more than 3 ideas" in html
    assert len(above.captured_queries) == len(below.captured_queries)


def count_sql(client, url, params) -> str:
    """The SQL of the capped count a search page sends (exactly as sent, parameters in place)."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*) FROM (SELECT")]
    assert len(counts) == 1
    return counts[0]


def test_a_search_total_is_counted_unordered_whatever_the_filters_and_sort(people, settings):
    # No ORDER BY in the LIMITed subquery: the rows may come straight from the GIN index in any order; an
    # ORDER BY would make the planner either sort every match or walk the stage row by row (README, "Filtered search").
    settings.SEARCH_COUNT_CAP = 3
    lampposts(people["officer"], 5)
    secretary = client_for(people["secretary"])
    triage, submitted = stage("triage").pk, stage("submitted").pk
    for params in ({}, {"stage": triage}, {"stage": triage, "sort": "oldest"}, {"stage": [triage, submitted]},
                   {"stage": triage, "sort": "title"}):
        sql = count_sql(secretary, LIST, {"q": "lamppost", **params})
        assert "ORDER BY" not in sql and "LIMIT 26" in sql, params  # max(cap, one page) + 1


def _plan_nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


@pytest.mark.parametrize("url", [LIST, reverse("api:idea-list")])
def test_a_search_in_a_stage_can_take_words_and_stage_from_one_gin_index(people, url):
    # idea_search_stage holds (search_vector, stage_id) through btree_gin, whose bigint class has no
    # bigint = integer operator: the stage must be compared as bigint, or the index can answer only the words.
    assert connection.vendor == "postgresql"
    lampposts(people["officer"], 5)
    sql = count_sql(client_for(people["secretary"]), url, {"q": "lamppost", "stage": stage("triage").pk})
    with connection.cursor() as cursor:
        # A handful of rows, no statistics: leave the planner no other index on the stage and no sequential scan,
        # so the plan shows what the GIN index can take (this test's transaction only; rolled back).
        cursor.execute(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam"
            " WHERE i.indrelid = 'ideas_idea'::regclass AND a.amname = 'btree' AND NOT i.indisprimary"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
    gin = [n for n in _plan_nodes(plan) if n.get("Index Name") == "idea_search_stage"]
    assert gin, json.dumps(plan, indent=1)
    assert all("search_vector" in n["Index Cond"] and "stage_id" in n["Index Cond"] for n in gin), [n["Index Cond"] for n in gin]
