"""Meetings as iCalendar: one event per meeting, and a personal feed behind a secret address."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from board import services
from board.models import CalendarFeedToken
from tests.world_extras.board import future

pytestmark = pytest.mark.django_db


def _events(content: bytes):
    cal = Calendar.from_ical(content)
    assert cal["VERSION"] == "2.0" and "PRODID" in cal
    return list(cal.walk("VEVENT"))


def test_a_meetings_ics_parses_back_with_its_uid_and_sequence(client, upcoming, secretary, member):
    services.meeting_update(meeting_id=upcoming.pk, by=secretary, starts_at=future(12), duration_minutes=90,
                            location="Committee Room 2", online_link="https://teams.example/board")
    upcoming.refresh_from_db()
    client.force_login(member)
    response = client.get(reverse("board:meeting_ics", kwargs={"pk": upcoming.pk}))
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    [event] = _events(response.content)
    assert str(event["UID"]) == str(upcoming.uid)
    assert int(event["SEQUENCE"]) == upcoming.sequence == 1
    assert event.decoded("DTSTART") == future(12)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == upcoming.ends_at - upcoming.starts_at
    assert str(event["LOCATION"]) == "Committee Room 2"
    assert "https://teams.example/board" in str(event["DESCRIPTION"])
    assert str(event["SUMMARY"]) == upcoming.display_title


def test_the_feed_needs_no_session_and_lists_every_meeting(upcoming, published, member):
    token = services.calendar_token_reset(user=member)
    response = Client().get(reverse("board:calendar_feed", kwargs={"token": token.token}))
    assert response.status_code == 200
    uids = {str(e["UID"]) for e in _events(response.content)}
    assert str(published.uid) in uids
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_bad_or_replaced_token_is_not_found(member):
    old = services.calendar_token_reset(user=member).token
    new = services.calendar_token_reset(user=member).token
    assert old != new and CalendarFeedToken.objects.count() == 1
    anonymous = Client()
    assert anonymous.get(reverse("board:calendar_feed", kwargs={"token": old})).status_code == 404
    assert anonymous.get(reverse("board:calendar_feed", kwargs={"token": "guess"})).status_code == 404
    assert anonymous.get(reverse("board:calendar_feed", kwargs={"token": new})).status_code == 200


def test_the_feed_stops_when_the_person_leaves_the_board(member):
    token = services.calendar_token_reset(user=member).token
    member.groups.clear()
    assert Client().get(reverse("board:calendar_feed", kwargs={"token": token})).status_code == 404
    member.is_active = False
    member.save()
    assert Client().get(reverse("board:calendar_feed", kwargs={"token": token})).status_code == 404


def test_only_board_readers_get_a_feed(people):
    with pytest.raises(services.BoardError):
        services.calendar_token_reset(user=people["officer"])


def test_calendar_page_creates_and_shows_the_address(client, member):
    client.force_login(member)
    url = reverse("board:calendar")
    assert "Create my calendar address" in client.get(url).content.decode()
    client.post(url)
    token = CalendarFeedToken.objects.get(user=member)
    assert token.token in client.get(url).content.decode()
