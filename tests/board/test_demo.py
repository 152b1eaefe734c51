"""The demo Board: Harrow members, a held meeting with decisions and minutes, an upcoming draft agenda."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from board.models import Board, Decision, Meeting, MeetingStatus, Minutes

pytestmark = pytest.mark.django_db


def test_demo_board_is_seeded_once():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    board = Board.objects.get(name="Innovation Board")
    roles = dict(board.memberships.values_list("user__email", "role"))
    assert roles == {
        "chair.board@harrow.example": "chair",
        "board@harrow.example": "councillor",
        "corporate.board@harrow.example": "councillor",
        "chief.board@harrow.example": "officer_member",
        "secretary@harrow.example": "secretary",
    }
    held = Meeting.objects.get(board=board, status=MeetingStatus.HELD)
    assert Decision.objects.filter(item__meeting=held).count() == 5
    assert {d.item.idea.stage.slug for d in Decision.objects.filter(item__meeting=held).select_related("item__idea__stage")} == {
        "approved", "approved-with-conditions", "parked", "rejected"}
    assert all(d.stage_change_id for d in Decision.objects.all())
    assert Minutes.objects.get(meeting=held).body.startswith("Minutes of the Innovation Board")
    upcoming = Meeting.objects.get(board=board, status=MeetingStatus.PLANNED)
    assert upcoming.items.filter(kind="idea", idea__stage__ready_for_board=True).count() == 1
    assert upcoming.items.filter(kind="free").count() == 1
    counts = (Meeting.objects.count(), Decision.objects.count(), board.memberships.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (Meeting.objects.count(), Decision.objects.count(), board.memberships.count()) == counts
