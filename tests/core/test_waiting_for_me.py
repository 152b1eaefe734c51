""""Waiting for me" shows a person's open Board actions and the delivery updates they owe,
beside the ideas' own sections, at a cost that does not grow with the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from board.models import Action
from portfolio.models import DeliveryUpdate
from tests.factories import make_idea
from tests.world_extras.board import make_board, past_meeting

pytestmark = pytest.mark.django_db

WAITING = "/ideas/waiting/"


def _action(meeting, owner, *, days: int, status: str = "open", text: str = "Do something") -> Action:
    return Action.objects.create(meeting=meeting, owner=owner, description=text, status=status,
                                 due_date=timezone.localdate() + timedelta(days=days))


def _delivering(owner, title: str, *, entered_days_ago: int, updated_days_ago: int | None = None, status="on_track"):
    idea = make_idea(owner, at="in-delivery", title=title,
                     stage_entered_at=timezone.now() - timedelta(days=entered_days_ago))
    if updated_days_ago is not None:
        DeliveryUpdate.objects.create(idea=idea, status=status, percent_complete=100 if status == "complete" else 40,
                                      narrative="Going well.", by=owner,
                                      at=timezone.now() - timedelta(days=updated_days_ago))
    return idea


def test_the_page_is_the_one_in_the_navigation():
    assert reverse("ideas:waiting") == WAITING


def test_open_board_actions_are_listed_with_due_dates_and_overdue_flagged(client, people):
    officer = people["officer"]
    meeting = past_meeting(make_board(people), people["secretary"])
    _action(meeting, officer, days=-2, text="Send the business case to Finance.")
    _action(meeting, officer, days=5, status="in_progress", text="Cost the pilot.")
    _action(meeting, officer, days=1, status="done", text="Already done.")
    _action(meeting, people["officer_other"], days=1, text="Someone else's action.")
    client.force_login(officer)
    html = client.get(WAITING).content.decode()
    assert "Nothing is waiting for you." not in html
    section = html[html.index('id="board-actions"'):]
    section = section[:section.index("</table>")]
    assert "Send the business case to Finance." in section and "Cost the pilot." in section
    assert "Already done." not in section and "Someone else" not in section
    overdue_row = section[section.index("Send the business case"):section.index("Cost the pilot.")]
    assert "Overdue" in overdue_row
    assert f"{timezone.localdate() + timedelta(days=5):%-d %b %Y}" in section
    assert section.index("Send the business case") < section.index("Cost the pilot.")  # soonest due first


def test_delivery_updates_due_are_listed_for_owners(client, people):
    officer = people["officer"]
    _delivering(officer, "Never reported", entered_days_ago=45)
    _delivering(officer, "Reported long ago", entered_days_ago=200, updated_days_ago=40)
    _delivering(officer, "Reported last week", entered_days_ago=200, updated_days_ago=7)
    _delivering(officer, "Just approved", entered_days_ago=3)
    _delivering(officer, "Finished", entered_days_ago=200, updated_days_ago=60, status="complete")
    _delivering(people["officer_other"], "Not theirs", entered_days_ago=90)
    make_idea(officer, at="ready-for-board", title="Not approved yet")
    client.force_login(officer)
    html = client.get(WAITING).content.decode()
    section = html[html.index('id="delivery-updates"'):]
    section = section[:section.index("</table>")]
    assert "Never reported" in section and "Reported long ago" in section
    for absent in ("Reported last week", "Just approved", "Finished", "Not theirs", "Not approved yet"):
        assert absent not in section, absent
    assert section.index("Never reported") < section.index("Reported long ago")  # longest waiting first
    assert "None yet" in section


def test_nothing_waiting_still_says_so(client, people):
    client.force_login(people["board_member"])
    html = client.get(WAITING).content.decode()
    assert "Nothing is waiting for you." in html
    assert 'id="board-actions"' not in html and 'id="delivery-updates"' not in html


def test_waiting_for_me_costs_a_fixed_number_of_queries(client, people, django_assert_num_queries):
    officer = people["officer"]
    meeting = past_meeting(make_board(people), people["secretary"])
    _action(meeting, officer, days=-1)
    _delivering(officer, "Owed 1", entered_days_ago=60)
    make_idea(officer, title="A draft")
    client.force_login(officer)
    client.get(WAITING)
    # Session; user (with roles and unread badge); reviews, ideas to answer, drafts (an officer has no
    # triage queue); the Board's actions; the delivery updates (approved stages, then the ideas).
    with django_assert_num_queries(8) as small:
        client.get(WAITING)
    other = past_meeting(make_board(people), people["secretary"], days_ago=40)
    for n in range(8):
        _action(other, officer, days=n - 3, text=f"Action {n}")
        _delivering(officer, f"Owed more {n}", entered_days_ago=60 + n)
        make_idea(officer, title=f"Draft {n}")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(WAITING)
