"""Scheduling, changing, publishing and holding meetings: the rules, and the refusals that change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from board import services
from board.models import Attendance, Meeting, MeetingLog, MeetingStatus, PackVersion
from board.services import BoardError
from ideas.models import EventKind, IdeaEvent
from tests.factories import make_idea, transition
from tests.world_extras.board import future, past_meeting

pytestmark = pytest.mark.django_db


def test_schedule_expects_every_active_member_and_logs(innovation_board, secretary, member):
    meeting = services.meeting_schedule(board=innovation_board, starts_at=future(5), by=secretary, location="Room 1")
    assert meeting.status == MeetingStatus.PLANNED
    assert set(meeting.attendance.values_list("user_id", "status")) == {
        (member.pk, Attendance.Status.EXPECTED), (secretary.pk, Attendance.Status.EXPECTED)}
    assert MeetingLog.objects.filter(meeting=meeting, action="meeting.scheduled", actor=secretary).exists()


@pytest.mark.parametrize("when", [
    lambda: timezone.now() - timedelta(days=1),
    lambda: timezone.now() - timedelta(minutes=1),
])
def test_a_new_meeting_in_the_past_is_refused_and_nothing_is_created(innovation_board, secretary, when):
    with pytest.raises(BoardError, match="must be in the future") as caught:
        services.meeting_schedule(board=innovation_board, starts_at=when(), by=secretary, location="Room 1")
    assert caught.value.field == "date"
    assert not Meeting.objects.exists()


def test_place_defaults_to_the_boards_and_one_of_place_or_link_is_needed(innovation_board, secretary):
    meeting = services.meeting_schedule(board=innovation_board, starts_at=future(3), by=secretary)
    assert meeting.location == "Committee Room 1"
    innovation_board.default_location = ""
    innovation_board.save()
    with pytest.raises(BoardError, match="place, an online meeting link"):
        services.meeting_schedule(board=innovation_board, starts_at=future(4), by=secretary)
    online = services.meeting_schedule(board=innovation_board, starts_at=future(4), by=secretary,
                                       online_link="https://teams.example/x")
    assert online.location == ""


@pytest.mark.parametrize("role", ["officer", "board_member", "reviewer"])
def test_only_the_secretary_and_admins_schedule(innovation_board, people, role):
    with pytest.raises(BoardError, match="Only the Board secretary"):
        services.meeting_schedule(board=innovation_board, starts_at=future(3), by=people[role], location="Room 1")
    assert not Meeting.objects.exists()


def test_admin_may_schedule(innovation_board, people):
    assert services.meeting_schedule(board=innovation_board, starts_at=future(3), by=people["admin"], location="R")


def test_update_raises_the_calendar_sequence_only_when_something_changed(upcoming, secretary):
    values = dict(starts_at=upcoming.starts_at, duration_minutes=upcoming.duration_minutes, title="",
                  location=upcoming.location, online_link="")
    services.meeting_update(meeting_id=upcoming.pk, by=secretary, **values)
    upcoming.refresh_from_db()
    assert upcoming.sequence == 0
    services.meeting_update(meeting_id=upcoming.pk, by=secretary, **{**values, "starts_at": future(11)})
    upcoming.refresh_from_db()
    assert upcoming.sequence == 1
    assert upcoming.starts_at == future(11)


def test_update_refuses_moving_a_meeting_into_the_past(upcoming, secretary):
    with pytest.raises(BoardError, match="must be in the future"):
        services.meeting_update(meeting_id=upcoming.pk, by=secretary, starts_at=timezone.now() - timedelta(hours=1),
                                duration_minutes=90, location="Room 1")
    upcoming.refresh_from_db()
    assert upcoming.starts_at == future(10) and upcoming.duration_minutes == 120


def test_changing_time_after_publication_builds_a_new_pack(published, secretary):
    before = PackVersion.objects.filter(meeting=published).count()
    services.meeting_update(meeting_id=published.pk, by=secretary, starts_at=future(12), duration_minutes=120,
                            location="Room 2")
    pack = PackVersion.objects.filter(meeting=published).order_by("-number").first()
    assert PackVersion.objects.filter(meeting=published).count() == before + 1
    assert pack.reason == "Meeting details changed"


def test_a_held_meeting_can_no_longer_change(innovation_board, secretary):
    held = past_meeting(innovation_board, secretary, status=MeetingStatus.HELD)
    with pytest.raises(BoardError, match="has been held"):
        services.meeting_update(meeting_id=held.pk, by=secretary, starts_at=future(3), duration_minutes=60,
                                location="Room 1")


def test_publishing_an_empty_agenda_is_refused_and_nothing_changes(upcoming, secretary):
    with pytest.raises(BoardError, match="The agenda is empty"):
        services.meeting_publish_agenda(meeting_id=upcoming.pk, by=secretary)
    upcoming.refresh_from_db()
    assert upcoming.status == MeetingStatus.PLANNED and upcoming.published_at is None
    assert not PackVersion.objects.filter(meeting=upcoming).exists()


def test_publishing_records_each_idea_and_asks_for_a_pack(upcoming, ready_idea, secretary, officer):
    other = make_idea(officer, at="ready-for-board", title="Second idea")
    services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=ready_idea.pk, by=secretary)
    services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=other.pk, by=secretary)
    services.agenda_add_free(meeting_id=upcoming.pk, by=secretary, title="Programme report")
    assert not IdeaEvent.objects.filter(kind=EventKind.AGENDA).exists()  # a draft agenda is not news yet
    services.meeting_publish_agenda(meeting_id=upcoming.pk, by=secretary)
    upcoming.refresh_from_db()
    assert upcoming.status == MeetingStatus.AGENDA_PUBLISHED and upcoming.published_at
    events = IdeaEvent.objects.filter(kind=EventKind.AGENDA)
    assert sorted(events.values_list("idea_id", flat=True)) == sorted([ready_idea.pk, other.pk])
    assert all(e.summary.startswith("On the agenda for the Innovation Board") for e in events)
    assert list(PackVersion.objects.filter(meeting=upcoming).values_list("reason", flat=True)) == ["Agenda published"]
    with pytest.raises(BoardError, match="already been published"):
        services.meeting_publish_agenda(meeting_id=upcoming.pk, by=secretary)
    assert PackVersion.objects.filter(meeting=upcoming).count() == 1


def test_publishing_is_refused_while_an_idea_on_it_has_moved_on(upcoming, ready_idea, secretary, officer):
    from ideas.services import idea_move

    services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=ready_idea.pk, by=secretary)
    idea_move(idea_id=ready_idea.pk, transition=transition(None, "withdrawn"), by=officer, comment="Done elsewhere")
    with pytest.raises(BoardError, match="moved on since they were added"):
        services.meeting_publish_agenda(meeting_id=upcoming.pk, by=secretary)
    upcoming.refresh_from_db()
    assert upcoming.status == MeetingStatus.PLANNED


def test_holding_needs_a_published_agenda_and_the_day_to_have_come(upcoming, published, innovation_board, secretary):
    with pytest.raises(BoardError, match="has not happened yet"):
        services.meeting_mark_held(meeting_id=published.pk, by=secretary)
    planned = services.meeting_schedule(board=innovation_board, starts_at=future(20), by=secretary, location="R")
    with pytest.raises(BoardError, match="Publish the agenda"):
        services.meeting_mark_held(meeting_id=planned.pk, by=secretary)
    past = past_meeting(innovation_board, secretary)
    services.meeting_mark_held(meeting_id=past.pk, by=secretary)
    past.refresh_from_db()
    assert past.status == MeetingStatus.HELD and past.held_at
    with pytest.raises(BoardError, match="already recorded as held"):
        services.meeting_mark_held(meeting_id=past.pk, by=secretary)
