"""Board pages: bad input shows GOV.UK errors and changes nothing; pages cost fixed queries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from board import services
from board.forms import parse_time
from board.models import Decision, Meeting, MeetingStatus
from harrow_innovation.core.navigation import items_for
from ideas.models import Idea
from tests.factories import make_idea, stage
from tests.world_extras.board import idea_item_on, past_meeting

pytestmark = pytest.mark.django_db


def _meeting_data(day, **extra):
    return {"board": extra.pop("board"), "title": "", "date_0": day.day, "date_1": day.month, "date_2": day.year,
            "start_time": "2pm", "duration_minutes": "90", "location": "Committee Room 1", "online_link": "", **extra}


@pytest.mark.parametrize(("text", "expected"), [
    ("14:30", (14, 30)), ("2pm", (14, 0)), ("2:30pm", (14, 30)), ("9.15am", (9, 15)), ("12am", (0, 0)),
    ("midday", (12, 0)), ("9", (9, 0)),
])
def test_times_are_read_as_people_type_them(text, expected):
    assert (parse_time(text).hour, parse_time(text).minute) == expected


@pytest.mark.parametrize("text", ["", "25:00", "13pm", "2:75", "teatime"])
def test_nonsense_times_are_refused(text):
    assert parse_time(text) is None


def test_schedule_a_meeting(client, secretary, innovation_board):
    client.force_login(secretary)
    day = timezone.localdate() + timedelta(days=14)
    response = client.post(reverse("board:meeting_new"), _meeting_data(day, board=innovation_board.pk))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    local = timezone.localtime(meeting.starts_at)
    assert (local.date(), local.hour, meeting.duration_minutes) == (day, 14, 90)


@pytest.mark.parametrize(("change", "message"), [
    ({"date_0": "", "date_1": "", "date_2": ""}, "Enter the date of the meeting"),
    ({"date_0": "31", "date_1": "2"}, "The date of the meeting must be a real date"),
    ({"date_1": ""}, "The date of the meeting must include a month"),
    ({"date_0": "x"}, "Enter the date of the meeting using numbers"),
    ({"start_time": "teatime"}, "Enter the start time like 2pm or 14:30"),
    ({"start_time": ""}, "Enter the start time"),
    ({"duration_minutes": "5"}, "at least 15 minutes"),
    ({"online_link": "not a link"}, "Enter the online meeting link as a web address"),
    ({"past": True}, "The meeting must be in the future"),
])
def test_bad_input_shows_errors_keeps_what_was_typed_and_creates_nothing(client, secretary, innovation_board, change,
                                                                         message):
    client.force_login(secretary)
    day = timezone.localdate() + (timedelta(days=-3) if change.pop("past", False) else timedelta(days=14))
    data = _meeting_data(day, board=innovation_board.pk, title="Special meeting", **change)
    response = client.post(reverse("board:meeting_new"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page and "govuk-error-summary" in page
    assert message in page
    assert 'value="Special meeting"' in page
    assert not Meeting.objects.exists()


def test_edit_meeting(client, secretary, upcoming):
    client.force_login(secretary)
    url = reverse("board:meeting_edit", kwargs={"pk": upcoming.pk})
    page = client.get(url).content.decode()
    assert 'value="14:00"' in page
    day = timezone.localdate() + timedelta(days=12)
    assert client.post(url, _meeting_data(day, board=upcoming.board_id, start_time="10am")).status_code == 302
    upcoming.refresh_from_db()
    assert timezone.localtime(upcoming.starts_at).hour == 10 and upcoming.sequence == 1


def test_publishing_an_empty_agenda_through_the_page_says_why(client, secretary, upcoming):
    client.force_login(secretary)
    response = client.post(reverse("board:meeting_publish", kwargs={"pk": upcoming.pk}), follow=True)
    assert "The agenda is empty. Add at least one item before you publish it." in response.content.decode()
    upcoming.refresh_from_db()
    assert upcoming.status == MeetingStatus.PLANNED


def test_members_do_not_see_a_draft_agenda(client, upcoming, ready_idea, secretary, member):
    services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=ready_idea.pk, by=secretary)
    client.force_login(member)
    page = client.get(reverse("board:meeting", kwargs={"pk": upcoming.pk})).content.decode()
    assert "The agenda has not been published yet." in page and ready_idea.title not in page
    page = client.get(reverse("board:meetings")).content.decode()
    assert ready_idea.title not in page


def test_decide_page_bad_input_keeps_the_answers_and_changes_nothing(client, idea_item, secretary):
    client.force_login(secretary)
    url = reverse("board:decide", kwargs={"pk": idea_item.pk})
    response = client.post(url, {"outcome": "park", "park_until_0": "1", "park_until_1": "1", "park_until_2": "2020",
                                 "budget_allocated": "12000", "people_allocated": "Two analysts"})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert "The date the idea is parked until must be in the future" in page
    assert 'value="2020"' in page and "Two analysts" in page and 'value="park" checked' in page
    response = client.post(url, {"outcome": "approve_with_conditions", "conditions": ""})
    assert "Enter the conditions of the approval" in response.content.decode()
    response = client.post(url, {"outcome": "approve", "budget_allocated": "-5"})
    assert "Enter a budget of £0 or more" in response.content.decode()
    response = client.post(url, {})
    assert "Choose the Board&#x27;s decision" in response.content.decode()
    assert not Decision.objects.exists()
    assert Idea.objects.get(pk=idea_item.idea_id).stage == stage("ready-for-board")


def test_decide_page_records_a_decision_and_refuses_a_second(client, idea_item, secretary):
    client.force_login(secretary)
    url = reverse("board:decide", kwargs={"pk": idea_item.pk})
    until = timezone.localdate() + timedelta(days=60)
    response = client.post(url, {"outcome": "park", "park_until_0": until.day, "park_until_1": until.month,
                                 "park_until_2": until.year, "budget_allocated": ""})
    assert response.status_code == 302
    assert Decision.objects.get().park_until == until
    response = client.post(url, {"outcome": "approve"}, follow=True)
    assert "A decision has already been recorded for this item. Nothing was changed." in response.content.decode()
    assert Decision.objects.get().outcome == "park"


def test_decide_page_for_an_idea_that_moved_on(client, idea_item, secretary, officer):
    from ideas.services import idea_move
    from tests.factories import transition

    idea_move(idea_id=idea_item.idea_id, transition=transition(None, "withdrawn"), by=officer, comment="No")
    client.force_login(secretary)
    url = reverse("board:decide", kwargs={"pk": idea_item.pk})
    assert "has moved on since it was put on the agenda" in client.get(url).content.decode()
    response = client.post(url, {"outcome": "approve"})
    assert "has moved on since it was put on the agenda" in response.content.decode()
    assert not Decision.objects.exists()


def test_board_nav_entry_is_for_the_board_only(rf, people):
    for role, visible in [("officer", False), ("reviewer", False), ("board_member", True), ("secretary", True),
                          ("admin", True)]:
        request = rf.get("/")
        request.user = people[role]
        assert ("Board" in [i["label"] for i in items_for(request)]) is visible, role


def _fill_meeting(meeting, secretary, officer, member, n):
    for i in range(n):
        idea = make_idea(officer, at="ready-for-board", title=f"Idea {meeting.pk}-{i}")
        item = idea_item_on(meeting, idea, order=100 + i)
        services.agenda_add_free(meeting_id=meeting.pk, by=secretary, title=f"Report {i}", presenter=officer)
        services.declaration_make(item_id=item.pk, by=member, nature="Interest", leaves_room=False)
        services.decision_record(item_id=item.pk, by=secretary, outcome="approve",
                                 resources=services.Resources(Decimal("1000")))
        services.action_create(meeting_id=meeting.pk, by=secretary, description=f"Action {i}", owner=officer,
                               due_date=timezone.localdate() + timedelta(days=3), item_id=item.pk)


def test_meeting_page_costs_the_same_queries_whatever_the_size(client, published, secretary, officer, member,
                                                               django_assert_num_queries):
    client.force_login(secretary)
    url = reverse("board:meeting", kwargs={"pk": published.pk})
    _fill_meeting(published, secretary, officer, member, 1)
    client.get(url)
    with django_assert_num_queries(12) as small:
        assert client.get(url).status_code == 200
    _fill_meeting(published, secretary, officer, member, 6)
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert "Report 5" in page and "Action 5" in page


def test_decisions_list_costs_the_same_queries_whatever_the_size(client, innovation_board, secretary, officer, member,
                                                                  django_assert_num_queries):
    client.force_login(member)
    url = reverse("board:decisions") + "?q=Idea&outcome=approve"
    first = past_meeting(innovation_board, secretary, days_ago=30)
    _fill_meeting(first, secretary, officer, member, 1)
    client.get(url)
    with django_assert_num_queries(4) as small:
        assert client.get(url).status_code == 200
    _fill_meeting(past_meeting(innovation_board, secretary, days_ago=20), secretary, officer, member, 6)
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert "7 decisions" in page


def test_meetings_list_costs_the_same_queries_whatever_the_size(client, published, secretary, officer, member,
                                                                 innovation_board, django_assert_num_queries):
    client.force_login(member)
    url = reverse("board:meetings")
    past_meeting(innovation_board, secretary, days_ago=10)
    client.get(url)
    with django_assert_num_queries(7) as small:
        assert client.get(url).status_code == 200
    for days in (20, 30, 40):
        meeting = services.meeting_schedule(board=innovation_board, starts_at=published.starts_at + timedelta(days=days),
                                            by=secretary, location="R")
        services.agenda_add_free(meeting_id=meeting.pk, by=secretary, title="Report")
        services.meeting_publish_agenda(meeting_id=meeting.pk, by=secretary)
        past_meeting(innovation_board, secretary, days_ago=days)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_past_meetings_are_paged_and_the_links_come_back_to_the_list(client, innovation_board, secretary, member):
    for days in range(10, 10 + 25):  # 20 a page
        past_meeting(innovation_board, secretary, days_ago=days)
    client.force_login(member)
    url = reverse("board:meetings")
    first = client.get(url).content.decode()
    assert 'aria-label="Past meetings"' in first
    assert 'href="?page=2#past" rel="next"' in first
    second = client.get(url, {"page": 2}).content.decode()
    assert 'href="?page=1#past" rel="prev"' in second
    assert 'aria-current="page">2</a>' in second
