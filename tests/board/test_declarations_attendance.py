"""Declarations of interest, apologies and attendance."""

from __future__ import annotations

import pytest
from django.urls import reverse

from board import services
from board.models import Attendance, Declaration
from board.services import BoardError
from tests.factories import UserFactory
from tests.world_extras.board import future, past_meeting

pytestmark = pytest.mark.django_db


def test_a_member_declares_an_interest_and_can_change_it(idea_item, member):
    services.declaration_make(item_id=idea_item.pk, by=member, nature="My partner works for the supplier.",
                              leaves_room=True)
    services.declaration_make(item_id=idea_item.pk, by=member, nature="My brother works for the supplier.",
                              leaves_room=False)
    declaration = Declaration.objects.get()
    assert (declaration.member, declaration.nature, declaration.leaves_room) == (
        member, "My brother works for the supplier.", False)


@pytest.mark.parametrize("nature", ["", "   "])
def test_the_nature_of_the_interest_is_required(idea_item, member, nature):
    with pytest.raises(BoardError, match="Describe the nature") as caught:
        services.declaration_make(item_id=idea_item.pk, by=member, nature=nature, leaves_room=False)
    assert caught.value.field == "nature"
    assert not Declaration.objects.exists()


def test_only_board_members_declare_and_only_on_published_undecided_items(idea_item, member, people, secretary,
                                                                          upcoming):
    for role in ("officer", "secretary", "admin"):
        with pytest.raises(BoardError, match="Only Board members"):
            services.declaration_make(item_id=idea_item.pk, by=people[role], nature="x", leaves_room=False)
    draft = services.meeting_schedule(board=upcoming.board, starts_at=future(60), by=secretary, location="R")
    draft_item = services.agenda_add_free(meeting_id=draft.pk, by=secretary, title="Draft item")
    with pytest.raises(BoardError, match="not been published"):
        services.declaration_make(item_id=draft_item.pk, by=member, nature="x", leaves_room=False)
    services.decision_record(item_id=idea_item.pk, by=secretary, outcome="approve")
    with pytest.raises(BoardError, match="already decided"):
        services.declaration_make(item_id=idea_item.pk, by=member, nature="x", leaves_room=False)
    assert not Declaration.objects.exists()


def test_declarations_show_on_the_meeting_page(client, idea_item, member):
    services.declaration_make(item_id=idea_item.pk, by=member, nature="I sit on the supplier's board.", leaves_room=True)
    client.force_login(member)
    page = client.get(reverse("board:meeting", kwargs={"pk": idea_item.meeting_id})).content.decode()
    assert "I sit on the supplier&#x27;s board." in page and "Leaves the room for this item." in page


def test_declare_page_bad_input_keeps_what_was_typed(client, idea_item, member):
    client.force_login(member)
    url = reverse("board:declare", kwargs={"pk": idea_item.pk})
    response = client.post(url, {"nature": "A friend is involved", "leaves_room": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page and "Say whether you will leave the room" in page and "A friend is involved" in page
    assert not Declaration.objects.exists()
    response = client.post(url, {"nature": "A friend is involved", "leaves_room": "yes"})
    assert response.status_code == 302
    assert Declaration.objects.get().leaves_room is True


def test_members_send_and_withdraw_apologies(published, member):
    services.apologies_send(meeting_id=published.pk, by=member, note="On leave")
    row = Attendance.objects.get(meeting=published, user=member)
    assert (row.status, row.note) == (Attendance.Status.APOLOGIES, "On leave")
    services.apologies_withdraw(meeting_id=published.pk, by=member)
    row.refresh_from_db()
    assert (row.status, row.note) == (Attendance.Status.EXPECTED, "")
    with pytest.raises(BoardError, match="not sent apologies"):
        services.apologies_withdraw(meeting_id=published.pk, by=member)


def test_apologies_need_membership_and_a_meeting_still_to_come(published, people, innovation_board, secretary, member):
    with pytest.raises(BoardError, match="Only members of the Board"):
        services.apologies_send(meeting_id=published.pk, by=people["officer"])
    held = past_meeting(innovation_board, secretary, status="held")
    with pytest.raises(BoardError, match="has been held"):
        services.apologies_send(meeting_id=held.pk, by=member)


def test_apologies_through_the_page(client, published, member):
    client.force_login(member)
    url = reverse("board:apologies", kwargs={"pk": published.pk})
    assert client.post(url, {"note": "Away"}).status_code == 302
    assert Attendance.objects.get(meeting=published, user=member).status == "apologies"
    assert "You have sent apologies" in client.get(url).content.decode()
    client.post(url, {"withdraw": "1"})
    assert Attendance.objects.get(meeting=published, user=member).status == "expected"


def test_secretary_records_attendance_including_members_who_joined_later(published, secretary, member,
                                                                         innovation_board):
    from board.models import Membership

    newcomer = UserFactory(full_name="New Member")
    Membership.objects.create(board=innovation_board, user=newcomer, role="councillor")
    rows = services.attendance_rows(published)
    assert newcomer.pk in {r.user_id for r in rows}
    changed = services.attendance_record(meeting_id=published.pk, by=secretary, statuses={
        member.pk: "present", secretary.pk: "present", newcomer.pk: "absent"})
    assert changed == 3
    assert dict(published.attendance.values_list("user_id", "status")) == {
        member.pk: "present", secretary.pk: "present", newcomer.pk: "absent"}
    assert services.attendance_record(meeting_id=published.pk, by=secretary, statuses={member.pk: "present"}) == 0


def test_attendance_bad_input_is_refused(published, secretary, member, people):
    with pytest.raises(BoardError, match="not expected at this meeting"):
        services.attendance_record(meeting_id=published.pk, by=secretary, statuses={people["officer"].pk: "present"})
    with pytest.raises(BoardError, match="Choose present"):
        services.attendance_record(meeting_id=published.pk, by=secretary, statuses={member.pk: "asleep"})
    with pytest.raises(BoardError, match="Only the Board secretary"):
        services.attendance_record(meeting_id=published.pk, by=member, statuses={member.pk: "present"})
    assert set(published.attendance.values_list("status", flat=True)) == {"expected"}


def test_attendance_page(client, published, secretary, member):
    client.force_login(secretary)
    url = reverse("board:attendance", kwargs={"pk": published.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {f"status_{member.pk}": "present", f"status_{secretary.pk}": "apologies"})
    assert response.status_code == 302
    assert published.attendance.get(user=member).status == "present"
    response = client.post(url, {f"status_{member.pk}": "present"})
    assert response.status_code == 200 and "Choose whether" in response.content.decode()
