"""Declarations of interest, apologies and the attendance record."""

from __future__ import annotations

from django.db import transaction

from harrow_innovation.people.models import User

from .. import permissions
from ..models import (
    Attendance,
    Declaration,
    Meeting,
    MeetingStatus,
    Membership,
)
from .common import (
    AGENDA_OPEN,
    IN_SESSION,
    BoardError,
    _lock_item,
    _lock_meeting,
    _log,
    _require_manager,
)


@transaction.atomic
def declaration_make(*, item_id: int, by: User, nature: str, leaves_room: bool) -> Declaration:
    """A Board member declares an interest in an item (declaring again replaces the earlier words)."""
    if not permissions.can_declare_interest(by):
        raise BoardError("Only Board members declare interests.")
    item, meeting = _lock_item(item_id)
    if meeting.status not in IN_SESSION:
        if meeting.status == MeetingStatus.PLANNED:
            raise BoardError("The agenda has not been published yet.")
        raise BoardError("The minutes of this meeting have been approved: declarations can no longer change.")
    if hasattr(item, "decision"):
        raise BoardError("The Board has already decided this item.")
    nature = (nature or "").strip()
    if not nature:
        raise BoardError("Describe the nature of your interest.", field="nature")
    declaration, created = Declaration.objects.update_or_create(
        item=item, member=by, defaults={"nature": nature, "leaves_room": bool(leaves_room)}
    )
    verb = "declared" if created else "changed their declaration of"
    _log(meeting, by, "declaration.made", f"{by} {verb} an interest in “{item.title}”", item=item.pk)
    return declaration


def _own_attendance(meeting: Meeting, by: User) -> Attendance:
    if not Membership.objects.filter(board_id=meeting.board_id, user=by, is_active=True).exists():
        raise BoardError("Only members of the Board send apologies.")
    if meeting.status not in AGENDA_OPEN:
        raise BoardError("This meeting has been held.")
    attendance, _ = Attendance.objects.select_for_update().get_or_create(meeting=meeting, user=by)
    return attendance


@transaction.atomic
def apologies_send(*, meeting_id: int, by: User, note: str = "") -> Attendance:
    meeting = _lock_meeting(meeting_id)
    attendance = _own_attendance(meeting, by)
    attendance.status = Attendance.Status.APOLOGIES
    attendance.note = (note or "").strip()[:200]
    attendance.save(update_fields=["status", "note"])
    _log(meeting, by, "attendance.apologies", f"{by} sent apologies")
    return attendance


@transaction.atomic
def apologies_withdraw(*, meeting_id: int, by: User) -> Attendance:
    meeting = _lock_meeting(meeting_id)
    attendance = _own_attendance(meeting, by)
    if attendance.status != Attendance.Status.APOLOGIES:
        raise BoardError("You have not sent apologies for this meeting.")
    attendance.status = Attendance.Status.EXPECTED
    attendance.note = ""
    attendance.save(update_fields=["status", "note"])
    _log(meeting, by, "attendance.apologies_withdrawn", f"{by} withdrew their apologies")
    return attendance


def attendance_rows(meeting: Meeting) -> list[Attendance]:
    """The meeting's attendance, with a row for every current member (added if they joined later)."""
    members = Membership.objects.filter(board_id=meeting.board_id, is_active=True).values_list("user_id", flat=True)
    have = set(meeting.attendance.values_list("user_id", flat=True))
    missing = [Attendance(meeting=meeting, user_id=u) for u in members if u not in have]
    if missing:
        Attendance.objects.bulk_create(missing, ignore_conflicts=True)
    return list(meeting.attendance.select_related("user").order_by("user__full_name"))


@transaction.atomic
def attendance_record(*, meeting_id: int, by: User, statuses: dict[int, str], notes: dict[int, str] | None = None) -> int:
    """The secretary records who was present, sent apologies or was absent. Returns how many rows changed."""
    _require_manager(by)
    meeting = _lock_meeting(meeting_id)
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        raise BoardError("The minutes of this meeting have been approved: attendance can no longer change.")
    valid = set(Attendance.Status.values)
    notes = notes or {}
    rows = {a.user_id: a for a in attendance_rows(meeting)}
    unknown = [u for u in statuses if u not in rows]
    if unknown:
        raise BoardError("Some people are not expected at this meeting. Reload the page and try again.")
    changed = []
    for user_id, status in statuses.items():
        if status not in valid:
            raise BoardError("Choose present, sent apologies, absent or expected for everyone.")
        row = rows[user_id]
        note = (notes.get(user_id, row.note) or "").strip()[:200]
        if row.status != status or row.note != note:
            row.status, row.note = status, note
            changed.append(row)
    Attendance.objects.bulk_update(changed, ["status", "note"])
    if changed:
        _log(meeting, by, "attendance.recorded", f"{by} recorded attendance ({len(changed)} changed)")
    return len(changed)
