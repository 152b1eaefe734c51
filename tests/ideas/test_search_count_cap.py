"""A search's total is counted up to SEARCH_COUNT_CAP (ideas/capped.py): "more than N ideas" past it, exact below.

The plain list keeps its exact kept tally. Pages past the cap still work, in the
list and in the API (whose ``count_capped`` says the count is a lower bound).
"""

from __future__ import annotations

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


def test_a_search_total_is_counted_in_the_page_order_only_where_an_index_serves_it(people, settings):
    # One stage, newest first: the capped count keeps the list's ORDER BY inside its LIMITed subquery, so the
    # planner can walk idea_stage_created and stop at the cap instead of building the bitmap of every match first.
    # With no stage or several, or another sort, no index gives that order under the filter: ordering would sort
    # every match before counting, so the count stays unordered (README, "Filtered search").
    settings.SEARCH_COUNT_CAP = 3
    lampposts(people["officer"], 5)
    secretary = client_for(people["secretary"])
    triage, submitted = stage("triage").pk, stage("submitted").pk

    def count_sql(params):
        with CaptureQueriesContext(connection) as ctx:
            html = secretary.get(LIST, {"q": "lamppost", **params}).content.decode()
        counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*) FROM (SELECT")]
        assert len(counts) == 1 and "LIMIT 26" in counts[0]  # max(cap, one page) + 1
        return counts[0], html

    for params in ({"stage": triage}, {"stage": triage, "sort": "oldest"}):
        sql, html = count_sql(params)
        assert "ORDER BY" in sql and "more than 3 ideas" in html, params
    for params in ({}, {"stage": [triage, submitted]}, {"stage": triage, "sort": "title"}):
        sql, html = count_sql(params)
        assert "ORDER BY" not in sql and "more than 3 ideas" in html, params
