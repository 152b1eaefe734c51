"""Board services racing an idea's owner, each on its own real PostgreSQL connection.

The loser waits for the idea's lock, then reads the idea as it is now: it is told
what happened (never a 500), and nothing of its change is written.
"""

from __future__ import annotations

import logging

import pytest
from django.utils import timezone

from board import services
from board.models import AgendaItem, Decision, MeetingLog
from board.services import parked
from harrow_innovation.core.models import OutboxTask
from ideas import services as idea_services
from ideas.models import EventKind, Idea, IdeaEvent, StageChange
from tests.concurrency import hold_then_race
from tests.factories import make_idea, stage, transition
from tests.services import need_postgres

pytestmark = pytest.mark.django_db(transaction=True)


def withdraw(idea, owner):
    def body():
        return idea_services.idea_move(idea_id=idea.pk, transition=transition(None, "withdrawn"), by=owner,
                                       comment="Done elsewhere.", expected_stage_id=idea.stage_id)
    return body


def test_a_decision_recorded_while_the_owner_withdraws_the_idea_is_refused_cleanly(idea_item, secretary, officer):
    need_postgres()
    idea = Idea.objects.get(pk=idea_item.idea_id)
    won, lost = hold_then_race(
        withdraw(idea, officer),
        lambda: services.decision_record(item_id=idea_item.pk, by=secretary, outcome="approve"),
    )
    assert isinstance(won, StageChange), won
    assert isinstance(lost, services.BoardError), lost
    assert "has moved on since it was put on the agenda: it is now at Withdrawn" in lost.message
    idea.refresh_from_db()
    assert idea.stage == stage("withdrawn")
    assert not Decision.objects.exists()
    assert not MeetingLog.objects.filter(action="decision.recorded").exists()
    assert not IdeaEvent.objects.filter(idea=idea, kind=EventKind.DECISION).exists()
    assert not OutboxTask.objects.filter(task_name="notifications.publish", args__0="board.decision_recorded").exists()
    assert StageChange.objects.filter(idea=idea).count() == 1


def test_adding_an_idea_to_the_agenda_while_the_owner_withdraws_it_says_where_it_is(upcoming, ready_idea, secretary,
                                                                                   officer):
    need_postgres()
    won, lost = hold_then_race(
        withdraw(ready_idea, officer),
        lambda: services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=ready_idea.pk, by=secretary),
    )
    assert isinstance(won, StageChange), won
    assert isinstance(lost, services.BoardError), lost
    assert lost.message == f"“{ready_idea.title}” is not ready for the Board: it is at Withdrawn."
    assert not AgendaItem.objects.filter(idea=ready_idea).exists()
    assert not MeetingLog.objects.filter(action="agenda.item_added").exists()


def parked_idea(owner, title: str) -> Idea:
    idea = make_idea(owner, at="parked", title=title)
    Idea.objects.filter(pk=idea.pk).update(parked_until=timezone.localdate())
    return Idea.objects.get(pk=idea.pk)


def test_the_nightly_return_carries_on_past_an_idea_withdrawn_under_it(officer):
    need_postgres()
    first, second = parked_idea(officer, "Withdrawn while parked"), parked_idea(officer, "Still parked")
    won, returned = hold_then_race(withdraw(first, officer), lambda: services.parked_ideas_return())
    assert isinstance(won, StageChange), won
    assert returned == [second.pk]
    assert Idea.objects.get(pk=first.pk).stage == stage("withdrawn")
    assert Idea.objects.get(pk=second.pk).stage == stage("ready-for-board")
    assert not StageChange.objects.filter(idea=first, to_stage__slug="ready-for-board").exists()


def test_one_idea_that_fails_does_not_stop_the_nightly_return_of_the_rest(officer, monkeypatch, caplog):
    broken, fine = parked_idea(officer, "Broken"), parked_idea(officer, "Fine")
    real_move = parked.idea_move

    def move(**kwargs):
        if kwargs["idea_id"] == broken.pk:
            Idea.objects.filter(pk=broken.pk).update(title="half-written")  # rolled back with its transaction
            raise RuntimeError("the database hiccuped")
        return real_move(**kwargs)

    monkeypatch.setattr(parked, "idea_move", move)  # the parked-ideas service calls it
    logger = logging.getLogger("board.services")  # the project's logging config does not propagate it to root
    logger.addHandler(caplog.handler)
    try:
        assert services.parked_ideas_return() == [fine.pk]
    finally:
        logger.removeHandler(caplog.handler)
    assert f"Parked idea {broken.pk} was not returned" in caplog.text
    broken.refresh_from_db()
    assert (broken.stage, broken.title) == (stage("parked"), "Broken")
    assert Idea.objects.get(pk=fine.pk).stage == stage("ready-for-board")
    monkeypatch.setattr(parked, "idea_move", real_move)
    assert services.parked_ideas_return() == [broken.pk]  # the next run picks it up
