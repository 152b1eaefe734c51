"""Each browsing page costs a fixed number of SQL queries whatever the data size.

Every page is measured with 5 and with 50 of everything (ideas, and on an idea's
page: comments, events, reviews, systems, outputs, attachments, similar ideas),
and the count is pinned. If a change adds a query on purpose, update the pin; if
the two sizes differ, something loads rows one at a time.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from harrow_innovation.people.roles import Role
from ideas import services
from ideas.models import (
    CentralSystem,
    Comment,
    Criterion,
    DataDependency,
    IdeaCentralSystem,
    IdeaEvent,
    Recommendation,
    Review,
)
from tests.factories import DepartmentFactory, UserFactory, make_idea, stage
from tests.world import PDF_BYTES

pytestmark = pytest.mark.django_db


def queries_for(client: Client, url: str, data: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def grow_ideas(people, n: int) -> None:
    """n more ideas for everyone's lists: the officer's own, co-owned, other departments', reviewed, confidential."""
    officer, other, reviewer, secretary = people["officer"], people["officer_other"], people["reviewer"], people["secretary"]
    systems = list(CentralSystem.objects.all()[:3])
    slugs = ["draft", "submitted", "triage", "business-case-review", "more-information", "ready-for-board"]
    for i in range(n):
        owner = officer if i % 2 else other
        idea = make_idea(owner, at=slugs[i % len(slugs)], title=f"Sensors for street lighting {i}",
                         is_confidential=(i % 7 == 0))
        if i % 3 == 0:
            idea.co_owners.add(officer if owner == other else other)
        IdeaCentralSystem.objects.create(idea=idea, system=systems[i % len(systems)], integration_cost=Decimal("10"))
        if idea.stage.slug == "business-case-review":
            Review.objects.create(idea=idea, stage=idea.stage, reviewer=reviewer, assigned_by=secretary)


# The list, a search, filters and sorting: the officer and the secretary see different rules.
LIST_CASES = {
    "list": {},
    "search": {"q": "street lighting"},
    "filters": {"sort": "score", "score": "none", "source": "team", "submitted_from_day": "1",
                "submitted_from_month": "1", "submitted_from_year": "2000"},
    "page 2": {"page": "2"},
}


def test_the_list_costs_the_same_queries_at_any_size(people):
    url = reverse("ideas:list")
    clients = {}
    for role in ("officer", "secretary"):
        clients[role] = Client()
        clients[role].force_login(people[role])
    counts: dict[tuple, list[int]] = {}
    for size in (5, 45):
        grow_ideas(people, size)
        for role, client in clients.items():
            for case, params in LIST_CASES.items():
                params = dict(params)
                if case == "filters":
                    params["stage"] = [stage("submitted").pk, stage("triage").pk]
                counts.setdefault((role, case), []).append(queries_for(client, url, params))
    for key, (small, large) in counts.items():
        assert small == large, key
        # Session; the user with their roles and the header's unread-notifications badge; the filter's
        # choices (stages, departments and systems in one query); the count; one page of rows.
        assert large == PINNED["list"], f"the list now costs {large} queries for {key}"


def test_mine_and_waiting_cost_the_same_queries_at_any_size(people):
    officer, reviewer, secretary = people["officer"], people["reviewer"], people["secretary"]
    counts = {}
    for size in (5, 45):
        grow_ideas(people, size)
        for i in range(size):
            idea = make_idea(people["officer_other"], at="business-case-review", title=f"Review me {size}-{i}")
            services.review_assign(idea_id=idea.pk, reviewer=reviewer, by=secretary)
        for who in ("officer", "reviewer", "secretary"):
            client = Client()
            client.force_login(people[who])
            for name in ("ideas:mine", "ideas:waiting"):
                counts.setdefault((who, name), []).append(queries_for(client, reverse(name)))
    for key, (small, large) in counts.items():
        assert small == large, key
    assert counts[("officer", "ideas:mine")][1] == PINNED["mine"]
    assert counts[("officer", "ideas:waiting")][1] == PINNED["waiting"]
    assert counts[("secretary", "ideas:waiting")][1] == PINNED["waiting for the secretary"]
    del officer


