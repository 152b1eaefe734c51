"""Scheduling meetings, changing their details, publishing the agenda and recording a meeting as held."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

import notifications
from harrow_innovation.people.models import User
from ideas.models import (
    EventKind,
)
from ideas.services import timeline_add

from ..models import (
    Attendance,
    Board,
    Meeting,
    MeetingStatus,
    Membership,
)
from ..packs import pack_request
from .agenda import _carry_deferred_items_to
from .common import (
    AGENDA_OPEN,
    BoardError,
    _lock_meeting,
    _log,
    _meeting_label,
    _require_manager,
)


def _check_meeting_details(*, starts_at: datetime, duration_minutes: int, location: str, online_link: str) -> None:
    if starts_at is None:
        raise BoardError("Enter the date of the meeting.", field="date")
    if duration_minutes is None or not 15 <= int(duration_minutes) <= 600:
        raise BoardError("Enter a length between 15 and 600 minutes.", field="duration_minutes")
    if not location.strip() and not online_link.strip():
        raise BoardError("Enter a place, an online meeting link, or both.", field="location")


@transaction.atomic
def meeting_schedule(
    *,
    board: Board,
    starts_at: datetime,
    by: User,
    duration_minutes: int = 120,
    title: str = "",
    location: str = "",
    online_link: str = "",
) -> Meeting:
    """Schedule a meeting of ``board``. Its members are expected; deferred items waiting for a meeting join its agenda."""
    _require_manager(by)
    location = location.strip() or ("" if online_link.strip() else board.default_location)
    _check_meeting_details(starts_at=starts_at, duration_minutes=duration_minutes, location=location, online_link=online_link)
    if starts_at <= timezone.now():
        raise BoardError("The meeting must be in the future. Enter a later date or time.", field="date")
    meeting = Meeting.objects.create(
        board=board, title=title.strip(), starts_at=starts_at, duration_minutes=int(duration_minutes),
        location=location.strip(), online_link=online_link.strip(), created_by=by,
    )
    members = Membership.objects.filter(board=board, is_active=True).values_list("user_id", flat=True)
    Attendance.objects.bulk_create([Attendance(meeting=meeting, user_id=user_id) for user_id in members])
    _log(meeting, by, "meeting.scheduled", f"{by} scheduled the meeting")
    _carry_deferred_items_to(meeting, by=by)
    return meeting


MEETING_FIELDS = ("title", "starts_at", "duration_minutes", "location", "online_link")


@transaction.atomic
def meeting_update(
    *,
    meeting_id: int,
    by: User,
    starts_at: datetime,
    duration_minutes: int,
    title: str = "",
    location: str = "",
    online_link: str = "",
) -> Meeting:
    """Change a meeting's details. Calendars see a new revision; a published pack is rebuilt for a new time or place."""
    _require_manager(by)
    meeting = _lock_meeting(meeting_id)
    if meeting.status not in AGENDA_OPEN:
        raise BoardError("This meeting has been held: its details can no longer change.")
    _check_meeting_details(starts_at=starts_at, duration_minutes=duration_minutes, location=location, online_link=online_link)
    if starts_at != meeting.starts_at and starts_at <= timezone.now():
        raise BoardError("The meeting must be in the future. Enter a later date or time.", field="date")
    values = {
        "title": title.strip(), "starts_at": starts_at, "duration_minutes": int(duration_minutes),
        "location": location.strip(), "online_link": online_link.strip(),
    }
    changed = [f for f in MEETING_FIELDS if getattr(meeting, f) != values[f]]
    if not changed:
        return meeting
    for field in changed:
        setattr(meeting, field, values[field])
    meeting.sequence += 1
    meeting.save(update_fields=[*changed, "sequence"])
    _log(meeting, by, "meeting.updated", f"{by} changed the meeting's {', '.join(f.replace('_', ' ') for f in changed)}",
         fields=changed)
    if meeting.status == MeetingStatus.AGENDA_PUBLISHED and set(changed) & {"starts_at", "location", "online_link", "title"}:
        pack_request(meeting=meeting, reason="Meeting details changed", by=by)
    return meeting


@transaction.atomic
def meeting_publish_agenda(*, meeting_id: int, by: User) -> Meeting:
    """Publish the agenda: members can read it, each idea's timeline says so, and the pack is built."""
    _require_manager(by)
    meeting = _lock_meeting(meeting_id)
    if meeting.status != MeetingStatus.PLANNED:
        raise BoardError("The agenda for this meeting has already been published.")
    items = list(meeting.items.select_related("idea", "idea__stage", "stage_when_added").order_by("order", "pk"))
    if not items:
        raise BoardError("The agenda is empty. Add at least one item before you publish it. Nothing was published.")
    moved = [i for i in items if i.idea_id and i.idea.stage_id != i.stage_when_added_id]
    if moved:
        names = "; ".join(f"“{i.title}” is now at {i.idea.stage.name}" for i in moved)
        raise BoardError(f"Some ideas have moved on since they were added: {names}. Remove them first. Nothing was published.")
    now = timezone.now()
    meeting.status = MeetingStatus.AGENDA_PUBLISHED
    meeting.published_at = now
    meeting.save(update_fields=["status", "published_at"])
    label = _meeting_label(meeting)
    for item in items:
        if item.idea_id:
            timeline_add(idea=item.idea, kind=EventKind.AGENDA, actor=by, summary=f"On the agenda for the {label}",
                       detail=item.recommendation)
    _log(meeting, by, "agenda.published", f"{by} published the agenda ({len(items)} items)")
    pack_request(meeting=meeting, reason="Agenda published", by=by)
    notifications.publish("board.agenda_published", meeting_id=meeting.pk)
    notifications.publish("board.ideas_on_agenda", meeting_id=meeting.pk)
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting_id: int, by: User) -> Meeting:
    """Record that the meeting took place. Its minutes can then be approved at a later meeting."""
    _require_manager(by)
    meeting = _lock_meeting(meeting_id)
    if meeting.status == MeetingStatus.PLANNED:
        raise BoardError("Publish the agenda before you record the meeting as held.")
    if meeting.status != MeetingStatus.AGENDA_PUBLISHED:
        raise BoardError("This meeting is already recorded as held.")
    if timezone.localdate(meeting.starts_at) > timezone.localdate():
        raise BoardError("This meeting has not happened yet: you can record it as held on or after its date.")
    meeting.status = MeetingStatus.HELD
    meeting.held_at = timezone.now()
    meeting.save(update_fields=["status", "held_at"])
    _log(meeting, by, "meeting.held", f"{by} recorded the meeting as held")
    return meeting
