"""Meeting locks on two real PostgreSQL connections: a meeting's lock is that meeting's alone.

Every Board write locks its meeting. The lock once took the Board row with it,
so writes to different meetings queued on one row, and a deferral (which also
locks the next meeting) deadlocked with a write to that meeting. Two meetings
are always locked in ascending pk order.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from board import services
from board.models import Action, AgendaItem, Board, Decision
from tests.concurrency import TIMEOUT, lock_waiters, run_in_thread, wait_until_a_backend_waits_for_a_lock
from tests.factories import make_idea
from tests.services import need_postgres
from tests.world_extras.board import future

pytestmark = pytest.mark.django_db(transaction=True)


def add_action(meeting, secretary, member, text="Send the costs"):
    return services.action_create(meeting_id=meeting.pk, by=secretary, description=text, owner=member,
                                  due_date=timezone.localdate() + timedelta(days=7))


def published_with_idea(board, secretary, officer, *, days: int):
    meeting = services.meeting_schedule(board=board, starts_at=future(days), by=secretary, location="Room 1")
    idea = make_idea(officer, at="ready-for-board", title=f"Idea for the meeting in {days} days")
    item = services.agenda_add_idea(meeting_id=meeting.pk, idea_id=idea.pk, by=secretary)
    services.meeting_publish_agenda(meeting_id=meeting.pk, by=secretary)
    return meeting, item


def finished_without_waiting(thread: threading.Thread, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    return not thread.is_alive()


def test_a_meeting_write_leaves_the_board_row_and_other_meetings_free(innovation_board, upcoming, secretary, member):
    need_postgres()
    other = services.meeting_schedule(board=innovation_board, starts_at=future(20), by=secretary, location="Room 2")
    holding, release = threading.Event(), threading.Event()
    results: dict = {}

    def hold():
        with transaction.atomic():
            action = add_action(upcoming, secretary, member)
            holding.set()
            assert release.wait(TIMEOUT)
        return action

    holder = run_in_thread(hold, results, "hold")
    try:
        assert holding.wait(TIMEOUT)
        with transaction.atomic():  # this connection may lock the Board row at once
            assert Board.objects.select_for_update(nowait=True).get(pk=innovation_board.pk)
        other_write = run_in_thread(lambda: add_action(other, secretary, member, "Book the room"), results, "other")
        assert finished_without_waiting(other_write), "a write to another meeting waited for this one"
        assert lock_waiters() == 0
    except DatabaseError as exc:
        pytest.fail(f"the Board row was locked by a write to one meeting: {exc}")
    finally:
        release.set()
        holder.join(TIMEOUT)
    assert isinstance(results["hold"], Action) and isinstance(results["other"], Action), results
    assert Action.objects.count() == 2


def test_a_deferral_and_a_write_to_the_next_meeting_do_not_deadlock(innovation_board, secretary, officer, member):
    need_postgres()
    meeting, item = published_with_idea(innovation_board, secretary, officer, days=10)
    next_meeting = services.meeting_schedule(board=innovation_board, starts_at=future(20), by=secretary, location="Room 2")
    holding, go_on = threading.Event(), threading.Event()
    results: dict = {}

    def defer():
        with transaction.atomic():
            add_action(meeting, secretary, member)  # holds this meeting's lock
            holding.set()
            assert go_on.wait(TIMEOUT)
            return services.decision_record(item_id=item.pk, by=secretary, outcome="defer")

    def write_next():
        assert holding.wait(TIMEOUT)
        return add_action(next_meeting, secretary, member, "Book the room")

    threads = [run_in_thread(defer, results, "defer"), run_in_thread(write_next, results, "next")]
    try:
        assert holding.wait(TIMEOUT)
        finished_without_waiting(threads[1])  # today it finishes; before, it waited for the Board row
    finally:
        go_on.set()
        for thread in threads:
            thread.join(TIMEOUT)
    assert isinstance(results["defer"], Decision), results["defer"]
    assert isinstance(results["next"], Action), results["next"]
    assert AgendaItem.objects.filter(meeting=next_meeting, carried_from=item).exists()


def test_a_deferral_locks_the_two_meetings_in_pk_order(innovation_board, secretary, officer, member):
    """The next meeting was created first (lower pk): the deferral takes its lock before its own meeting's."""
    need_postgres()
    next_meeting = services.meeting_schedule(board=innovation_board, starts_at=future(20), by=secretary, location="Room 2")
    meeting, item = published_with_idea(innovation_board, secretary, officer, days=10)
    assert next_meeting.pk < meeting.pk
    holding, go_on = threading.Event(), threading.Event()
    results: dict = {}

    def both_in_order():
        with transaction.atomic():
            add_action(next_meeting, secretary, member, "Book the room")  # lower pk first
            holding.set()
            assert go_on.wait(TIMEOUT)
            return add_action(meeting, secretary, member)

    def defer():
        assert holding.wait(TIMEOUT)
        return services.decision_record(item_id=item.pk, by=secretary, outcome="defer")

    threads = [run_in_thread(both_in_order, results, "both"), run_in_thread(defer, results, "defer")]
    try:
        wait_until_a_backend_waits_for_a_lock()  # the deferral waits for the lower-pk meeting
    finally:
        go_on.set()
        for thread in threads:
            thread.join(TIMEOUT)
    assert isinstance(results["both"], Action), results["both"]
    assert isinstance(results["defer"], Decision), results["defer"]
    assert AgendaItem.objects.filter(meeting=next_meeting, carried_from=item).exists()
    assert Action.objects.count() == 2
