"""Every portfolio page and API list costs a fixed number of SQL queries, pinned at two data sizes."""

from __future__ import annotations

from datetime import timedelta
from itertools import cycle

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from board.models import AgendaItem, Board, Decision, Meeting
from ideas.models import DataDependency, StageChange
from portfolio.models import BenefitRecord, DeliveryUpdate
from tests.factories import stage
from tests.portfolio.builders import D, idea, system

pytestmark = pytest.mark.django_db

STAGES = ["submitted", "triage", "business-case-review", "ready-for-board", "approved", "in-delivery", "parked",
          "rejected", "delivered"]

# URL name (with kwargs from the data) → queries. Session, user and role lookups included.
# Pages: 2 for the request itself (session; the user with roles and the header's navigation badge),
# then the page's own.
PAGES = {
    "portfolio:overview": 2,
    "portfolio:systems": 2 + 3,  # approved stages, loads grouped by system, systems
    "portfolio:system": 2 + 5,  # system, approved stages, per-stage summary, count, page
    "portfolio:data_outputs": 2 + 4,  # departments, count, page, valued-by prefetch
    "portfolio:data_matrix": 2 + 2,  # flows grouped by department pair, departments
    "portfolio:department_data": 2 + 7,  # department, sources grouped, count, page, prefetch, data coming, contacts
    "portfolio:prioritisation": 2 + 4,  # departments, systems, count, page
    "portfolio:delivery": 2 + 6,  # approved stages, totals (3), count, page
    "portfolio:my_delivery": 2 + 3,  # approved stages, count, page
    "portfolio:delivery_idea": 2 + 6,  # idea, co-owners, reviews, updates, benefits, approved stages
    # departments, approved, stages, the kept submissions (charts 1, 2 and 5 from one query), medians, decisions
    "portfolio:dashboards": 2 + 6,
    "portfolio:export": 2 + 2,  # the filter choices (one query, as on the idea list), count
}
# API: token and roles, then count, page and prefetches.
API = {
    "api:idea-list": 6,
    "api:stage-list": 4,
    "api:review-total-list": 4,
    "api:meeting-list": 4,
    "api:decision-list": 4,
    "api:central-system-list": 5,  # count, page, then the page's loads in one grouped query
    "api:data-output-list": 5,
    "api:data-need-list": 4,  # count, page (ideas and outputs joined)
}


def grow(people, departments, systems, n: int) -> None:
    """Add ``n`` ideas spread over stages, each with links, outputs, history and delivery records."""
    officer, other, secretary = people["officer"], people["officer_other"], people["secretary"]
    owners = cycle([officer, other])
    now = timezone.now()
    previous = None
    for index in range(n):
        slug = STAGES[index % len(STAGES)]
        made = idea(next(owners), slug, title=f"Idea {index}", one_off="100", recurring="10", savings="50",
                    systems=[(systems[index % len(systems)], "20"), (systems[(index + 1) % len(systems)], "5")],
                    outputs=[(f"Data {index}", departments)], weighted_score=D("3.00") if index % 2 else None,
                    is_confidential=index % 5 == 0)
        if previous is not None:  # each idea depends on the previous one's data
            DataDependency.objects.create(idea=made, output=previous.data_outputs.first(), need="x", added_by=officer)
        previous = made
        StageChange.objects.create(idea=made, from_stage=stage("draft"), to_stage=stage("submitted"), by=officer,
                                   at=now - timedelta(days=20))
        StageChange.objects.create(idea=made, from_stage=stage("submitted"), to_stage=stage(slug), by=secretary,
                                   at=now - timedelta(days=3))
        if slug == "approved":
            meeting = Meeting.objects.create(board=Board.objects.get_or_create(name="Innovation Board")[0],
                                             starts_at=now, status="held", created_by=secretary)
            item = AgendaItem.objects.create(meeting=meeting, order=1, kind="idea", idea=made,
                                             stage_when_added=stage("ready-for-board"), title=made.title)
            Decision.objects.create(item=item, outcome="approve", recorded_by=secretary)
        if slug in ("approved", "in-delivery", "delivered"):
            DeliveryUpdate.objects.create(idea=made, status="on_track", percent_complete=30, narrative="x", by=officer)
            BenefitRecord.objects.create(idea=made, period=now.date(), cash_realised=D("10"), by=officer)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


def test_pages_and_api_cost_the_same_queries_at_two_sizes(people, department, other_department, token_for):
    systems = [system(f"System {n}") for n in range(4)]
    departments = [department, other_department]
    target = idea(people["officer"], "in-delivery", title="Tracked")
    kwargs = {
        "portfolio:system": {"slug": systems[0].slug},
        "portfolio:department_data": {"slug": other_department.slug},
        "portfolio:delivery_idea": {"pk": target.pk},
    }
    board = Client()
    board.force_login(people["board_member"])
    owner = Client()
    owner.force_login(people["officer"])
    api = Client(HTTP_AUTHORIZATION=token_for(people["board_member"]))

    def measure() -> dict[str, int]:
        counts = {}
        for name in PAGES:
            client = owner if name == "portfolio:my_delivery" else board
            counts[name] = _count(client, reverse(name, kwargs=kwargs.get(name)))
        for name in API:
            counts[name] = _count(api, reverse(name))
        return counts

    grow(people, departments, systems, len(STAGES) + 1)  # at least one idea in every stage
    small = measure()
    grow(people, departments, systems, 60)
    DeliveryUpdate.objects.create(idea=target, status="at_risk", percent_complete=5, narrative="x", by=people["officer"])
    large = measure()
    assert small == large, {k: (small[k], large[k]) for k in small if small[k] != large[k]}
    assert large == {**PAGES, **API}


def test_filtered_and_paged_pages_cost_the_same(people, department, other_department):
    systems = [system(f"System {n}") for n in range(2)]
    grow(people, [department, other_department], systems, 60)
    board = Client()
    board.force_login(people["board_member"])
    plain = _count(board, reverse("portfolio:data_outputs"))
    assert _count(board, reverse("portfolio:data_outputs") + f"?q=data&department={department.pk}&page=2") == plain
    plain = _count(board, reverse("portfolio:prioritisation"))
    assert _count(board, reverse("portfolio:prioritisation") + f"?department={other_department.pk}&min_score=2") == plain
    plain = _count(board, reverse("portfolio:dashboards"))
    assert _count(board, reverse("portfolio:dashboards") + f"?department={department.pk}") == plain


def test_csv_export_queries_grow_only_per_chunk_of_ideas(people, department, other_department, settings):
    """Streaming export: one query for a chunk of ideas and one per prefetched relation, whatever the row count."""
    from portfolio import exports

    systems = [system("System A"), system("System B")]
    grow(people, [department], systems, 12)
    board = Client()
    board.force_login(people["board_member"])
    url = reverse("portfolio:export_csv")
    whole = _count(board, url)
    original = exports.CHUNK
    try:
        exports.CHUNK = 5  # 12 ideas → 3 chunks: two more chunks, each with its prefetches
        chunked = _count(board, url)
    finally:
        exports.CHUNK = original
    # departments, systems, links, merges, data outputs, their departments, data needs, and the load on the
    # chunk's central systems (their links, the kept totals), and the kept overlaps (the rows, when worked out)
    assert chunked == whole + 2 * 11
