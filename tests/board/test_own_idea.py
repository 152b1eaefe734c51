"""Nobody takes their own idea to the Board: a secretary (or admin) who owns or co-owns an idea
cannot put it on an agenda or record the Board's decision on it. Another must."""

from __future__ import annotations

import html as html_lib

import pytest
from django.test import Client
from django.urls import reverse

from board import permissions, services
from board.models import AgendaItem, Decision
from board.services import BoardError
from harrow_innovation.people.roles import Role
from ideas.models import Idea
from tests.factories import UserFactory, make_idea

pytestmark = pytest.mark.django_db

AGENDA_REASON = "You cannot put this idea on an agenda because you own it. Another Board secretary or an admin must."
DECISION_REASON = ("You cannot record the Board's decision on this idea because you own it. "
                   "Another Board secretary or an admin must.")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return html_lib.unescape(response.content.decode())


@pytest.fixture
def own_idea(secretary):
    return make_idea(secretary, at="ready-for-board", title="The secretary's own idea")


@pytest.fixture
def other_secretary(department):
    return UserFactory(full_name="Sam Second-secretary", department=department, roles=[Role.OFFICER, Role.SECRETARY])


@pytest.mark.parametrize("co_owner", [False, True], ids=["owner", "co-owner"])
def test_the_secretary_cannot_put_her_own_idea_on_an_agenda(upcoming, secretary, officer, other_secretary, co_owner):
    if co_owner:
        idea = make_idea(officer, at="ready-for-board", title="Co-owned")
        idea.co_owners.add(secretary)
    else:
        idea = make_idea(secretary, at="ready-for-board")
    assert not permissions.can_judge_idea(secretary, idea)
    with pytest.raises(BoardError, match="You cannot put this idea on an agenda because you own it"):
        services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=idea.pk, by=secretary)
    assert not AgendaItem.objects.filter(idea=idea).exists()
    services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=idea.pk, by=other_secretary)
    assert AgendaItem.objects.filter(idea=idea, meeting=upcoming).exists()


def test_the_agenda_builder_says_why_her_own_idea_has_no_add_button(upcoming, secretary, own_idea, ready_idea):
    client = client_for(secretary)
    html = text(client.get(reverse("board:agenda", kwargs={"pk": upcoming.pk})))
    assert AGENDA_REASON in html
    assert f'name="idea" value="{own_idea.pk}"' not in html
    assert f'name="idea" value="{ready_idea.pk}"' in html
    response = client.post(reverse("board:agenda_add_idea", kwargs={"pk": upcoming.pk}), {"idea": own_idea.pk}, follow=True)
    assert "You cannot put this idea on an agenda because you own it" in text(response)
    assert not AgendaItem.objects.filter(idea=own_idea).exists()


@pytest.fixture
def own_item(upcoming, own_idea, other_secretary):
    item = services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=own_idea.pk, by=other_secretary)
    services.meeting_publish_agenda(meeting_id=upcoming.pk, by=other_secretary)
    return item


def test_the_secretary_cannot_record_the_decision_on_her_own_idea(own_item, secretary, own_idea, people):
    with pytest.raises(BoardError, match="You cannot record the Board's decision on this idea because you own it"):
        services.decision_record(item_id=own_item.pk, by=secretary, outcome="approve")
    assert not Decision.objects.filter(item=own_item).exists()
    assert Idea.objects.get(pk=own_idea.pk).stage_id == own_idea.stage_id
    services.decision_record(item_id=own_item.pk, by=people["admin"], outcome="approve")
    assert Decision.objects.get(item=own_item).recorded_by == people["admin"]


def test_the_meeting_and_decision_pages_say_why_and_a_crafted_post_changes_nothing(own_item, secretary, own_idea,
                                                                                   other_secretary):
    client = client_for(secretary)
    meeting_html = text(client.get(reverse("board:meeting", kwargs={"pk": own_item.meeting_id})))
    decide_url = reverse("board:decide", kwargs={"pk": own_item.pk})
    assert DECISION_REASON in meeting_html
    assert decide_url not in meeting_html
    decide_html = text(client.get(decide_url))
    assert DECISION_REASON in decide_html
    assert 'name="outcome"' not in decide_html
    response = client.post(decide_url, {"outcome": "approve"})
    assert response.status_code == 200
    assert "You cannot record the Board's decision on this idea because you own it" in text(response)
    assert not Decision.objects.filter(item=own_item).exists()
    # Another secretary sees the link and the form.
    other_html = text(client_for(other_secretary).get(reverse("board:meeting", kwargs={"pk": own_item.meeting_id})))
    assert decide_url in other_html and DECISION_REASON not in other_html
