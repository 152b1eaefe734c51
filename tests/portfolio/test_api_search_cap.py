"""The API's idea search counts up to SEARCH_COUNT_CAP (ideas/capped.py); ``count_capped`` says when it stopped."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.ideas.test_search_count_cap import lampposts

pytestmark = pytest.mark.django_db

API_LIST = reverse("api:idea-list")


def test_api_search_count_is_capped_and_says_so(people, settings, token_for):
    settings.SEARCH_COUNT_CAP = 3
    lampposts(people["officer"], 5)
    api = Client(HTTP_AUTHORIZATION=token_for(people["secretary"]))
    body = api.get(API_LIST, {"q": "lamppost", "page_size": "2"}).json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (4, True, 2)
    assert body["next"]
    second = api.get(API_LIST, {"q": "lamppost", "page_size": "2", "page": "2"}).json()
    assert second["count_capped"] is True and second["next"]
    third = api.get(API_LIST, {"q": "lamppost", "page_size": "2", "page": "3"}).json()
    assert (third["count"], len(third["results"]), third["next"]) == (5, 1, None)
    titles = {row["title"] for page in (body, second, third) for row in page["results"]}
    assert titles == {f"Lamppost sensors {i}" for i in range(5)}


def test_api_counts_exactly_below_the_cap_and_without_a_search(people, settings, token_for):
    settings.SEARCH_COUNT_CAP = 3
    lampposts(people["officer"], 2)
    api = Client(HTTP_AUTHORIZATION=token_for(people["secretary"]))
    body = api.get(API_LIST, {"q": "lamppost"}).json()
    assert (body["count"], body["count_capped"]) == (2, False)
    lampposts(people["officer"], 2)
    plain = api.get(API_LIST).json()
    assert (plain["count"], plain["count_capped"]) == (6, False)
