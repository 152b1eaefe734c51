"""Who presents an idea, who is told it is on a published agenda (and when its slot starts),
who may then read that agenda, and who is told when a Board action is given to them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from board import forms, services
from board import notices as board_notices
from board.models import AgendaItem, PackVersion
from board.notices import Kind as BoardKind
from harrow_innovation.people.roles import Role
from notifications.models import Notification
from tests.factories import UserFactory, make_idea
from tests.world_extras.board import future

pytestmark = pytest.mark.django_db


def told(kind: str) -> dict[str, Notification]:
    return {n.recipient.email: n for n in Notification.objects.filter(kind=kind).select_related("recipient")}


@pytest.fixture
def co_owner(ready_idea):
    person = UserFactory(full_name="Cora Co-owner", roles=[Role.OFFICER])
    ready_idea.co_owners.add(person)
    return person


# --- The presenter defaults to the idea's owner ---------------------------------------


def test_an_idea_added_without_a_presenter_is_presented_by_its_owner(upcoming, ready_idea, secretary, officer, people):
    item = services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=ready_idea.pk, by=secretary)
    assert item.presenter == officer
    other = make_idea(people["officer_other"], at="ready-for-board", title="Another idea")
    named = services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=other.pk, by=secretary,
                                     presenter_name="A supplier")
    assert named.presenter is None and named.presenter_name == "A supplier"


def test_the_item_form_is_prefilled_with_the_owner_when_nobody_presents(upcoming, ready_idea, secretary, officer):
    item = services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=ready_idea.pk, by=secretary)
    AgendaItem.objects.filter(pk=item.pk).update(presenter=None)  # an item made before the default
    item.refresh_from_db()
    assert forms.ItemForm(item=item).initial["presenter"] == officer.pk
    AgendaItem.objects.filter(pk=item.pk).update(presenter_name="A supplier")
    item.refresh_from_db()
    assert forms.ItemForm(item=item).initial["presenter"] is None


def test_the_agenda_builder_says_who_will_present_each_ready_idea(client, upcoming, ready_idea, secretary):
    client.force_login(secretary)
    html = client.get(reverse("board:agenda", kwargs={"pk": upcoming.pk})).content.decode()
    assert "Presented by Olive Officer unless you change it." in html


# --- Owners and presenters hear when the agenda is published, with their slot ------------


def test_owners_co_owners_and_presenter_hear_their_slot_when_the_agenda_is_published(
    upcoming, ready_idea, secretary, officer, co_owner, people, django_capture_on_commit_callbacks
):
    services.agenda_add_free(meeting_id=upcoming.pk, by=secretary, title="Programme report", minutes_allotted=20)
    presenter = people["reviewer"]
    services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=ready_idea.pk, by=secretary, presenter=presenter,
                             minutes_allotted=25)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish_agenda(meeting_id=upcoming.pk, by=secretary)
    notices = told(BoardKind.IDEA_ON_AGENDA)
    assert set(notices) == {officer.email, co_owner.email, presenter.email}
    # The meeting starts at 2pm; the idea follows a 20-minute item, as the pack's agenda says.
    assert "item 2" in notices[officer.email].body and "starts at 2:20pm" in notices[officer.email].body
    assert "lasts 25 minutes" in notices[officer.email].body
    assert "You are presenting it." in notices[presenter.email].body
    assert "presenting" not in notices[officer.email].body
    assert notices[officer.email].url == reverse("board:meeting", kwargs={"pk": upcoming.pk})
    assert any(m.to == [officer.email] and "on the agenda" in m.subject for m in mail.outbox)
    assert board_notices.ideas_on_agenda(meeting_id=upcoming.pk) == 0  # told once
    # The pack was built as the agenda went out: members get one email for both, not two.
    to_member = [m for m in mail.outbox if m.to == [people["board_member"].email]]
    assert [m.subject for m in to_member] == [f"Agenda published and pack ready: {upcoming.display_title}"]


def test_nobody_hears_of_a_draft_agenda_and_an_idea_added_later_is_announced(
    upcoming, ready_idea, secretary, officer, people, django_capture_on_commit_callbacks
):
    services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=ready_idea.pk, by=secretary)
    assert board_notices.ideas_on_agenda(meeting_id=upcoming.pk) == 0  # still a draft
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish_agenda(meeting_id=upcoming.pk, by=secretary)
        later = make_idea(people["officer_other"], at="ready-for-board", title="Late idea")
        services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=later.pk, by=secretary)
    notices = Notification.objects.filter(kind=BoardKind.IDEA_ON_AGENDA)
    assert sorted(n.recipient.email for n in notices) == sorted([officer.email, people["officer_other"].email])
    assert "item 2" in notices.get(recipient=people["officer_other"]).body


# --- They may read the public part of that agenda -------------------------------------


def test_owners_and_presenters_read_the_running_order_of_a_published_agenda_only(
    client, upcoming, ready_idea, secretary, officer, people
):
    other = make_idea(people["officer_other"], at="ready-for-board", title="Secret staffing idea")
    other.is_confidential = True
    other.save(update_fields=["is_confidential"])
    item = services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=ready_idea.pk, by=secretary,
                                    minutes_allotted=30)
    services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=other.pk, by=secretary)
    url = reverse("board:meeting", kwargs={"pk": upcoming.pk})
    client.force_login(officer)
    assert client.get(url).status_code == 403  # a draft agenda stays with the secretary
    services.meeting_publish_agenda(meeting_id=upcoming.pk, by=secretary)

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert ready_idea.title in html and "2pm" in html and "2:30pm" in html
    assert "Secret staffing idea" not in html and "A confidential item" in html
    assert "Declarations" not in html and "Attendance" not in html  # the running order, not the Board's papers
    assert client.get(reverse("board:paper", kwargs={"pk": item.pk})).status_code == 403
    pack = PackVersion.objects.filter(meeting=upcoming).first()
    assert client.get(reverse("board:pack_status", kwargs={"pk": upcoming.pk})).status_code == 403
    assert pack is not None

    client.force_login(people["reviewer"])  # no item of theirs on it
    assert client.get(url).status_code == 403
    AgendaItem.objects.filter(pk=item.pk).update(presenter=people["reviewer"])
    assert client.get(url).status_code == 200  # presenting it is enough


# --- Action owners hear when an action is given to them -------------------------------


def test_an_action_owner_hears_at_creation_and_a_new_owner_at_reassignment(
    published, secretary, officer, people, django_capture_on_commit_callbacks
):
    due = timezone.localdate() + timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        action = services.action_create(meeting_id=published.pk, by=secretary, description="Cost the pilot.",
                                        owner=officer, due_date=due)
    notices = told(BoardKind.ACTION_ASSIGNED)
    assert set(notices) == {officer.email}
    assert "Cost the pilot." in notices[officer.email].title and f"{due:%-d %B %Y}" in notices[officer.email].body
    assert any(m.to == [officer.email] for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        services.action_update(action_id=action.pk, by=secretary, description="Cost the pilot.", owner=officer,
                               due_date=due + timedelta(days=1), status="open")  # same owner: nothing new
        assert set(told(BoardKind.ACTION_ASSIGNED)) == {officer.email}
        services.action_update(action_id=action.pk, by=secretary, description="Cost the pilot.",
                               owner=people["officer_other"], due_date=due, status="open")
    assert set(told(BoardKind.ACTION_ASSIGNED)) == {officer.email, people["officer_other"].email}


def test_the_slot_time_follows_the_meeting_start(upcoming):
    from board.models import item_start_times

    items = [AgendaItem(minutes_allotted=10), AgendaItem(minutes_allotted=45), AgendaItem(minutes_allotted=5)]
    starts = item_start_times(upcoming, items)
    assert starts == [future(10), future(10) + timedelta(minutes=10), future(10) + timedelta(minutes=55)]
