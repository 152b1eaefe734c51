"""The workflow engine: ideas move only along allowed transitions, through ideas.services.idea_move.

Every refused move is checked to change nothing: the idea's stage, its StageChange
rows, its timeline (IdeaEvent) and the outbox (OutboxTask) stay as they were.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from celery.signals import task_postrun
from django.utils import timezone

from harrow_innovation.core import outbox
from harrow_innovation.core.models import OutboxTask
from harrow_innovation.people.roles import Role
from ideas import services
from ideas.models import EventKind, Guard, Idea, IdeaEvent, Review, Stage, StageChange, StageKind, Transition, Workflow
from ideas.services import WorkflowError
from tests.celery_helpers import real_worker
from tests.factories import UserFactory, make_idea, stage, transition

pytestmark = pytest.mark.django_db


def snapshot(idea: Idea) -> tuple:
    return (
        Idea.objects.get(pk=idea.pk).stage_id,
        StageChange.objects.filter(idea=idea).count(),
        IdeaEvent.objects.filter(idea=idea).count(),
        OutboxTask.objects.count(),
        Idea.history.filter(id=idea.pk).count(),
    )


@contextmanager
def refused(idea: Idea, match: str):
    """The block must raise WorkflowError matching ``match`` and leave every trace of the idea unchanged."""
    before = snapshot(idea)
    with pytest.raises(WorkflowError, match=match):
        yield
    assert snapshot(idea) == before


def move(idea, source, target, by, **kwargs):
    return services.idea_move(idea_id=idea.pk, transition=transition(source, target), by=by, **kwargs)


def submit_review(review: Review, score: int = 4) -> Review:
    from ideas.models import Criterion, Recommendation

    return services.review_submit(
        review_id=review.pk, by=review.reviewer, scores={c.pk: score for c in Criterion.objects.filter(is_active=True)},
        recommendation=Recommendation.PROCEED, comment="",
    )


# --- Submitting --------------------------------------------------------------------


def test_submitting_moves_the_draft_records_who_and_sets_submitted_at(people):
    officer = people["officer"]
    idea = make_idea(officer, at="draft")
    assert idea.submitted_at is None

    change = services.idea_submit(idea_id=idea.pk, by=officer)

    idea.refresh_from_db()
    assert idea.stage == stage("submitted")
    assert idea.submitted_at is not None
    assert idea.stage_entered_at == change.at == idea.submitted_at
    assert (change.from_stage, change.to_stage, change.by, change.transition) == (
        stage("draft"), stage("submitted"), officer, transition("draft", "submitted"))
    event = IdeaEvent.objects.get(idea=idea, kind=EventKind.MOVED)
    assert event.actor == officer and "Draft → Submitted" in event.summary
    assert OutboxTask.objects.filter(task_name="ideas.stage_changed", args=[change.pk]).count() == 1
    assert idea.history.first().history_change_reason == "Moved to Submitted"


def test_submitted_at_is_set_on_the_first_submission_only(people):
    officer, secretary = people["officer"], people["secretary"]
    idea = make_idea(officer, at="draft")
    services.idea_submit(idea_id=idea.pk, by=officer)
    first = Idea.objects.get(pk=idea.pk).submitted_at
    move(idea, "submitted", "triage", secretary)
    move(idea, "triage", "more-information", secretary, comment="Please add costs.")
    move(idea, "more-information", "triage", officer)
    idea.refresh_from_db()
    assert idea.stage == stage("triage")
    assert idea.submitted_at == first
    assert idea.stage_changes.count() == 4


def test_a_co_owner_may_submit(people):
    officer, co_owner = people["officer"], people["officer_other"]
    idea = make_idea(officer, at="draft")
    idea.co_owners.add(co_owner)
    change = services.idea_submit(idea_id=idea.pk, by=co_owner)
    assert change.by == co_owner


def test_submitting_twice_is_refused(people):
    officer = people["officer"]
    idea = make_idea(officer, at="draft")
    services.idea_submit(idea_id=idea.pk, by=officer)
    with refused(idea, "already been submitted"):
        services.idea_submit(idea_id=idea.pk, by=officer)


# --- Only along allowed transitions ----------------------------------------------


def test_a_transition_from_another_stage_is_refused(people):
    idea = make_idea(people["officer"], at="submitted")
    with refused(idea, "not possible from “Submitted”"):
        move(idea, "triage", "business-case-review", people["secretary"])


def test_a_transition_of_another_workflow_is_refused(people):
    other = Workflow.objects.create(name="Small grants")
    start = Stage.objects.create(workflow=other, name="Start", slug="start", is_initial=True, kind=StageKind.DRAFT)
    end = Stage.objects.create(workflow=other, name="Funded", slug="funded", order=10)
    foreign = Transition.objects.create(workflow=other, source=start, target=end, label="Fund", allowed_roles=[Role.SECRETARY])
    foreign_withdraw = Transition.objects.create(workflow=other, source=None, target=end, label="Any", owners_may_take=True)
    idea = make_idea(people["officer"], at="submitted")
    with refused(idea, "not possible"):
        services.idea_move(idea_id=idea.pk, transition=foreign, by=people["secretary"])
    with refused(idea, "not possible"):
        services.idea_move(idea_id=idea.pk, transition=foreign_withdraw, by=people["officer"], comment="x")


def test_nothing_moves_out_of_a_final_stage(people):
    idea = make_idea(people["officer"], at="rejected")
    # An admin could not save this transition (Transition.clean refuses it); the service refuses it too.
    back = Transition.objects.create(
        workflow=idea.workflow, source=stage("rejected"), target=stage("triage"), label="Reopen", allowed_roles=[Role.SECRETARY]
    )
    with refused(idea, "This idea is closed"):
        services.idea_move(idea_id=idea.pk, transition=back, by=people["secretary"])
    with refused(idea, "This idea is closed"):
        move(idea, None, "withdrawn", people["officer"], comment="Changed my mind.")
    assert services.transitions_for(idea=Idea.objects.get(pk=idea.pk), user=people["secretary"]) == []


def test_board_decisions_are_not_taken_from_the_idea_page(people):
    idea = make_idea(people["officer"], at="ready-for-board")
    with refused(idea, "Board decisions are recorded at a Board meeting"):
        move(idea, "ready-for-board", "approved", people["secretary"])
    change = move(idea, "ready-for-board", "approved", people["secretary"], as_board_decision=True)
    assert change.to_stage == stage("approved")


# --- Who may take a move ---------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "officer_other", "reviewer", "board_member"])
def test_only_the_roles_a_transition_names_may_take_it(people, role):
    idea = make_idea(people["officer"], at="submitted")
    with refused(idea, "not allowed"):
        move(idea, "submitted", "triage", people[role])


@pytest.mark.parametrize("role", ["secretary"])
def test_a_named_role_may_take_it(people, role):
    idea = make_idea(people["officer"], at="submitted")
    assert move(idea, "submitted", "triage", people[role]).to_stage == stage("triage")


def test_owners_may_take_only_transitions_that_say_so(people):
    officer = people["officer"]
    idea = make_idea(officer, at="triage")
    with refused(idea, "not allowed"):
        move(idea, "triage", "business-case-review", officer)
    # "Send back for triage" names the secretary and lets owners take it.
    idea2 = make_idea(officer, at="more-information")
    assert move(idea2, "more-information", "triage", officer).by == officer


def test_nobody_else_may_submit_someone_elses_draft(people):
    idea = make_idea(people["officer"], at="draft")
    for role in ["officer_other", "reviewer", "secretary", "board_member", "admin"]:
        with refused(idea, "not allowed"):
            services.idea_move(idea_id=idea.pk, transition=transition("draft", "submitted"), by=people[role])


def test_a_role_granted_by_admin_in_a_transition_takes_effect_at_once(people):
    idea = make_idea(people["officer"], at="submitted")
    start_triage = transition("submitted", "triage")
    with refused(idea, "not allowed"):
        services.idea_move(idea_id=idea.pk, transition=start_triage, by=people["board_member"])
    start_triage.allowed_roles = [Role.SECRETARY, Role.BOARD_MEMBER]
    start_triage.save()
    assert services.idea_move(idea_id=idea.pk, transition=start_triage, by=people["board_member"]).to_stage == stage("triage")


def test_a_deactivated_secretary_cannot_move_ideas(people):
    secretary = people["secretary"]
    secretary.is_active = False
    secretary.save()
    idea = make_idea(people["officer"], at="submitted")
    with refused(idea, "not allowed"):
        move(idea, "submitted", "triage", secretary)


# --- Comments --------------------------------------------------------------------


@pytest.mark.parametrize("comment", ["", "   \n  "])
def test_a_transition_that_requires_a_comment_refuses_none(people, comment):
    idea = make_idea(people["officer"], at="triage")
    with refused(idea, "Enter a comment"):
        move(idea, "triage", "more-information", people["secretary"], comment=comment)


def test_the_comment_is_kept_with_the_move_and_on_the_timeline(people):
    idea = make_idea(people["officer"], at="triage")
    change = move(idea, "triage", "more-information", people["secretary"], comment="  Please add the costs.  ")
    assert change.comment == "Please add the costs."
    assert IdeaEvent.objects.get(idea=idea, kind=EventKind.MOVED).detail == "Please add the costs."


# --- Guards ----------------------------------------------------------------------


def test_business_case_complete_guard(people):
    officer = people["officer"]
    idea = make_idea(officer, at="draft", complete=False)
    with refused(idea, "Some answers are still needed: Describe the problem.*Describe the proposed solution"):
        services.idea_submit(idea_id=idea.pk, by=officer)
    services.idea_update(
        idea_id=idea.pk, by=officer, problem="Paper forms.", solution="Online forms.", source="team",
        other_benefits="Time back.", timescale="3 months", risks="Few.", future_proofing="Open standards.",
        one_off_cost=0,
    )
    assert services.idea_submit(idea_id=idea.pk, by=officer).to_stage == stage("submitted")


def test_business_case_guard_needs_a_department_and_costs(people):
    officer = people["officer"]
    idea = make_idea(officer, at="draft", departments=[], one_off_cost=None, recurring_cost=None)
    with refused(idea, "Choose at least one department.*Enter the estimated costs"):
        services.idea_submit(idea_id=idea.pk, by=officer)


def test_reviewer_assigned_guard(people):
    secretary, reviewer = people["secretary"], people["reviewer"]
    idea = make_idea(people["officer"], at="business-case-review")
    panel = Stage.objects.create(workflow=idea.workflow, name="Panel", slug="panel", order=47)
    to_panel = Transition.objects.create(
        workflow=idea.workflow, source=stage("business-case-review"), target=panel, label="Send to the panel",
        allowed_roles=[Role.SECRETARY], guard=Guard.REVIEWER_ASSIGNED,
    )
    with refused(idea, "Assign at least one reviewer first"):
        services.idea_move(idea_id=idea.pk, transition=to_panel, by=secretary)
    review = services.review_assign(idea_id=idea.pk, reviewer=reviewer, by=secretary)
    services.review_cancel(review_id=review.pk, by=secretary)
    with refused(idea, "Assign at least one reviewer first"):  # a cancelled review does not count
        services.idea_move(idea_id=idea.pk, transition=to_panel, by=secretary)
    services.review_assign(idea_id=idea.pk, reviewer=reviewer, by=secretary)
    assert services.idea_move(idea_id=idea.pk, transition=to_panel, by=secretary).to_stage == panel


def test_reviews_of_an_earlier_stage_do_not_satisfy_a_guard(people):
    secretary = people["secretary"]
    idea = make_idea(people["officer"], at="triage")
    submit_review(services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=secretary))
    move(idea, "triage", "business-case-review", secretary)
    with refused(idea, "Assign at least one reviewer first"):
        move(idea, "business-case-review", "ready-for-board", secretary)


def test_all_reviews_complete_guard(people):
    secretary = people["secretary"]
    second = UserFactory(roles=[Role.REVIEWER])
    third = UserFactory(roles=[Role.REVIEWER])
    idea = make_idea(people["officer"], at="business-case-review")
    with refused(idea, "Assign at least one reviewer first"):
        move(idea, "business-case-review", "ready-for-board", secretary)
    first = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=secretary)
    other = services.review_assign(idea_id=idea.pk, reviewer=second, by=secretary)
    dropped = services.review_assign(idea_id=idea.pk, reviewer=third, by=secretary)
    with refused(idea, "3 reviews are not complete yet"):
        move(idea, "business-case-review", "ready-for-board", secretary)
    submit_review(first)
    services.review_cancel(review_id=dropped.pk, by=secretary)
    with refused(idea, "1 review is not complete yet"):
        move(idea, "business-case-review", "ready-for-board", secretary)
    submit_review(other)
    assert move(idea, "business-case-review", "ready-for-board", secretary).to_stage == stage("ready-for-board")


def test_transitions_for_lists_the_moves_a_user_may_take_with_why_they_are_blocked(people):
    secretary = people["secretary"]
    idea = make_idea(people["officer"], at="business-case-review")
    options = {o.transition.label: o.blocked_reason for o in services.transitions_for(idea=idea, user=secretary)}
    assert options == {
        "Mark ready for Board": "Assign at least one reviewer first.",
        "Ask the owners for more information": "",
    }
    owner_options = [o.transition.label for o in services.transitions_for(idea=idea, user=people["officer"])]
    assert owner_options == ["Withdraw idea"]
    assert services.transitions_for(idea=idea, user=people["officer_other"]) == []


# --- Withdrawal from any open stage ------------------------------------------------


@pytest.mark.parametrize(
    "at", ["draft", "submitted", "triage", "business-case-review", "more-information", "ready-for-board", "parked", "in-delivery"]
)
def test_owners_may_withdraw_from_any_open_stage(people, at):
    idea = make_idea(people["officer"], at=at)
    change = move(idea, None, "withdrawn", people["officer"], comment="Another team is doing this.")
    assert (change.from_stage, change.to_stage) == (stage(at), stage("withdrawn"))


def test_only_owners_may_withdraw(people):
    idea = make_idea(people["officer"], at="triage")
    for role in ["officer_other", "secretary", "admin"]:
        with refused(idea, "not allowed"):
            move(idea, None, "withdrawn", people[role], comment="No.")


def test_withdrawal_needs_a_reason(people):
    idea = make_idea(people["officer"], at="triage")
    with refused(idea, "Enter a comment"):
        move(idea, None, "withdrawn", people["officer"])


def test_a_withdrawn_idea_cannot_be_withdrawn_again(people):
    idea = make_idea(people["officer"], at="triage")
    move(idea, None, "withdrawn", people["officer"], comment="Done elsewhere.")
    with refused(idea, "closed"):
        move(idea, None, "withdrawn", people["officer"], comment="Again.")


# --- Stale and illegal moves ----------------------------------------------------------


def test_a_stale_page_is_told_the_idea_has_moved_on(people):
    secretary = people["secretary"]
    idea = make_idea(people["officer"], at="submitted")
    seen = idea.stage_id
    move(idea, "submitted", "triage", secretary, expected_stage_id=seen)
    with refused(idea, "already moved on: it is now at “Triage”"):
        # The same page posted again (a double click): same transition, same expected stage.
        move(idea, "submitted", "triage", secretary, expected_stage_id=seen)
    with refused(idea, "already moved on"):
        # Another button on the stale page, valid from the stage it showed.
        move(idea, None, "withdrawn", people["officer"], comment="x", expected_stage_id=seen)


def test_a_crafted_move_straight_to_the_end_is_refused(people):
    idea = make_idea(people["officer"], at="submitted")
    with refused(idea, "not possible"):
        move(idea, "in-delivery", "delivered", people["secretary"])


def test_a_move_that_fails_half_way_leaves_nothing_behind(people, monkeypatch):
    """If anything fails after the stage is written, the whole move rolls back."""
    idea = make_idea(people["officer"], at="submitted")
    before = snapshot(idea)

    def broken(*args, **kwargs):
        raise RuntimeError("broker row could not be written")

    monkeypatch.setattr(outbox, "enqueue", broken)
    with pytest.raises(RuntimeError):
        move(idea, "submitted", "triage", people["secretary"])
    assert snapshot(idea) == before


# --- Reviews when the idea moves on ----------------------------------------------------


def test_waiting_reviews_are_cancelled_when_the_idea_leaves_the_stage(people):
    secretary = people["secretary"]
    second = UserFactory(roles=[Role.REVIEWER])
    idea = make_idea(people["officer"], at="business-case-review")
    done = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=secretary)
    waiting = services.review_assign(idea_id=idea.pk, reviewer=second, by=secretary)
    submit_review(done)
    elsewhere = make_idea(people["officer_other"], at="business-case-review", title="Another idea")
    untouched = services.review_assign(idea_id=elsewhere.pk, reviewer=second, by=secretary)

    move(idea, "business-case-review", "more-information", secretary, comment="Costs please.")

    statuses = dict(Review.objects.values_list("pk", "status"))
    assert statuses[done.pk] == Review.Status.SUBMITTED
    assert statuses[waiting.pk] == Review.Status.CANCELLED
    assert statuses[untouched.pk] == Review.Status.ASSIGNED
    # The cancellation is in the review's history: by whom, and why.
    latest = Review.history.filter(id=waiting.pk).order_by("-history_id").first()
    assert (latest.status, latest.history_user, latest.history_change_reason) == (
        Review.Status.CANCELLED, secretary, "Idea moved to More information needed"
    )
    assert not Review.history.filter(id__in=[done.pk, untouched.pk], status=Review.Status.CANCELLED).exists()


def test_parked_until_is_cleared_when_the_idea_leaves_the_decision_stages(people):
    idea = make_idea(people["officer"], at="parked", parked_until=timezone.localdate())
    move(idea, "parked", "ready-for-board", people["secretary"])
    idea.refresh_from_db()
    assert idea.parked_until is None


# --- After commit: the outbox and a real Celery worker ---------------------------------------


def test_the_notification_is_published_only_after_commit(people, django_capture_on_commit_callbacks):
    idea = make_idea(people["officer"], at="submitted")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change = move(idea, "submitted", "triage", people["secretary"])
        row = OutboxTask.objects.get(task_name="ideas.stage_changed")
        assert row.args == [change.pk]
        assert row.dispatched_at is None  # written with the move, not yet handed over
    assert callbacks, "publishing waits for the commit"
    for callback in callbacks:
        callback()
    row.refresh_from_db()
    assert row.dispatched_at is not None
    assert (row.attempts, row.last_error) == (1, "")


def test_a_rolled_back_move_publishes_nothing(people, django_capture_on_commit_callbacks):
    from django.db import transaction

    idea = make_idea(people["officer"], at="submitted")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ZeroDivisionError):
            with transaction.atomic():
                move(idea, "submitted", "triage", people["secretary"])
                raise ZeroDivisionError
    assert callbacks == []
    assert not OutboxTask.objects.exists()
    assert Idea.objects.get(pk=idea.pk).stage == stage("submitted")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_receives_the_stage_change(people):
    from ideas.tasks import stage_changed

    idea = make_idea(people["officer"], at="submitted")
    seen: list[tuple] = []
    done = threading.Event()

    def record(sender=None, task_id=None, task=None, args=None, retval=None, **kwargs):
        if task.name == "ideas.stage_changed":
            seen.append((tuple(args), retval, threading.current_thread().name))
            done.set()

    task_postrun.connect(record, weak=False)
    try:
        with real_worker():
            change = move(idea, "submitted", "triage", people["secretary"])  # commits at once: autocommit
            assert done.wait(timeout=20), "the worker did not run ideas.stage_changed"
    finally:
        task_postrun.disconnect(record)
    assert seen[0][0] == (change.pk,)
    assert seen[0][1] == {"change": change.pk, "idea": idea.pk, "stage": "triage"}
    assert seen[0][2] != threading.main_thread().name  # ran in the worker, not eagerly in the test
    row = OutboxTask.objects.get(task_name="ideas.stage_changed")
    assert row.args == [change.pk] and row.dispatched_at is not None and row.last_error == ""
    # Run twice, the task does no harm and gives the same answer.
    assert stage_changed.apply(args=[change.pk]).get() == seen[0][1]
