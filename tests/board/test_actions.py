"""Actions: the secretary adds and changes them; owners see theirs and say how they are going."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from board import services
from board.models import Action
from board.services import BoardError

pytestmark = pytest.mark.django_db


def _due(days=7):
    return timezone.localdate() + timedelta(days=days)


def test_secretary_adds_an_action_on_an_item(published, secretary, officer):
    item = published.items.get(kind="idea")
    action = services.action_create(meeting_id=published.pk, by=secretary, description=" Cost the pilot ",
                                    owner=officer, due_date=_due(), item_id=item.pk)
    assert (action.description, action.owner, action.item, action.status) == ("Cost the pilot", officer, item, "open")


@pytest.mark.parametrize(("description", "owner", "due", "message"), [
    ("", "officer", 7, "Describe the action"),
    ("Do it", None, 7, "Choose who owns"),
    ("Do it", "officer", None, "Enter the date the action is due"),
    ("Do it", "officer", -1, "today or in the future"),
])
def test_bad_actions_are_refused(published, secretary, people, description, owner, due, message):
    with pytest.raises(BoardError, match=message):
        services.action_create(meeting_id=published.pk, by=secretary, description=description,
                               owner=people[owner] if owner else None, due_date=_due(due) if due is not None else None)
    assert not Action.objects.exists()


def test_an_action_for_an_item_of_another_meeting_is_refused(published, secretary, officer, innovation_board):
    from tests.world_extras.board import future

    other = services.meeting_schedule(board=innovation_board, starts_at=future(50), by=secretary, location="R")
    other_item = services.agenda_add_free(meeting_id=other.pk, by=secretary, title="Elsewhere")
    with pytest.raises(BoardError, match="Choose an item on this meeting's agenda"):
        services.action_create(meeting_id=published.pk, by=secretary, description="x", owner=officer, due_date=_due(),
                               item_id=other_item.pk)


def test_owner_updates_status_and_done_records_when(published, secretary, officer, people):
    action = services.action_create(meeting_id=published.pk, by=secretary, description="x", owner=officer, due_date=_due())
    services.action_set_status(action_id=action.pk, by=officer, status="done")
    action.refresh_from_db()
    assert action.status == "done" and action.completed_at
    services.action_set_status(action_id=action.pk, by=officer, status="in_progress")
    action.refresh_from_db()
    assert action.completed_at is None
    with pytest.raises(BoardError, match="Only the action's owner"):
        services.action_set_status(action_id=action.pk, by=people["officer_other"], status="done")
    with pytest.raises(BoardError, match="Choose a status"):
        services.action_set_status(action_id=action.pk, by=officer, status="forgotten")


def test_secretary_changes_everything(published, secretary, officer, people):
    action = services.action_create(meeting_id=published.pk, by=secretary, description="x", owner=officer, due_date=_due())
    services.action_update(action_id=action.pk, by=secretary, description="y", owner=people["reviewer"],
                           due_date=_due(3), status="cancelled")
    action.refresh_from_db()
    assert (action.description, action.owner, action.due_date, action.status) == ("y", people["reviewer"], _due(3),
                                                                                   "cancelled")
    with pytest.raises(BoardError, match="Only the Board secretary"):
        services.action_update(action_id=action.pk, by=officer, description="z", owner=officer, due_date=_due(),
                               status="open")


def test_my_actions_lists_only_mine(client, published, secretary, officer, people):
    services.action_create(meeting_id=published.pk, by=secretary, description="Officer's job", owner=officer,
                           due_date=_due())
    services.action_create(meeting_id=published.pk, by=secretary, description="Someone else's job",
                           owner=people["reviewer"], due_date=_due())
    client.force_login(officer)
    page = client.get(reverse("board:actions")).content.decode()
    assert "Officer&#x27;s job" in page and "Someone else" not in page
    client.force_login(secretary)
    page = client.get(reverse("board:actions")).content.decode()
    assert "Officer&#x27;s job" in page and "Someone else&#x27;s job" in page


def test_owner_updates_from_the_status_page(client, published, secretary, officer):
    action = services.action_create(meeting_id=published.pk, by=secretary, description="x", owner=officer, due_date=_due())
    client.force_login(officer)
    url = reverse("board:action_edit", kwargs={"pk": action.pk})
    page = client.get(url).content.decode()
    assert "How is it going?" in page and 'name="description"' not in page
    assert client.post(url, {"status": "in_progress"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_action_form_bad_input(client, published, secretary, officer):
    client.force_login(secretary)
    url = reverse("board:action_new", kwargs={"pk": published.pk})
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(url, {"description": "Ring the supplier", "owner": officer.pk, "due_date_0": yesterday.day,
                                 "due_date_1": yesterday.month, "due_date_2": yesterday.year, "item": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "The due date must be today or in the future" in page
    assert "Ring the supplier" in page
    response = client.post(url, {"description": "Ring the supplier", "owner": officer.pk, "due_date_0": "31",
                                 "due_date_1": "2", "due_date_2": "2030", "item": ""})
    assert "must be a real date" in response.content.decode()
    assert not Action.objects.exists()
