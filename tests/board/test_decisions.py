"""Decisions: each outcome moves the idea through the workflow and appears in its timeline;
bad input and stale agendas are refused with nothing changed; deferred ideas carry over."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from board import selectors, services
from board.models import AgendaItem, Decision, MeetingLog
from board.services import BoardError, Resources
from ideas.models import EventKind, Idea, IdeaEvent, StageChange
from ideas.services import idea_move
from tests.factories import make_idea, stage, transition
from tests.world_extras.board import future, idea_item_on, past_meeting

pytestmark = pytest.mark.django_db


def _unchanged(idea, item):
    idea.refresh_from_db()
    assert idea.stage == stage("ready-for-board")
    assert not Decision.objects.filter(item=item).exists()
    assert not IdeaEvent.objects.filter(idea=idea, kind=EventKind.DECISION).exists()
    assert not StageChange.objects.filter(idea=idea).exists()


@pytest.mark.parametrize(("outcome", "target", "extra"), [
    ("approve", "approved", {}),
    ("approve_with_conditions", "approved-with-conditions", {"conditions": "Pilot in one ward first."}),
    ("reject", "rejected", {}),
    ("more_information", "more-information", {}),
])
def test_a_decision_moves_the_idea_and_appears_in_its_timeline(idea_item, secretary, outcome, target, extra):
    idea = idea_item.idea
    decision = services.decision_record(
        item_id=idea_item.pk, by=secretary, outcome=outcome,
        resources=Resources(Decimal("25000"), "A project manager", "An industry body"), **extra,
    )
    idea.refresh_from_db()
    assert idea.stage == stage(target)
    change = decision.stage_change
    assert (change.idea_id, change.from_stage.slug, change.to_stage.slug, change.by) == (
        idea.pk, "ready-for-board", target, secretary)
    assert decision.budget_allocated == Decimal("25000") and decision.people_allocated == "A project manager"
    event = IdeaEvent.objects.get(idea=idea, kind=EventKind.DECISION)
    assert event.summary.startswith("Innovation Board, ")
    assert "Budget: £25,000." in event.detail and "External support: An industry body" in event.detail
    if outcome == "approve_with_conditions":
        assert change.comment == "Pilot in one ward first."
        assert decision.conditions == "Pilot in one ward first."
    assert MeetingLog.objects.filter(meeting=idea_item.meeting, action="decision.recorded").exists()


def test_park_until_a_date_sets_the_date_on_the_idea(idea_item, secretary):
    until = timezone.localdate() + timedelta(days=90)
    decision = services.decision_record(item_id=idea_item.pk, by=secretary, outcome="park", park_until=until)
    idea = Idea.objects.get(pk=idea_item.idea_id)
    assert idea.stage == stage("parked") and idea.parked_until == until
    assert decision.park_until == until
    assert IdeaEvent.objects.get(idea=idea, kind=EventKind.DECISION).summary.endswith(f"Parked until {until:%-d %B %Y}")


@pytest.mark.parametrize(("kwargs", "message", "field"), [
    ({"outcome": "approve_with_conditions"}, "Enter the conditions", "conditions"),
    ({"outcome": "approve_with_conditions", "conditions": "   "}, "Enter the conditions", "conditions"),
    ({"outcome": "park"}, "Enter the date the idea is parked until", "park_until"),
    ({"outcome": "park", "park_until": timezone.localdate()}, "must be in the future", "park_until"),
    ({"outcome": "park", "park_until": timezone.localdate() - timedelta(days=3)}, "must be in the future", "park_until"),
    ({"outcome": "approve", "resources": Resources(Decimal("-1"))}, "Enter a budget between", "budget_allocated"),
    ({"outcome": "maybe"}, "Choose a decision", "outcome"),
    ({"outcome": ""}, "Choose a decision", "outcome"),
])
def test_bad_decisions_are_refused_and_nothing_changes(idea_item, secretary, kwargs, message, field):
    with pytest.raises(BoardError, match=message) as caught:
        services.decision_record(item_id=idea_item.pk, by=secretary, **kwargs)
    assert caught.value.field == field
    _unchanged(idea_item.idea, idea_item)


def test_deciding_an_item_twice_is_refused(idea_item, secretary):
    services.decision_record(item_id=idea_item.pk, by=secretary, outcome="approve")
    with pytest.raises(BoardError, match="already been recorded"):
        services.decision_record(item_id=idea_item.pk, by=secretary, outcome="reject")
    idea = Idea.objects.get(pk=idea_item.idea_id)
    assert idea.stage == stage("approved")
    assert Decision.objects.get(item=idea_item).outcome == "approve"
    assert IdeaEvent.objects.filter(idea=idea, kind=EventKind.DECISION).count() == 1


def test_deciding_an_idea_that_has_moved_on_is_refused(idea_item, secretary, officer):
    idea_move(idea_id=idea_item.idea_id, transition=transition(None, "withdrawn"), by=officer, comment="Stopping")
    with pytest.raises(BoardError, match="has moved on since it was put on the agenda: it is now at Withdrawn"):
        services.decision_record(item_id=idea_item.pk, by=secretary, outcome="approve")
    idea = Idea.objects.get(pk=idea_item.idea_id)
    assert idea.stage == stage("withdrawn")
    assert not Decision.objects.exists()
    assert not IdeaEvent.objects.filter(idea=idea, kind=EventKind.DECISION).exists()


def test_deferring_an_idea_that_has_moved_on_is_refused_too(idea_item, secretary, officer):
    idea_move(idea_id=idea_item.idea_id, transition=transition(None, "withdrawn"), by=officer, comment="Stopping")
    with pytest.raises(BoardError, match="has moved on"):
        services.decision_record(item_id=idea_item.pk, by=secretary, outcome="defer")
    assert not Decision.objects.exists()


def test_a_meeting_not_yet_published_cannot_decide(upcoming, ready_idea, secretary):
    item = services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=ready_idea.pk, by=secretary)
    with pytest.raises(BoardError, match="has not been published yet"):
        services.decision_record(item_id=item.pk, by=secretary, outcome="approve")
    _unchanged(ready_idea, item)


def test_other_items_and_other_people_cannot_be_decided(published, secretary, people):
    free = published.items.get(kind="free")
    with pytest.raises(BoardError, match="Only ideas have decisions"):
        services.decision_record(item_id=free.pk, by=secretary, outcome="approve")
    item = published.items.get(kind="idea")
    for role in ("officer", "board_member", "reviewer"):
        with pytest.raises(BoardError, match="Only the Board secretary"):
            services.decision_record(item_id=item.pk, by=people[role], outcome="approve")
    _unchanged(item.idea, item)


def test_minutes_approved_closes_decisions(innovation_board, secretary, officer):
    closed = past_meeting(innovation_board, secretary, status="minutes_approved")
    item = idea_item_on(closed, make_idea(officer, at="ready-for-board", title="Late"))
    with pytest.raises(BoardError, match="minutes of this meeting have been approved"):
        services.decision_record(item_id=item.pk, by=secretary, outcome="approve")


def test_defer_carries_the_item_onto_the_next_planned_meetings_draft_agenda(idea_item, secretary, innovation_board):
    next_one = services.meeting_schedule(board=innovation_board, starts_at=future(40), by=secretary, location="R")
    later = services.meeting_schedule(board=innovation_board, starts_at=future(80), by=secretary, location="R")
    decision = services.decision_record(item_id=idea_item.pk, by=secretary, outcome="defer", notes="Need costs")
    idea = Idea.objects.get(pk=idea_item.idea_id)
    assert idea.stage == stage("ready-for-board")  # defer has no transition: the idea stays put
    assert decision.stage_change is None
    carried = next_one.items.get()
    assert (carried.idea_id, carried.carried_from_id, carried.stage_when_added_id) == (idea.pk, idea_item.pk, idea.stage_id)
    assert carried.title == idea_item.title and carried.kind == AgendaItem.Kind.IDEA
    assert not later.items.exists()
    event = IdeaEvent.objects.get(idea=idea, kind=EventKind.DECISION)
    assert "Defer to a later meeting" in event.summary and "carried to the Innovation Board" in event.detail
    # The carried item can be decided at the next meeting.
    services.meeting_publish_agenda(meeting_id=next_one.pk, by=secretary)
    services.decision_record(item_id=carried.pk, by=secretary, outcome="approve")
    idea.refresh_from_db()
    assert idea.stage == stage("approved")


def test_defer_with_no_meeting_planned_waits_for_the_next_one_scheduled(idea_item, secretary, innovation_board):
    services.decision_record(item_id=idea_item.pk, by=secretary, outcome="defer")
    assert not AgendaItem.objects.filter(carried_from=idea_item).exists()
    next_one = services.meeting_schedule(board=innovation_board, starts_at=future(45), by=secretary, location="R")
    carried = next_one.items.get()
    assert carried.carried_from_id == idea_item.pk
    assert MeetingLog.objects.filter(meeting=next_one, action="agenda.item_carried").exists()
    # Only once: a further meeting does not get it again.
    further = services.meeting_schedule(board=innovation_board, starts_at=future(90), by=secretary, location="R")
    assert not further.items.exists()


def test_defer_does_not_carry_onto_a_published_agenda(idea_item, secretary, innovation_board, officer):
    next_one = services.meeting_schedule(board=innovation_board, starts_at=future(40), by=secretary, location="R")
    services.agenda_add_free(meeting_id=next_one.pk, by=secretary, title="Report")
    services.meeting_publish_agenda(meeting_id=next_one.pk, by=secretary)
    services.decision_record(item_id=idea_item.pk, by=secretary, outcome="defer")
    assert not next_one.items.filter(kind="idea").exists()
    after = services.meeting_schedule(board=innovation_board, starts_at=future(60), by=secretary, location="R")
    assert after.items.get().carried_from_id == idea_item.pk


def test_a_deferred_idea_that_moves_on_is_not_carried(idea_item, secretary, innovation_board, officer):
    services.decision_record(item_id=idea_item.pk, by=secretary, outcome="defer")
    idea_move(idea_id=idea_item.idea_id, transition=transition(None, "withdrawn"), by=officer, comment="Stopping")
    next_one = services.meeting_schedule(board=innovation_board, starts_at=future(45), by=secretary, location="R")
    assert not next_one.items.exists()


def test_decisions_search_by_title_outcome_and_date(innovation_board, secretary, officer, people):
    old = past_meeting(innovation_board, secretary, days_ago=100)
    recent = past_meeting(innovation_board, secretary, days_ago=10)
    a = idea_item_on(old, make_idea(officer, at="ready-for-board", title="Street lighting sensors"))
    b = idea_item_on(recent, make_idea(people["officer_other"], at="ready-for-board", title="Chatbot"))
    services.decision_record(item_id=a.pk, by=secretary, outcome="approve")
    services.decision_record(item_id=b.pk, by=secretary, outcome="reject")
    search = selectors.DecisionFilters
    member = people["board_member"]
    assert {d.item_id for d in selectors.decisions_search(user=member, filters=search())} == {a.pk, b.pk}
    assert [d.item_id for d in selectors.decisions_search(user=member, filters=search(q="lighting"))] == [a.pk]
    assert [d.item_id for d in selectors.decisions_search(user=member, filters=search(outcome="reject"))] == [b.pk]
    since = timezone.localdate() - timedelta(days=30)
    assert [d.item_id for d in selectors.decisions_search(user=member, filters=search(date_from=since))] == [b.pk]
    assert [d.item_id for d in selectors.decisions_search(user=member, filters=search(date_to=since))] == [a.pk]
    # Officers see decisions on their own ideas only.
    assert [d.item_id for d in selectors.decisions_search(user=officer, filters=search())] == [a.pk]
    assert [d.item_id for d in selectors.decisions_search(user=people["officer_other"], filters=search())] == [b.pk]
    assert list(selectors.decisions_search(user=people["reviewer"], filters=search())) == []


def test_co_owners_see_decisions_on_their_ideas(innovation_board, secretary, officer, people):
    meeting = past_meeting(innovation_board, secretary)
    idea = make_idea(officer, at="ready-for-board", title="Shared idea")
    idea.co_owners.add(people["reviewer"])
    services.decision_record(item_id=idea_item_on(meeting, idea).pk, by=secretary, outcome="approve")
    assert selectors.decisions_search(user=people["reviewer"], filters=selectors.DecisionFilters()).count() == 1
