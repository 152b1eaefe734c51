"""Two people acting on the same idea at once, each on their own real PostgreSQL connection.

Each thread gets its own database connection (Django keeps one per thread), so
these tests need committed data (transactional_db) and close their connections
when done.
"""

from __future__ import annotations

import threading

import pytest
from django.db import transaction

from harrow_innovation.core.models import OutboxTask
from harrow_innovation.people.roles import Role
from ideas import services
from ideas.models import Criterion, EventKind, Idea, IdeaEvent, Recommendation, Review, StageChange
from ideas.services import WorkflowError
from tests.concurrency import TIMEOUT, run_in_thread, wait_until_a_backend_waits_for_a_lock
from tests.factories import UserFactory, make_idea, stage, transition
from tests.services import need_postgres

pytestmark = pytest.mark.django_db(transaction=True)

def traces(idea: Idea) -> dict:
    return {
        "changes": StageChange.objects.filter(idea=idea).count(),
        "moved_events": IdeaEvent.objects.filter(idea=idea, kind=EventKind.MOVED).count(),
        "outbox": OutboxTask.objects.filter(task_name="ideas.stage_changed").count(),
    }


def test_two_people_move_the_same_idea_at_once_one_is_told_it_has_moved_on(people):
    """Thread A holds the row lock (idea_move's select_for_update) while thread B tries the same move."""
    need_postgres()
    secretary = people["secretary"]
    other_secretary = UserFactory(roles=[Role.SECRETARY])
    idea = make_idea(people["officer"], at="submitted")
    start_triage = transition("submitted", "triage")
    seen_stage = idea.stage_id
    barrier = threading.Barrier(2, timeout=TIMEOUT)
    b_is_waiting = threading.Event()
    results: dict = {}

    def first():
        with transaction.atomic():
            # idea_move locks the row first thing; hold that lock while B tries.
            change = services.idea_move(
                idea_id=idea.pk, transition=start_triage, by=secretary, expected_stage_id=seen_stage
            )
            barrier.wait()
            assert b_is_waiting.wait(TIMEOUT)
        return change

    def second():
        barrier.wait()
        return services.idea_move(
            idea_id=idea.pk, transition=start_triage, by=other_secretary, expected_stage_id=seen_stage
        )

    threads = [run_in_thread(first, results, "A"), run_in_thread(second, results, "B")]
    barrier_reached = False
    try:
        wait_until_a_backend_waits_for_a_lock()
        barrier_reached = True
    finally:
        b_is_waiting.set()
        for thread in threads:
            thread.join(TIMEOUT)
    assert barrier_reached
    assert isinstance(results["A"], StageChange), results["A"]
    assert isinstance(results["B"], WorkflowError), results["B"]
    assert "already moved on" in str(results["B"])
    idea.refresh_from_db()
    assert idea.stage == stage("triage")
    assert traces(idea) == {"changes": 1, "moved_events": 1, "outbox": 1}
    change = StageChange.objects.get(idea=idea)
    assert (change.by, change.from_stage, change.to_stage) == (secretary, stage("submitted"), stage("triage"))


