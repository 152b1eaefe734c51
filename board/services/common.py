"""The Board error, the statuses that gate changes, and the helpers every Board service shares:
locking meetings and items in one order, the audit row, and the checks on who may act."""

from __future__ import annotations

from django.utils import timezone

from harrow_innovation.people.models import User
from ideas.models import (
    Idea,
)

from .. import permissions
from ..models import (
    AgendaItem,
    Meeting,
    MeetingLog,
    MeetingStatus,
)

# Statuses in which the agenda may still change (items added, edited, reordered).
AGENDA_OPEN = (MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED)
# Statuses in which the Board's business is recorded (declarations, decisions, minutes drafts).
IN_SESSION = (MeetingStatus.AGENDA_PUBLISHED, MeetingStatus.HELD)


class BoardError(Exception):
    """A change to Board business that is not allowed now. The message is for the user.

    ``field`` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- Helpers ------------------------------------------------------------------


def _log(meeting: Meeting, by: User | None, what: str, summary: str, **data) -> MeetingLog:
    return MeetingLog.objects.create(meeting=meeting, actor=by, action=what, summary=summary[:300], data=data)


def _require_manager(by: User) -> None:
    if not permissions.can_manage_meetings(by):
        raise BoardError("Only the Board secretary or an admin can do that.")


def _require_judge(by: User, *, idea_id: int | None, doing: str) -> None:
    """Nobody judges their own idea: refused before anything is locked (ownership is fixed once submitted)."""
    idea = Idea.objects.only("pk", "owner_id").filter(pk=idea_id).first() if idea_id else None
    if idea is not None and not permissions.can_judge_idea(by, idea):
        raise BoardError(f"{permissions.own_idea_refusal_for(doing)} Nothing was changed.")


def _lock_meeting(meeting_id: int) -> Meeting:
    # of=("self",): lock the meeting only. Without it the join also locked the one Board row, so every
    # write to every meeting queued on it (and a deferral, which locks a second meeting, could deadlock).
    try:
        return Meeting.objects.select_for_update(of=("self",)).select_related("board").get(pk=meeting_id)
    except Meeting.DoesNotExist:
        raise BoardError("That meeting no longer exists.") from None


def _lock_meetings(*meeting_ids: int) -> set[int]:
    """Lock several meetings in ascending pk order, the one order every write that takes two uses, so none deadlock."""
    for pk in sorted(set(meeting_ids)):
        Meeting.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True).first()
    return set(meeting_ids)


def _item_meeting_and_next(item_id: int) -> list[int]:
    """The item's meeting and the meeting its deferral would go to (read without locks, to lock them in order)."""
    meeting = Meeting.objects.filter(items__pk=item_id).first()
    if meeting is None:
        return []
    target = _next_planned_meeting(meeting)
    return [meeting.pk] + ([target.pk] if target else [])


def _next_planned_meeting(meeting: Meeting) -> Meeting | None:
    """The meeting a deferred item of ``meeting`` is carried to."""
    return (
        Meeting.objects.filter(board_id=meeting.board_id, status=MeetingStatus.PLANNED, starts_at__gt=meeting.starts_at)
        .order_by("starts_at").first()
    )


def _lock_item(item_id: int) -> tuple[AgendaItem, Meeting]:
    """Lock the item's meeting first (every agenda write does, so they queue), then the item."""
    meeting_id = AgendaItem.objects.filter(pk=item_id).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise BoardError("That agenda item no longer exists.")
    meeting = _lock_meeting(meeting_id)
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related("idea", "idea__stage", "stage_when_added").get(
        pk=item_id
    )
    return item, meeting


def _meeting_label(meeting: Meeting) -> str:
    return f"{meeting.board.name}, {timezone.localtime(meeting.starts_at):%-d %B %Y}"


def _clean_presenter(presenter: User | None, presenter_name: str) -> tuple[User | None, str]:
    presenter_name = (presenter_name or "").strip()
    if presenter is not None:
        return presenter, ""
    return None, presenter_name[:150]


def _check_minutes_allotted(minutes: int) -> int:
    if minutes is None or not 1 <= int(minutes) <= 240:
        raise BoardError("Enter a time between 1 and 240 minutes.", field="minutes_allotted")
    return int(minutes)
