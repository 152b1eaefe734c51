"""Meetings as iCalendar (RFC 5545): one event per meeting, or a feed of them.

Each event's UID is the meeting's stable ``uid`` and its SEQUENCE the
meeting's ``sequence``, raised on every change, so calendar apps update the
event they already hold instead of adding another.

Events carry the meeting's time, place and link only, never agenda contents:
a feed address can be subscribed to without signing in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from harrow_innovation.core.text import one_line

from .models import Meeting

PRODID = "-//London Borough of Harrow//Harrow Innovation Pipeline//EN"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", one_line(name))
    return cal


def meeting_event(meeting: Meeting, *, stamp=None) -> Event:
    url = settings.SITE_URL + reverse("board:meeting", kwargs={"pk": meeting.pk})
    event = Event()
    event.add("uid", str(meeting.uid))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", (stamp or timezone.now()).astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    # Rows saved before forms refused line breaks may still hold them; a calendar line cannot.
    event.add("summary", one_line(meeting.display_title))
    where = one_line(meeting.location) or ("Online" if meeting.online_link else "")
    if where:
        event.add("location", where)
    lines = [f"{one_line(meeting.board.name)}: {meeting.get_status_display().lower()}."]
    if meeting.online_link:
        lines.append(f"Join online: {one_line(meeting.online_link)}")
    lines.append(f"Agenda and papers: {url}")
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def meeting_ics(meeting: Meeting) -> bytes:
    cal = _calendar(meeting.display_title)
    cal.add_component(meeting_event(meeting))
    return cal.to_ical()


def feed_ics(meetings: Iterable[Meeting], *, name: str = "Innovation Board meetings") -> bytes:
    cal = _calendar(name)
    stamp = timezone.now()
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, stamp=stamp))
    return cal.to_ical()