def test_two_different_moves_started_together_exactly_one_wins(people):
    """A symmetric race, repeated: the secretary starts triage while the owner withdraws."""
    need_postgres()
    secretary, officer = people["secretary"], people["officer"]
    for _ in range(5):
        idea = make_idea(officer, at="submitted")
        seen_stage = idea.stage_id
        barrier = threading.Barrier(2, timeout=TIMEOUT)
        results: dict = {}

        def triage(idea=idea, seen_stage=seen_stage, barrier=barrier):
            barrier.wait()
            return services.idea_move(
                idea_id=idea.pk, transition=transition("submitted", "triage"), by=secretary, expected_stage_id=seen_stage
            )

        def withdraw(idea=idea, seen_stage=seen_stage, barrier=barrier):
            barrier.wait()
            return services.idea_move(
                idea_id=idea.pk, transition=transition(None, "withdrawn"), by=officer, comment="Done elsewhere.",
                expected_stage_id=seen_stage,
            )

        threads = [run_in_thread(triage, results, "triage"), run_in_thread(withdraw, results, "withdraw")]
        for thread in threads:
            thread.join(TIMEOUT)
        outcomes = sorted(type(r).__name__ for r in results.values())
        assert outcomes == ["StageChange", "WorkflowError"], results
        loser = next(r for r in results.values() if isinstance(r, WorkflowError))
        assert "already moved on" in str(loser)
        winner = next(r for r in results.values() if isinstance(r, StageChange))
        idea.refresh_from_db()
        assert idea.stage_id == winner.to_stage_id
        assert StageChange.objects.filter(idea=idea).count() == 1
        assert IdeaEvent.objects.filter(idea=idea, kind=EventKind.MOVED).count() == 1
        assert OutboxTask.objects.filter(task_name="ideas.stage_changed", args=[winner.pk]).count() == 1


def test_a_review_submitted_while_the_idea_moves_on_is_refused_cleanly(people):
    """The move holds the idea's lock; the review waits for it (no deadlock), then sees it was cancelled."""
    need_postgres()
    secretary, reviewer = people["secretary"], people["reviewer"]
    idea = make_idea(people["officer"], at="business-case-review")
    review = services.review_assign(idea_id=idea.pk, reviewer=reviewer, by=secretary)
    scores = {c.pk: 4 for c in Criterion.objects.filter(is_active=True)}
    holding = threading.Event()
    reviewer_waiting = threading.Event()
    results: dict = {}

    def move_on():
        with transaction.atomic():
            Idea.objects.select_for_update().get(pk=idea.pk)
            holding.set()
            assert reviewer_waiting.wait(TIMEOUT)
            return services.idea_move(
                idea_id=idea.pk, transition=transition("business-case-review", "more-information"), by=secretary,
                comment="Costs, please.",
            )

    def submit():
        assert holding.wait(TIMEOUT)
        return services.review_submit(
            review_id=review.pk, by=reviewer, scores=scores, recommendation=Recommendation.PROCEED, comment=""
        )

    threads = [run_in_thread(move_on, results, "move"), run_in_thread(submit, results, "review")]
    try:
        wait_until_a_backend_waits_for_a_lock()
    finally:
        reviewer_waiting.set()
        for thread in threads:
            thread.join(TIMEOUT)
    assert isinstance(results["move"], StageChange), results["move"]
    assert isinstance(results["review"], WorkflowError), results["review"]
    assert "no longer needed" in str(results["review"])
    review.refresh_from_db()
    assert review.status == Review.Status.CANCELLED
    assert not review.scores.exists()
    assert Idea.objects.get(pk=idea.pk).review_count == 0


def test_two_reviews_submitted_at_once_both_count_in_the_idea_score(people):
    """Each submission recomputes the idea's mean under the idea's lock, so neither overwrites the other."""
    need_postgres()
    secretary = people["secretary"]
    reviewers = [people["reviewer"], UserFactory(roles=[Role.REVIEWER])]
    idea = make_idea(people["officer"], at="business-case-review")
    reviews = [services.review_assign(idea_id=idea.pk, reviewer=r, by=secretary) for r in reviewers]
    criteria = list(Criterion.objects.filter(is_active=True))
    barrier = threading.Barrier(2, timeout=TIMEOUT)
    results: dict = {}

    def submit(review, score):
        def body():
            barrier.wait()
            return services.review_submit(
                review_id=review.pk, by=review.reviewer, scores={c.pk: score for c in criteria},
                recommendation=Recommendation.PROCEED, comment="",
            )

        return body

    threads = [run_in_thread(submit(reviews[0], 5), results, "a"), run_in_thread(submit(reviews[1], 2), results, "b")]
    for thread in threads:
        thread.join(TIMEOUT)
    assert all(isinstance(r, Review) for r in results.values()), results
    idea.refresh_from_db()
    assert idea.review_count == 2
    assert str(idea.weighted_score) == "3.50"
