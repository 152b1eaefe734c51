"""Meetings as iCalendar: one event per meeting, and a personal feed behind a secret address."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from board import feed_tokens, services
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
    token = feed_tokens.calendar_token_reset(user=member)
    response = Client().get(reverse("board:calendar_feed", kwargs={"token": token.secret}))
    assert response.status_code == 200
    uids = {str(e["UID"]) for e in _events(response.content)}
    assert str(published.uid) in uids
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_a_digest_of_the_address_is_stored(member):
    token = feed_tokens.calendar_token_reset(user=member)
    row = CalendarFeedToken.objects.values().get(pk=token.pk)
    assert token.secret not in str(row)
    assert row["digest"] == hashlib.sha256(token.secret.encode()).hexdigest()


def test_a_bad_or_replaced_token_is_not_found(member):
    old = feed_tokens.calendar_token_reset(user=member).secret
    new = feed_tokens.calendar_token_reset(user=member).secret
    assert old != new and CalendarFeedToken.objects.count() == 1
    anonymous = Client()
    assert anonymous.get(reverse("board:calendar_feed", kwargs={"token": old})).status_code == 404
    assert anonymous.get(reverse("board:calendar_feed", kwargs={"token": "guess"})).status_code == 404
    assert anonymous.get(reverse("board:calendar_feed", kwargs={"token": new})).status_code == 200


def test_the_feed_stops_when_the_person_leaves_the_board(member):
    token = feed_tokens.calendar_token_reset(user=member).secret
    member.groups.clear()
    assert Client().get(reverse("board:calendar_feed", kwargs={"token": token})).status_code == 404
    member.is_active = False
    member.save()
    assert Client().get(reverse("board:calendar_feed", kwargs={"token": token})).status_code == 404


def test_only_board_readers_get_a_feed(people):
    with pytest.raises(services.BoardError):
        feed_tokens.calendar_token_reset(user=people["officer"])


def test_the_address_is_shown_once_when_made_and_never_again(client, member):
    client.force_login(member)
    url = reverse("board:calendar")
    assert "Create my calendar address" in client.get(url).content.decode()
    made = client.post(url)
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    html = made.content.decode()
    feed = re.search(r'value="(http://testserver/board/calendar/([^"/]+)\.ics)"', html)
    assert feed and "shown only this once" in html
    assert Client().get(feed.group(1)).status_code == 200
    later = client.get(url).content.decode()
    assert feed.group(2) not in later
    assert "Make a new address" in later and "Stop my calendar address" in later


def test_the_owner_stops_their_address_after_confirming(client, member):
    token = feed_tokens.calendar_token_reset(user=member)
    client.force_login(member)
    url = reverse("board:calendar_revoke", kwargs={"pk": token.pk})
    assert "Stop the calendar address" in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == reverse("board:calendar")
    assert not CalendarFeedToken.objects.exists()
    assert Client().get(reverse("board:calendar_feed", kwargs={"token": token.secret})).status_code == 404
    again = client.post(url)  # a second tab, or a double click: nothing left to stop
    assert again.status_code == 404


def test_an_admin_stops_anyones_address_and_others_cannot(client, member, people):
    token = feed_tokens.calendar_token_reset(user=member)
    url = reverse("board:calendar_revoke", kwargs={"pk": token.pk})
    for outsider in (people["officer"], people["secretary"]):
        client.force_login(outsider)
        assert client.post(url).status_code == 404
    assert CalendarFeedToken.objects.filter(pk=token.pk).exists()
    with pytest.raises(services.BoardError):
        feed_tokens.calendar_token_revoke(token_id=token.pk, by=people["secretary"])
    assert CalendarFeedToken.objects.filter(pk=token.pk).exists()

    client.force_login(people["admin"])
    listing = client.get(reverse("board:calendar_addresses")).content.decode()
    assert str(member) in listing and url in listing
    response = client.post(url)
    assert response["Location"] == reverse("board:calendar_addresses")
    assert not CalendarFeedToken.objects.exists()


def test_the_migration_hashes_existing_addresses_so_they_keep_working(member):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("board.migrations.0004_sso_hashed_calendar_tokens")
    plain = "an-address-made-before-hashing-0123456789ab"
    row = CalendarFeedToken.objects.create(user=member, digest=plain)  # as the old column held it
    migration.hash_secrets(apps, None)
    row.refresh_from_db()
    assert row.digest == hashlib.sha256(plain.encode()).hexdigest()
    assert Client().get(reverse("board:calendar_feed", kwargs={"token": plain})).status_code == 200
