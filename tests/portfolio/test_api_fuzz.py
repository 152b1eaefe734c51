"""An OpenAPI fuzz: every GET operation in /api/schema/, with a valid token, bad and edge parameters. No 5xx.

It reads the schema the API serves, so a new endpoint or parameter is fuzzed
without changing this test. Values: wrong types, huge and negative numbers,
impossible dates, unicode, NUL bytes, very long text, unknown parameters, and
random combinations (fixed seed, so a failure repeats).
"""

from __future__ import annotations

import random
from urllib.parse import quote

import pytest
from django.test import Client

from tests.factories import stage
from tests.portfolio.builders import D, idea, system

pytestmark = pytest.mark.django_db

EDGE_VALUES = [
    "", " ", "abc", "0", "1", "-1", "1.5", "-0", "1e400", "NaN", "Infinity", "9" * 40, str(2**63), str(-(2**63) - 1),
    "true", "false", "null", "[]", "{}", "2025-02-30", "0000-00-00", "9999-12-31", "99999-01-01", "2025-01-01T25:00",
    "ünïcødé ✓ 漢字 🙂", "\x00", "nul\x00byte", "' OR 1=1 --", "%", "_", "\\", "a" * 1000, "last", "-score", "?,&=",
]
PATH_VALUES = ["1", "0", "-1", "abc", "9" * 30, str(2**63), "ü", "1.0", "%00"]


@pytest.fixture
def schema_and_client(people, token_for, other_department):
    alpha = system("Alpha ledger")
    for n in range(3):
        idea(people["officer"], "ready-for-board", title=f"Idea {n}", systems=[(alpha, "10")],
             weighted_score=D("3.00"), outputs=[(f"Data {n}", [other_department])], is_confidential=n == 0)
    client = Client(HTTP_AUTHORIZATION=token_for(people["board_member"]))
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json(), client


def _operations(schema):
    for path, operations in schema["paths"].items():
        if "get" in operations:
            yield path, operations["get"]


def _fill(path: str, value: str) -> str:
    out = path
    while "{" in out:
        start, end = out.index("{"), out.index("}")
        out = out[:start] + quote(value, safe="") + out[end + 1:]
    return out


def test_no_operation_answers_5xx_to_bad_or_edge_parameters(schema_and_client):
    schema, client = schema_and_client
    rng = random.Random(20240607)
    failures, requests = [], 0

    def call(url, params):
        nonlocal requests
        requests += 1
        response = client.get(url, params)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} GET {url} {params!r}")
        return response

    operations = list(_operations(schema))
    assert len(operations) >= 14
    for path, operation in operations:
        query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        urls = [_fill(path, value) for value in PATH_VALUES] if "{" in path else [path]
        for url in urls:
            call(url, {})
            call(url, {"unknown_parameter": "1"})
        base = _fill(path, str(stage("triage").pk)) if "{" in path else path
        for name in query:
            for value in EDGE_VALUES:
                call(base, {name: value})
        for _ in range(25):  # random combinations, including repeated and unknown names
            params = {name: rng.choice(EDGE_VALUES) for name in rng.sample(query, k=min(len(query), rng.randint(1, 4)))}
            if rng.random() < 0.2:
                params["zz_" + rng.choice(["x", "ü", "page[]"])] = rng.choice(EDGE_VALUES)
            call(base, params)
    assert not failures, "\n".join(failures[:30])
    assert requests > 1000


def test_every_list_operation_answers_200_with_a_valid_token(schema_and_client):
    schema, client = schema_and_client
    lists = [path for path, _ in _operations(schema) if "{" not in path]
    assert len(lists) >= 7
    for path in lists:
        response = client.get(path)
        assert response.status_code == 200, path
        assert {"count", "results"} <= set(response.json())