def grow_idea_page(idea, people, n: int) -> None:
    """n more of everything the idea's page shows."""
    officer, other, secretary = people["officer"], people["officer_other"], people["secretary"]
    criteria = list(Criterion.objects.filter(is_active=True))
    for i in range(n):
        Comment.objects.create(idea=idea, author=other if i % 2 else secretary, body=f"Comment {i}")
        IdeaEvent.objects.create(idea=idea, kind="commented", actor=other, summary=f"Event {i}")
        department = DepartmentFactory(name=f"Extra department {idea.pk}-{n}-{i}")
        idea.departments.add(department)
        idea.co_owners.add(UserFactory(department=department))
        output = idea.data_outputs.create(description=f"Output {i}")
        output.valued_by.add(department, officer.department)
        system = CentralSystem.objects.create(name=f"System {idea.pk}-{n}-{i}", slug=f"system-{idea.pk}-{n}-{i}")
        IdeaCentralSystem.objects.create(idea=idea, system=system, integration_cost=Decimal("5"))
        services_upload(idea, officer, i)
        reviewer = UserFactory(roles=[Role.REVIEWER])
        review = Review.objects.create(idea=idea, stage=idea.stage, reviewer=reviewer, assigned_by=secretary)
        services.review_submit(review_id=review.pk, by=reviewer, scores={c.pk: 3 for c in criteria},
                               recommendation=Recommendation.PROCEED, comment="ok")
        copy = make_idea(other, at="triage", title=f"Smart street lighting sensors, copy {n}-{i}")
        # The copy needs this idea's data, and this idea needs the copy's.
        DataDependency.objects.create(idea=copy, output=output, need="Lamp faults", added_by=other)
        DataDependency.objects.create(idea=idea, added_by=officer, need="Footfall",
                                      output=copy.data_outputs.create(description=f"Footfall {i}"))
        grow_joining(idea, people, f"{n}-{i}", i)


def grow_joining(idea, people, key: str, i: int) -> None:
    """A link each way, a contributor, a request to join and a merged idea with its records (issue 13)."""
    from ideas.models import Contributor, IdeaLink, IdeaMerge, JoinRequest

    other, secretary = people["officer_other"], people["secretary"]
    linked = make_idea(other, at="triage", title=f"Linked idea {key}")
    ends = (linked, idea) if i % 2 else (idea, linked)
    IdeaLink.objects.create(from_idea=ends[0], to_idea=ends[1], kind="related", created_by=other)
    Contributor.objects.create(idea=idea, user=UserFactory(), added_by=secretary)
    JoinRequest.objects.create(idea=idea, requester=UserFactory(), message="Let us join")
    merged = make_idea(other, at="withdrawn", title=f"Merged idea {key}")
    Comment.objects.create(idea=merged, author=other, body="On the merged idea")
    merged.data_outputs.create(description=f"Merged output {key}").valued_by.add(other.department)
    system = CentralSystem.objects.create(name=f"Merged system {key}", slug=f"merged-system-{key}")
    IdeaCentralSystem.objects.create(idea=merged, system=system, integration_cost=Decimal("5"))
    services_upload(merged, other, i)
    IdeaMerge.objects.create(merged=merged, survivor=idea, by=secretary, reason="The same idea")


def services_upload(idea, officer, i):
    from ideas.models import Attachment

    Attachment.objects.create(idea=idea, file=SimpleUploadedFile(f"f{i}.pdf", PDF_BYTES), original_name=f"f{i}.pdf",
                              kind="pdf", size=len(PDF_BYTES), uploaded_by=officer)


