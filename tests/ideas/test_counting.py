"""The idea list's total: ``selectors.count_ideas`` and the tally of ideas behind it.

On PostgreSQL the total of an unfiltered (or stage-filtered) list comes from
``IdeaTally`` (ideas per stage and confidentiality, kept by triggers, migration
0004) through the database function ``ideas_visible_count``, instead of counting
every visible row. It must always equal counting the rows of
``selectors.visible_ideas``, for every role, whatever changed the ideas table.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F

from ideas import selectors, services
from ideas.models import Idea, IdeaTally, Review, Stage, Workflow
from ideas.selectors import IdeaFilters
from tests.factories import UserFactory, make_idea, stage, transition
from tests.ideas.test_visibility import ideas, users  # noqa: F401 - fixtures: one user per rule, one idea per kind

pytestmark = pytest.mark.django_db


def tally() -> dict[tuple[int, bool], int]:
    return {(t.stage_id, t.is_confidential): t.ideas for t in IdeaTally.objects.exclude(ideas=0)}


def counted() -> dict[tuple[int, bool], int]:
    rows = Idea.objects.order_by().values("stage_id", "is_confidential").annotate(n=Count("pk"))
    return {(r["stage_id"], r["is_confidential"]): r["n"] for r in rows}


def test_the_database_is_postgresql():
    # Everything below is about PostgreSQL's triggers; on SQLite the list counts rows.
    assert connection.vendor == "postgresql"


def test_the_tally_follows_every_kind_of_change_to_the_ideas_table(people):
    officer, secretary = people["officer"], people["secretary"]
    assert tally() == counted()

    draft = services.idea_create(by=officer, title="Sensors for street lighting", problem="Lights stay on all day.")
    assert tally() == counted()

    made = make_idea(officer, at="submitted", title="A data platform")
    services.idea_move(idea_id=made.pk, transition=transition("submitted", "triage"), by=secretary, comment="")
    assert tally() == counted()

    Idea.objects.filter(pk=made.pk).update(is_confidential=True)  # a bulk update, no signals
    assert tally() == counted()

    workflow = Workflow.objects.get(is_default=True)
    Idea.objects.bulk_create([
        Idea(title=f"Bulk {i}", owner=officer, workflow=workflow, stage=stage("submitted"), is_confidential=i % 3 == 0)
        for i in range(30)
    ])
    assert tally() == counted()

    Idea.objects.filter(title__startswith="Bulk", is_confidential=False).update(stage=stage("ready-for-board"))
    assert tally() == counted()

    Idea.objects.filter(title="Bulk 3").delete()
    draft.title = "A new title changes neither the stage nor confidentiality"
    draft.save()
    assert tally() == counted()

    with connection.cursor() as cursor:  # even raw SQL
        cursor.execute("UPDATE ideas_idea SET stage_id = %s WHERE title LIKE 'Bulk%%'", [stage("parked").pk])
    assert tally() == counted()


def test_a_change_rolled_back_leaves_the_tally_as_it_was(people):
    make_idea(people["officer"], at="triage")
    before = tally()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_idea(people["officer"], at="triage", title="Never kept")
        make_idea(people["officer"], at="triage", title="Breaks a rule", one_off_cost=-1)  # CHECK constraint
    assert tally() == before == counted()


def test_an_update_that_moves_nothing_writes_no_tally_row(people):
    idea = make_idea(people["officer"], at="triage")
    row = IdeaTally.objects.get(stage_id=idea.stage_id, is_confidential=False)
    IdeaTally.objects.filter(pk=row.pk).update(ideas=F("ideas"))  # same value, known starting point
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin FROM ideas_ideatally WHERE id = %s", [row.pk])
        version = cursor.fetchone()[0]
        Idea.objects.filter(pk=idea.pk).update(title="Retitled", weighted_score=3)
        cursor.execute("SELECT xmin FROM ideas_ideatally WHERE id = %s", [row.pk])
        assert cursor.fetchone()[0] == version  # the row was not rewritten, so it was not locked either


@pytest.mark.parametrize("stages", [None, ["draft"], ["triage", "business-case-review"], ["submitted", "withdrawn"]])
def test_the_total_equals_counting_the_rows_for_every_role(users, ideas, stages):  # noqa: F811
    # More ideas around the fixture's, so each part of the count has something to find.
    other = users["officer_other"]
    for slug in ("draft", "submitted", "triage", "business-case-review"):
        make_idea(other, at=slug, title=f"Other's {slug}")
        make_idea(other, at=slug, title=f"Other's confidential {slug}", is_confidential=True)
    stage_ids = [stage(slug).pk for slug in stages] if stages else []
    filters = IdeaFilters(stages=stage_ids)
    for who, user in users.items():
        rows = selectors.filtered_ideas(user=user, filters=filters)
        assert selectors.count_ideas(user=user, filters=filters, ideas=rows) == rows.count(), who


def test_the_total_comes_from_the_tally_not_from_counting_rows(people, django_assert_num_queries):
    officer = people["officer"]
    for slug in ("submitted", "triage"):
        make_idea(people["officer_other"], at=slug)
    filters = IdeaFilters()
    rows = selectors.filtered_ideas(user=officer, filters=filters)
    real = rows.count()
    # Inflate the tally behind the database's back: the total follows it, so the tally is what is read.
    IdeaTally.objects.filter(is_confidential=False).exclude(stage_id__in=Stage.objects.filter(kind="draft")).update(
        ideas=F("ideas") + 1000
    )
    inflated = IdeaTally.objects.filter(is_confidential=False, ideas__gt=1000).count()
    with django_assert_num_queries(1):
        assert selectors.count_ideas(user=officer, filters=filters, ideas=rows) == real + 1000 * inflated


@pytest.mark.parametrize("filters", [
    IdeaFilters(q="street lighting"),
    IdeaFilters(sources=["team"]),
    IdeaFilters(score_band="none"),
])
def test_searches_and_other_filters_count_their_rows(people, filters):
    make_idea(people["officer_other"], at="triage", title="Sensors for street lighting", source="team")
    IdeaTally.objects.update(ideas=F("ideas") + 1000)  # would show if the tally were used
    rows = selectors.filtered_ideas(user=people["officer"], filters=filters)
    assert selectors.count_ideas(user=people["officer"], filters=filters, ideas=rows) == rows.count() == 1


def test_a_reviewer_counts_the_confidential_ideas_they_review_once(people):
    reviewer, secretary = people["reviewer"], people["secretary"]
    idea = make_idea(people["officer_other"], at="business-case-review", is_confidential=True)
    services.review_assign(idea_id=idea.pk, reviewer=reviewer, by=secretary)
    idea.co_owners.add(reviewer)  # made a co-owner later: seen as co-owner and as reviewer, still one idea
    extra = UserFactory(full_name="Second Reviewer")
    Review.objects.create(idea=idea, stage=idea.stage, reviewer=extra, assigned_by=secretary)
    for user in (reviewer, extra, people["officer"]):
        rows = selectors.filtered_ideas(user=user, filters=IdeaFilters())
        assert selectors.count_ideas(user=user, filters=IdeaFilters(), ideas=rows) == rows.count()
    assert selectors.count_ideas(user=reviewer, filters=IdeaFilters(), ideas=selectors.filtered_ideas(user=reviewer, filters=IdeaFilters())) == 1


@pytest.mark.django_db(transaction=True)
def test_two_connections_moving_ideas_in_opposite_directions_both_finish_and_the_tally_adds_up(people):
    """Each statement writes its tally rows in key order, so crossing moves wait for each other, never deadlock."""
    import threading

    from tests.ideas.test_concurrency import TIMEOUT, run_in_thread, wait_until_a_backend_waits_for_a_lock

    officer = people["officer"]
    forwards = [make_idea(officer, at="triage", title=f"Forwards {i}").pk for i in range(3)]
    backwards = [make_idea(officer, at="business-case-review", title=f"Backwards {i}").pk for i in range(3)]
    triage, review = stage("triage"), stage("business-case-review")
    first_wrote = threading.Event()
    release = threading.Event()

    def first():
        with transaction.atomic():
            Idea.objects.filter(pk__in=forwards).update(stage=review)
            first_wrote.set()
            release.wait(TIMEOUT)  # hold the tally rows until the second connection waits for them
        return "done"

    def second():
        first_wrote.wait(TIMEOUT)
        with transaction.atomic():
            Idea.objects.filter(pk__in=backwards).update(stage=triage)
        return "done"

    results: dict = {}
    threads = [run_in_thread(first, results, "first"), run_in_thread(second, results, "second")]
    wait_until_a_backend_waits_for_a_lock()
    release.set()
    for thread in threads:
        thread.join(TIMEOUT)
    assert results == {"first": "done", "second": "done"}
    assert tally() == counted()


@pytest.mark.parametrize("slugs", [[], ["triage"], ["submitted", "business-case-review"], ["rejected", "approved"]])
def test_the_ranking_total_equals_counting_its_rows_for_every_role(users, ideas, slugs):  # noqa: F811
    # The ranking leaves out drafts and final stages ("rejected" is final: nothing of it is ranked).
    other = users["officer_other"]
    for slug in ("draft", "submitted", "triage", "business-case-review", "approved", "rejected"):
        make_idea(other, at=slug, title=f"Other's {slug}")
        make_idea(other, at=slug, title=f"Other's confidential {slug}", is_confidential=True)
    stage_ids = [stage(slug).pk for slug in slugs]
    for who, user in users.items():
        rows = selectors.ranked_ideas(user=user, stage_ids=stage_ids)
        assert selectors.count_ranked(user=user, stage_ids=stage_ids) == rows.count(), (who, slugs)


def test_the_ranking_total_comes_from_the_tally(people, django_assert_num_queries):
    for slug in ("submitted", "triage", "rejected"):
        make_idea(people["officer_other"], at=slug)
    secretary = people["secretary"]
    real = selectors.ranked_ideas(user=secretary).count()
    IdeaTally.objects.filter(stage_id=stage("triage").pk, is_confidential=False).update(ideas=F("ideas") + 1000)
    IdeaTally.objects.filter(stage_id=stage("rejected").pk).update(ideas=F("ideas") + 500)  # final: not ranked
    with django_assert_num_queries(1):
        assert selectors.count_ranked(user=secretary) == real + 1000
