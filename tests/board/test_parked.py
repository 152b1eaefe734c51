"""A parked idea comes back to the secretary's "ready for the Board" list on its date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from board import selectors, services
from board.meeting_tasks import return_parked_ideas
from harrow_innovation.people.roles import Role
from ideas.models import EventKind, Idea
from tests.factories import UserFactory, stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def parked(idea_item, secretary):
    until = timezone.localdate() + timedelta(days=30)
    services.decision_record(item_id=idea_item.pk, by=secretary, outcome="park", park_until=until)
    return Idea.objects.get(pk=idea_item.idea_id)


def test_parked_idea_returns_on_its_date_and_not_before(parked, idea_item, secretary, upcoming):
    until = parked.parked_until
    assert services.parked_ideas_return(today=until - timedelta(days=1)) == []
    parked.refresh_from_db()
    assert parked.stage == stage("parked")
    assert parked.pk not in {i.pk for i in selectors.ready_ideas(meeting=upcoming)}

    assert services.parked_ideas_return(today=until) == [parked.pk]
    parked.refresh_from_db()
    assert parked.stage == stage("ready-for-board") and parked.parked_until is None
    change = parked.stage_changes.order_by("-at", "-pk").first()
    # Nobody pressed a button: the system made the move, not whoever recorded the park decision.
    assert (change.from_stage.slug, change.to_stage.slug, change.by) == ("parked", "ready-for-board", None)
    moved = parked.events.get(kind=EventKind.MOVED, summary__contains="Return to the Board's list")
    assert (moved.actor, moved.summary.split(":")[0]) == (None, "The system")
    back = parked.events.get(kind=EventKind.AGENDA, summary__startswith="Back on the Board's list")
    assert back.actor is None
    assert parked.pk in {i.pk for i in selectors.ready_ideas(meeting=upcoming)}


def test_returning_twice_moves_once(parked):
    later = parked.parked_until + timedelta(days=2)
    assert services.parked_ideas_return(today=later) == [parked.pk]
    assert services.parked_ideas_return(today=later) == []
    assert parked.stage_changes.filter(to_stage__slug="ready-for-board").count() == 1


def test_the_beat_task_returns_due_ideas(parked):
    Idea.objects.filter(pk=parked.pk).update(parked_until=timezone.localdate())
    result = return_parked_ideas.apply().get()
    assert result == {"returned": [parked.pk]}
    assert return_parked_ideas.apply().get() == {"returned": []}


def test_the_beat_job_is_scheduled_daily():
    from django_celery_beat.models import PeriodicTask

    job = PeriodicTask.objects.get(task="board.return_parked_ideas")
    assert job.enabled and job.crontab.hour == "5"


def test_a_parked_idea_returned_by_hand_is_recorded_in_the_name_of_who_pressed_the_button(client, parked, upcoming):
    other_secretary = UserFactory(full_name="Sam Second", roles=[Role.SECRETARY])
    Idea.objects.filter(pk=parked.pk).update(parked_until=timezone.localdate())
    client.force_login(other_secretary)
    client.post(reverse("board:return_parked", kwargs={"pk": upcoming.pk}))
    change = parked.stage_changes.get(to_stage__slug="ready-for-board")
    assert change.by == other_secretary  # not the secretary who recorded the park decision
    moved = parked.events.get(kind=EventKind.MOVED, summary__contains="Return to the Board's list")
    assert (moved.actor, moved.summary.split(":")[0]) == (other_secretary, "Sam Second")
    assert parked.events.get(kind=EventKind.AGENDA, summary__startswith="Back on the Board's list").actor == other_secretary
    assert parked.history.latest().history_user == other_secretary


def test_only_the_secretary_returns_parked_ideas_by_hand(parked, people):
    Idea.objects.filter(pk=parked.pk).update(parked_until=timezone.localdate())
    with pytest.raises(services.BoardError):
        services.parked_ideas_return(by=people["officer"])
    parked.refresh_from_db()
    assert parked.stage == stage("parked")


def test_secretary_can_bring_due_ideas_back_from_the_agenda_page(client, parked, secretary, upcoming):
    Idea.objects.filter(pk=parked.pk).update(parked_until=timezone.localdate())
    client.force_login(secretary)
    page = client.get(reverse("board:agenda", kwargs={"pk": upcoming.pk})).content.decode()
    assert "1 parked idea is due back" in page
    response = client.post(reverse("board:return_parked", kwargs={"pk": upcoming.pk}), follow=True)
    assert "1 parked idea is back on the list." in response.content.decode()
    parked.refresh_from_db()
    assert parked.stage == stage("ready-for-board")