def test_the_idea_page_costs_the_same_queries_at_any_size(people):
    """Measured with the shared parts (record, comments, timeline) rendered afresh and served from the cache."""
    idea = make_idea(people["officer"], at="business-case-review", title="Smart street lighting sensors")
    url = reverse("ideas:detail", kwargs={"pk": idea.pk})
    counts: dict[tuple[str, str], list[int]] = {}
    for size in (5, 45):
        grow_idea_page(idea, people, size)
        for role in ("officer", "secretary", "board_member"):
            client = Client()
            client.force_login(people[role])
            cache.clear()
            counts.setdefault((role, "cold"), []).append(queries_for(client, url))
            counts.setdefault((role, "warm"), []).append(queries_for(client, url))
    for (role, state), (small, large) in counts.items():
        assert small == large, (role, state)
        pin = PINNED[f"idea page for {role}"] if state == "cold" else PINNED[f"idea page for {role}, shared parts cached"]
        assert large == pin, f"the idea page ({state}) now costs {large} queries for {role}"


# The signed-in user is loaded with their roles and unread-notifications count (people.backends).
PINNED = {
    "list": 5,
    "mine": 4,
    "waiting": 8,  # + open Board actions and delivery updates due (11.9)
    "waiting for the secretary": 9,
    # + Working together (issue 13): links, contributors, requests to join, merged-in ideas and,
    # when there are any, their systems, data outputs (and who values them) and attachments;
    # + the data it needs and who needs its data (issue 13: one query each)
    # + staff-time asks with their quarters, and partners (issue 13), in the record: 2 when not cached
    # + the load on the central systems it needs (issue 13 item 4), read from the kept totals: 1 query when the
    # record is rendered (its links are loaded), 2 when it is cached (the links, then the totals)
    # + similar ideas: their ranking (kept a few minutes, overlaps_page.overlaps_for_idea_page), then the
    # ranked ideas this viewer may see
    "idea page for officer": 29,  # whether the viewer follows the idea comes with the idea
    "idea page for secretary": 31,
    "idea page for board_member": 29,
    # Cached record, comments and timeline (ideas.idea_page): their 8 queries are skipped; so is
    # the similar ideas' ranking.
    "idea page for officer, shared parts cached": 19,
    "idea page for secretary, shared parts cached": 21,
    "idea page for board_member, shared parts cached": 19,
    # An idea with no contributors, requests to join, links, merged-in ideas, data needs or central
    # systems (most ideas) skips those sections' queries: the query loading the idea says which have rows.
    "plain idea page for officer": 15,
    "plain idea page for officer, shared parts cached": 6,
}


def test_an_idea_whose_overlaps_were_worked_out_reads_them_in_one_query(people):
    """Kept overlaps (ideas.overlaps_kept) replace the ranking and the read of the ranked ideas: one query, cached
    record or not (a plain idea's empty ranking, when kept a few minutes, needed none: hence one more when warm)."""
    from ideas import overlaps_kept

    idea = make_idea(people["officer"], at="business-case-review", title="Smart street lighting sensors")
    overlaps_kept.refresh(idea.pk)
    client = Client()
    client.force_login(people["officer"])
    url = reverse("ideas:detail", kwargs={"pk": idea.pk})
    cold = queries_for(client, url)
    warm = queries_for(client, url)
    assert (cold, warm) == (PINNED["plain idea page for officer"], PINNED["plain idea page for officer, shared parts cached"] + 1)


def test_an_idea_without_links_joins_or_data_needs_skips_their_queries(people):
    idea = make_idea(people["officer"], at="business-case-review", title="Smart street lighting sensors")
    client = Client()
    client.force_login(people["officer"])
    url = reverse("ideas:detail", kwargs={"pk": idea.pk})
    cold = queries_for(client, url)
    warm = queries_for(client, url)
    assert (cold, warm) == (PINNED["plain idea page for officer"], PINNED["plain idea page for officer, shared parts cached"])
    # One row of each kind brings its section's queries back, and the section shows it.
    from ideas.models import Contributor

    Contributor.objects.create(idea=idea, user=people["officer_other"], added_by=people["officer"])
    response = client.get(url)
    assert people["officer_other"].full_name in response.content.decode()
