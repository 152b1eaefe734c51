"""Board meetings for the permission matrix and tests.

Adds: ``board`` (the Innovation Board, with the board member and the secretary as
members), ``meeting`` (upcoming, agenda published, with ``idea_item`` and
``free_item``), ``past_meeting`` (held, with ``decision`` on the officer's idea,
``action`` owned by the officer, and ``minutes`` approved at ``approving_meeting``, held
since), and ``feed_token``
(the board member's calendar feed token).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from tests.factories import make_idea

BOARD_NAME = "Innovation Board"


def future(days: int = 10, hour: int = 14):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def make_board(people: dict):
    from board.models import Board, BoardRole, Membership

    board, _ = Board.objects.get_or_create(name=BOARD_NAME, defaults={"default_location": "Committee Room 1"})
    Membership.objects.get_or_create(board=board, user=people["board_member"],
                                     defaults={"role": BoardRole.COUNCILLOR, "title": "Portfolio Holder for Finance"})
    Membership.objects.get_or_create(board=board, user=people["secretary"], defaults={"role": BoardRole.SECRETARY})
    return board


def past_meeting(board, secretary, *, days_ago: int = 20, status: str = "agenda_published"):
    """A meeting in the past (the service refuses to schedule one, so it is made directly)."""
    from board.models import Attendance, Meeting, Membership

    starts = timezone.now() - timedelta(days=days_ago)
    meeting = Meeting.objects.create(board=board, starts_at=starts, location="Committee Room 1", status=status,
                                     created_by=secretary, published_at=starts - timedelta(days=7))
    for user_id in Membership.objects.filter(board=board).values_list("user_id", flat=True):
        Attendance.objects.create(meeting=meeting, user_id=user_id)
    return meeting


def idea_item_on(meeting, idea, *, order: int = 1):
    from board.models import AgendaItem

    return AgendaItem.objects.create(meeting=meeting, order=order, kind="idea", idea=idea, stage_when_added=idea.stage,
                                     title=idea.title)


def extend(world: dict) -> None:
    from board import feed_tokens, services

    people = world["people"]
    officer, secretary = people["officer"], people["secretary"]
    board = make_board(people)

    meeting = services.meeting_schedule(board=board, starts_at=future(10), by=secretary, location="Committee Room 1")
    ready = make_idea(officer, at="ready-for-board", title="Ready idea on the Board's agenda")
    idea_item = services.agenda_add_idea(meeting_id=meeting.pk, idea_id=ready.pk, by=secretary,
                                         recommendation="Approve.")
    free_item = services.agenda_add_free(meeting_id=meeting.pk, by=secretary, title="Programme report",
                                         description="Quarterly progress.", minutes_allotted=10)
    services.meeting_publish_agenda(meeting_id=meeting.pk, by=secretary)

    past = past_meeting(board, secretary)
    decided = make_idea(officer, at="ready-for-board", title="Idea the Board approved")
    decided_item = idea_item_on(past, decided)
    decision = services.decision_record(item_id=decided_item.pk, by=secretary, outcome="approve")
    action = services.action_create(meeting_id=past.pk, by=secretary, description="Send the business case to Finance.",
                                    owner=officer, due_date=timezone.localdate() + timedelta(days=7))
    services.meeting_mark_held(meeting_id=past.pk, by=secretary)
    services.minutes_draft(meeting_id=past.pk, by=secretary)
    # Minutes are approved at a meeting that has been held, never at a future one.
    approving = past_meeting(board, secretary, days_ago=3, status="held")
    minutes = services.minutes_approve(meeting_id=past.pk, at_meeting_id=approving.pk, by=secretary)
    token = feed_tokens.calendar_token_reset(user=people["board_member"])

    meeting.refresh_from_db()
    world.update({
        "board": board, "meeting": meeting, "idea_item": idea_item, "free_item": free_item, "ready_idea": ready,
        "past_meeting": past, "decided_item": decided_item, "decision": decision, "action": action,
        "minutes": minutes, "approving_meeting": approving, "feed_token": token,
    })
