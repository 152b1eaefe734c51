"""Every write to Board business goes through these functions.

Each state change locks the meeting (or item) row, checks the state it
expects, writes the change and an audit row (``MeetingLog``), and leaves
follow-up work (pack builds) to Celery after commit through the outbox.
Refusals raise ``BoardError`` with a message for the user; nothing is changed
when one is raised, because every service runs in one transaction.

Decisions move ideas through the same workflow engine as everything else
(``ideas.services.idea_move``), so the idea's history and timeline stay whole.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from harrow_innovation.core import outbox
from harrow_innovation.core.money import format_money
from harrow_innovation.people.models import User
from ideas.models import (
    MAX_MONEY,
    EventKind,
    Idea,
    IdeaEvent,
    Outcome,
    StageChange,
    Transition,
)
from ideas.services import WorkflowError, idea_move, lock_idea

from . import permissions
from .models import (
    Action,
    AgendaItem,
    Attendance,
    Board,
    Decision,
    Declaration,
    Meeting,
    MeetingLog,
    MeetingStatus,
    Membership,
    Minutes,
)
from .packs import pack_request

log = logging.getLogger(__name__)

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


def idea_event(*, idea: Idea, kind: str, actor: User | None, summary: str, detail: str = "") -> IdeaEvent:
    """Write a line in an idea's timeline (ideas never import board, so board writes its own)."""
    return IdeaEvent.objects.create(idea=idea, kind=kind, actor=actor, summary=summary[:300], detail=detail)


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


# --- Meetings -----------------------------------------------------------------


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
            idea_event(idea=item.idea, kind=EventKind.AGENDA, actor=by, summary=f"On the agenda for the {label}",
                       detail=item.recommendation)
    _log(meeting, by, "agenda.published", f"{by} published the agenda ({len(items)} items)")
    pack_request(meeting=meeting, reason="Agenda published", by=by)
    outbox.enqueue("notifications.agenda_published", meeting.pk)
    outbox.enqueue("notifications.ideas_on_agenda", meeting.pk)
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


# --- Agenda -------------------------------------------------------------------


def _require_agenda_open(meeting: Meeting) -> None:
    if meeting.status not in AGENDA_OPEN:
        raise BoardError("This meeting has been held: its agenda can no longer change.")


def _next_order(meeting: Meeting) -> int:
    return (meeting.items.aggregate(n=Max("order"))["n"] or 0) + 1


def _after_agenda_change(meeting: Meeting, by: User, reason: str) -> None:
    """Once the agenda is out, any change to it makes a new pack version."""
    if meeting.status == MeetingStatus.AGENDA_PUBLISHED:
        pack_request(meeting=meeting, reason=reason, by=by)


@transaction.atomic
def agenda_add_idea(
    *,
    meeting_id: int,
    idea_id: int,
    by: User,
    minutes_allotted: int = 15,
    presenter: User | None = None,
    presenter_name: str = "",
    recommendation: str = "",
) -> AgendaItem:
    """Put an idea that is ready for the Board on the agenda, remembering its stage for the decision."""
    _require_manager(by)
    _require_judge(by, idea_id=idea_id, doing=permissions.AGENDA_DOING)
    meeting = _lock_meeting(meeting_id)
    _require_agenda_open(meeting)
    try:
        idea = lock_idea(idea_id=idea_id)
    except Idea.DoesNotExist:
        raise BoardError("That idea no longer exists.") from None
    if not idea.stage.ready_for_board:
        raise BoardError(f"“{idea.title}” is not ready for the Board: it is at {idea.stage.name}.")
    if meeting.items.filter(idea=idea).exists():
        raise BoardError(f"“{idea.title}” is already on this agenda.")
    elsewhere = (
        AgendaItem.objects.filter(idea=idea, decision__isnull=True, meeting__status__in=[*AGENDA_OPEN, MeetingStatus.HELD])
        .exclude(meeting=meeting).select_related("meeting__board").first()
    )
    if elsewhere:
        raise BoardError(
            f"“{idea.title}” is already on the agenda for the {_meeting_label(elsewhere.meeting)}, without a decision yet."
        )
    presenter, presenter_name = _clean_presenter(presenter, presenter_name)
    if presenter is None and not presenter_name:
        presenter = idea.owner if idea.owner.is_active else None  # whoever brought the idea presents it
    try:
        with transaction.atomic():
            item = AgendaItem.objects.create(
                meeting=meeting, order=_next_order(meeting), kind=AgendaItem.Kind.IDEA, idea=idea,
                stage_when_added=idea.stage, title=idea.title[:200], minutes_allotted=_check_minutes_allotted(minutes_allotted),
                presenter=presenter, presenter_name=presenter_name, recommendation=recommendation.strip(),
            )
    except IntegrityError:
        raise BoardError(f"“{idea.title}” is already on this agenda.") from None
    _log(meeting, by, "agenda.item_added", f"{by} added “{item.title}” to the agenda", item=item.pk, idea=idea.pk)
    if meeting.status == MeetingStatus.AGENDA_PUBLISHED:
        idea_event(idea=idea, kind=EventKind.AGENDA, actor=by, summary=f"On the agenda for the {_meeting_label(meeting)}")
        outbox.enqueue("notifications.ideas_on_agenda", meeting.pk)
    _after_agenda_change(meeting, by, f"Item added: {item.title}")
    return item


@transaction.atomic
def agenda_add_free(
    *,
    meeting_id: int,
    by: User,
    title: str,
    description: str = "",
    minutes_allotted: int = 15,
    presenter: User | None = None,
    presenter_name: str = "",
    recommendation: str = "",
) -> AgendaItem:
    """Add an item that is not an idea: an update from a team, a programme report."""
    _require_manager(by)
    meeting = _lock_meeting(meeting_id)
    _require_agenda_open(meeting)
    title = (title or "").strip()
    if not title:
        raise BoardError("Enter a title for the item.", field="title")
    presenter, presenter_name = _clean_presenter(presenter, presenter_name)
    item = AgendaItem.objects.create(
        meeting=meeting, order=_next_order(meeting), kind=AgendaItem.Kind.FREE, title=title[:200],
        description=(description or "").strip(), minutes_allotted=_check_minutes_allotted(minutes_allotted),
        presenter=presenter, presenter_name=presenter_name, recommendation=(recommendation or "").strip(),
    )
    _log(meeting, by, "agenda.item_added", f"{by} added “{item.title}” to the agenda", item=item.pk)
    _after_agenda_change(meeting, by, f"Item added: {item.title}")
    return item


@transaction.atomic
def agenda_item_update(
    *,
    item_id: int,
    by: User,
    minutes_allotted: int,
    presenter: User | None = None,
    presenter_name: str = "",
    recommendation: str = "",
    title: str | None = None,
    description: str | None = None,
) -> AgendaItem:
    """Change an item's time, presenter, recommendation (and, for other items, title and description)."""
    _require_manager(by)
    item, meeting = _lock_item(item_id)
    _require_agenda_open(meeting)
    if hasattr(item, "decision"):
        raise BoardError("The Board has already decided this item: it can no longer change.")
    presenter, presenter_name = _clean_presenter(presenter, presenter_name)
    values = {
        "minutes_allotted": _check_minutes_allotted(minutes_allotted),
        "presenter": presenter,
        "presenter_name": presenter_name,
        "recommendation": (recommendation or "").strip(),
    }
    if item.kind == AgendaItem.Kind.FREE:
        if title is not None:
            if not title.strip():
                raise BoardError("Enter a title for the item.", field="title")
            values["title"] = title.strip()[:200]
        if description is not None:
            values["description"] = description.strip()
    changed = [f for f, v in values.items() if getattr(item, f) != v]
    if not changed:
        return item
    for field, value in values.items():
        setattr(item, field, value)
    item.save(update_fields=[*changed, "updated_at"])
    _log(meeting, by, "agenda.item_changed", f"{by} changed “{item.title}”", item=item.pk, fields=changed)
    _after_agenda_change(meeting, by, f"Paper changed: {item.title}")
    return item


@transaction.atomic
def agenda_item_move(*, item_id: int, by: User, direction: str) -> AgendaItem:
    """Move an item one place up or down the agenda."""
    _require_manager(by)
    if direction not in ("up", "down"):
        raise BoardError("Choose up or down.")
    item, meeting = _lock_item(item_id)
    _require_agenda_open(meeting)
    items = list(meeting.items.order_by("order", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        raise BoardError(f"“{item.title}” is already {'first' if direction == 'up' else 'last'} on the agenda.")
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        other.order = position
    AgendaItem.objects.bulk_update(items, ["order"])
    _log(meeting, by, "agenda.reordered", f"{by} moved “{item.title}” {direction}", item=item.pk)
    _after_agenda_change(meeting, by, f"Agenda order changed: {item.title}")
    return item


@transaction.atomic
def agenda_item_remove(*, item_id: int, by: User) -> None:
    """Take an item off a draft agenda. After publication an item is deferred instead, so the record stays whole."""
    _require_manager(by)
    item, meeting = _lock_item(item_id)
    if meeting.status != MeetingStatus.PLANNED:
        raise BoardError("The agenda has been published: record a decision to defer the item instead of removing it.")
    title = item.title
    item.delete()
    remaining = list(meeting.items.order_by("order", "pk"))
    for position, other in enumerate(remaining, start=1):
        other.order = position
    AgendaItem.objects.bulk_update(remaining, ["order"])
    _log(meeting, by, "agenda.item_removed", f"{by} removed “{title}” from the agenda", item=item_id)


def _carry_deferred_items_to(meeting: Meeting, *, by: User) -> list[AgendaItem]:
    """Put every deferred idea still waiting for a meeting onto ``meeting``'s draft agenda."""
    if meeting.status != MeetingStatus.PLANNED:
        return []
    waiting = (
        AgendaItem.objects.filter(
            meeting__board_id=meeting.board_id,
            meeting__starts_at__lt=meeting.starts_at,
            decision__outcome=Outcome.DEFER,
            carried_to__isnull=True,
        )
        .select_related("idea", "idea__stage", "meeting")
        .order_by("meeting__starts_at", "order", "pk")
    )
    carried = []
    for old in waiting:
        if old.idea is None or old.idea.stage_id != old.stage_when_added_id:
            continue  # the idea has moved on: there is nothing left to carry
        if meeting.items.filter(idea_id=old.idea_id).exists():
            continue
        item = AgendaItem.objects.create(
            meeting=meeting, order=_next_order(meeting), kind=AgendaItem.Kind.IDEA, idea=old.idea,
            stage_when_added=old.idea.stage, title=old.title, description=old.description,
            presenter_id=old.presenter_id, presenter_name=old.presenter_name,
            minutes_allotted=old.minutes_allotted, recommendation=old.recommendation, carried_from=old,
        )
        _log(meeting, by, "agenda.item_carried", f"“{item.title}” was carried over from the {_meeting_label(old.meeting)}",
             item=item.pk, carried_from=old.pk)
        carried.append(item)
    return carried


# --- Declarations and attendance ----------------------------------------------


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


# --- Decisions ----------------------------------------------------------------


@dataclass(frozen=True)
class Resources:
    budget: Decimal | None = None
    people: str = ""
    external_support: str = ""

    def describe(self) -> str:
        parts = []
        if self.budget is not None:
            parts.append(f"Budget: {format_money(self.budget)}.")
        if self.people.strip():
            parts.append(f"People: {self.people.strip()}")
        if self.external_support.strip():
            parts.append(f"External support: {self.external_support.strip()}")
        return "\n".join(parts)


def decision_transition(idea: Idea, outcome: str) -> Transition | None:
    """The workflow's move that carries out ``outcome`` from the idea's current stage."""
    candidates = Transition.objects.filter(workflow_id=idea.workflow_id, outcome=outcome).filter(
        Q(source_id=idea.stage_id) | Q(source__isnull=True)
    ).select_related("target", "source").order_by("source_id", "order", "pk")
    for transition in candidates:
        if transition.applies_from(idea.stage):
            return transition
    return None


def _validate_decision(outcome: str, conditions: str, park_until: date | None, resources: Resources) -> None:
    if outcome not in {value for value, _ in Decision._meta.get_field("outcome").choices}:
        raise BoardError("Choose a decision.", field="outcome")
    if outcome == Outcome.APPROVE_WITH_CONDITIONS and not conditions.strip():
        raise BoardError("Enter the conditions of the approval.", field="conditions")
    if outcome == Outcome.PARK:
        if park_until is None:
            raise BoardError("Enter the date the idea is parked until.", field="park_until")
        if park_until <= timezone.localdate():
            raise BoardError("The date the idea is parked until must be in the future.", field="park_until")
    if resources.budget is not None and not Decimal("0") <= resources.budget <= MAX_MONEY:
        raise BoardError("Enter a budget between £0 and £100,000,000.", field="budget_allocated")


def decision_summary(meeting: Meeting, outcome: str, park_until: date | None) -> str:
    label = Outcome(outcome).label
    if outcome == Outcome.PARK and park_until:
        label = f"Parked until {park_until:%-d %B %Y}"
    return f"{_meeting_label(meeting)}: {label}"


@transaction.atomic
def decision_record(
    *,
    item_id: int,
    by: User,
    outcome: str,
    conditions: str = "",
    park_until: date | None = None,
    resources: Resources | None = None,
    notes: str = "",
) -> Decision:
    """Record the Board's decision on an idea and move the idea through the workflow.

    Refused, with nothing changed: a meeting whose agenda is not published (or
    whose minutes are approved), an item already decided, an item that is not
    an idea, and an idea that has moved on since it was put on the agenda.
    A deferred idea stays where it is and is carried to the next planned
    meeting's draft agenda (or to the next meeting scheduled, if none is).
    """
    _require_manager(by)
    _require_judge(by, idea_id=AgendaItem.objects.filter(pk=item_id).values_list("idea_id", flat=True).first(),
                   doing=permissions.DECISION_DOING)
    resources = resources or Resources()
    conditions = (conditions or "").strip()
    notes = (notes or "").strip()
    locked: set[int] = set()
    if outcome == Outcome.DEFER:
        # A deferral writes to the next meeting's agenda too: take both meetings' locks now, lower pk first.
        locked = _lock_meetings(*_item_meeting_and_next(item_id))
    item, meeting = _lock_item(item_id)
    if meeting.status == MeetingStatus.PLANNED:
        raise BoardError("The agenda for this meeting has not been published yet: decisions are recorded after publication.")
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        raise BoardError("The minutes of this meeting have been approved: decisions can no longer be recorded.")
    if item.kind != AgendaItem.Kind.IDEA:
        raise BoardError("Only ideas have decisions. Record anything else in the minutes.")
    if Decision.objects.filter(item=item).exists():
        raise BoardError("A decision has already been recorded for this item. Nothing was changed.")
    _validate_decision(outcome, conditions, park_until, resources)
    try:
        idea = lock_idea(idea_id=item.idea_id)
    except Idea.DoesNotExist:
        raise BoardError("That idea no longer exists. Nothing was changed.") from None
    if idea.stage_id != item.stage_when_added_id:
        raise BoardError(
            f"“{idea.title}” has moved on since it was put on the agenda: it is now at {idea.stage.name}. Nothing was changed."
        )
    summary = decision_summary(meeting, outcome, park_until)
    detail = "\n".join(p for p in (f"Conditions: {conditions}" if conditions else "", resources.describe(), notes) if p)
    change: StageChange | None = None
    if outcome != Outcome.DEFER:
        transition = decision_transition(idea, outcome)
        if transition is None:
            raise BoardError(
                f"The workflow has no move for “{Outcome(outcome).label}” from {idea.stage.name}. "
                "Ask an admin to add one. Nothing was changed."
            )
        comment = conditions if outcome == Outcome.APPROVE_WITH_CONDITIONS else (notes or summary)
        try:
            change = idea_move(
                idea_id=idea.pk, transition=transition, by=by, comment=comment,
                expected_stage_id=item.stage_when_added_id, as_board_decision=True,
            )
        except WorkflowError as exc:
            raise BoardError(str(exc)) from None
        if outcome == Outcome.PARK:
            idea.refresh_from_db()
            idea.parked_until = park_until
            idea._change_reason = f"Parked until {park_until:%-d %B %Y}"
            idea.save(update_fields=["parked_until", "updated_at"])
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                item=item, outcome=outcome,
                conditions=conditions if outcome == Outcome.APPROVE_WITH_CONDITIONS else "",
                park_until=park_until if outcome == Outcome.PARK else None,
                budget_allocated=resources.budget, people_allocated=resources.people.strip(),
                external_support=resources.external_support.strip(), notes=notes, recorded_by=by, stage_change=change,
            )
    except IntegrityError:
        raise BoardError("A decision has already been recorded for this item. Nothing was changed.") from None
    decision.carried_item = None
    if outcome == Outcome.DEFER:
        target = _next_planned_meeting(meeting)
        if target is not None:
            if target.pk not in locked and target.pk < max(locked, default=meeting.pk):  # would break the order
                raise BoardError("A meeting was scheduled while you recorded this decision. Try again. Nothing was changed.")
            target = _lock_meeting(target.pk)
            carried = _carry_deferred_items_to(target, by=by)
            decision.carried_item = next((c for c in carried if c.carried_from_id == item.pk), None)
        where = (f"carried to the {_meeting_label(target)}" if decision.carried_item
                 else "it will go on the next meeting's agenda when one is scheduled")
        detail = "\n".join(p for p in (f"Deferred: {where}.", detail) if p)
    idea_event(idea=idea, kind=EventKind.DECISION, actor=by, summary=summary, detail=detail)
    _log(meeting, by, "decision.recorded", f"{by} recorded “{Outcome(outcome).label}” for “{item.title}”",
         item=item.pk, idea=idea.pk, outcome=outcome)
    outbox.enqueue("notifications.decision_recorded", decision.pk)
    return decision


# --- Actions ------------------------------------------------------------------


def _check_action(description: str, owner: User | None, due_date: date | None, *, new: bool) -> str:
    description = (description or "").strip()
    if not description:
        raise BoardError("Describe the action.", field="description")
    if owner is None:
        raise BoardError("Choose who owns the action.", field="owner")
    if not owner.is_active:
        raise BoardError(f"{owner}'s account is closed. Choose someone else.", field="owner")
    if due_date is None:
        raise BoardError("Enter the date the action is due.", field="due_date")
    if new and due_date < timezone.localdate():
        raise BoardError("The due date must be today or in the future.", field="due_date")
    return description


@transaction.atomic
def action_create(
    *, meeting_id: int, by: User, description: str, owner: User | None, due_date: date | None, item_id: int | None = None
) -> Action:
    _require_manager(by)
    meeting = _lock_meeting(meeting_id)
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        raise BoardError("The minutes of this meeting have been approved: add the action to a later meeting.")
    description = _check_action(description, owner, due_date, new=True)
    item = None
    if item_id:
        item = meeting.items.filter(pk=item_id).first()
        if item is None:
            raise BoardError("Choose an item on this meeting's agenda.", field="item")
    action = Action.objects.create(meeting=meeting, item=item, description=description, owner=owner, due_date=due_date)
    _log(meeting, by, "action.added", f"{by} added an action for {owner}", action=action.pk)
    outbox.enqueue("notifications.action_assigned", action.pk)
    return action


def _set_status(action: Action, status: str) -> list[str]:
    if status not in Action.Status.values:
        raise BoardError("Choose a status.", field="status")
    if status == action.status:
        return []
    action.status = status
    action.completed_at = timezone.now() if status == Action.Status.DONE else None
    return ["status", "completed_at"]


@transaction.atomic
def action_update(
    *, action_id: int, by: User, description: str, owner: User | None, due_date: date | None, status: str
) -> Action:
    _require_manager(by)
    action = Action.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=action_id)
    description = _check_action(description, owner, due_date, new=False)
    changed = _set_status(action, status)
    for field, value in (("description", description), ("owner", owner), ("due_date", due_date)):
        if getattr(action, field) != value:
            setattr(action, field, value)
            changed.append(field)
    if changed:
        action.save(update_fields=changed)
        _log(action.meeting, by, "action.changed", f"{by} changed an action of {action.owner}", action=action.pk)
    if "owner" in changed:
        outbox.enqueue("notifications.action_assigned", action.pk)
    return action


@transaction.atomic
def action_set_status(*, action_id: int, by: User, status: str) -> Action:
    """The action's owner (or the secretary) says how it is going."""
    action = Action.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=action_id)
    if not permissions.can_update_action(by, action):
        raise BoardError("Only the action's owner or the Board secretary can change it.")
    changed = _set_status(action, status)
    if changed:
        action.save(update_fields=changed)
        _log(action.meeting, by, "action.status", f"{by} marked an action “{action.get_status_display()}”", action=action.pk)
    return action


# --- Minutes ------------------------------------------------------------------


def minutes_compose(meeting: Meeting) -> str:
    """Draft minutes from the record: attendance, declarations, decisions and actions."""
    meeting = (
        Meeting.objects.select_related("board")
        .prefetch_related("attendance__user", "actions__owner", "items__declarations__member",
                          "items__presenter")
        .get(pk=meeting.pk)
    )
    roles = {m.user_id: m for m in Membership.objects.filter(board_id=meeting.board_id).select_related("user")}
    items = list(meeting.items.select_related("decision", "idea").order_by("order", "pk"))
    local = timezone.localtime(meeting.starts_at)

    def who(user_id: int, name: str) -> str:
        member = roles.get(user_id)
        if member is None:
            return name
        return f"{name} ({member.title or member.get_role_display()})"

    by_status: dict[str, list[str]] = {}
    for row in meeting.attendance.all():
        line = who(row.user_id, str(row.user))
        by_status.setdefault(row.status, []).append(line + (f": {row.note}" if row.note else ""))
    place = " and ".join(p for p in (meeting.location, "online" if meeting.online_link else "") if p)
    out = [
        f"Minutes of the {meeting.board.name}",
        f"{local:%A %-d %B %Y}, {meeting.time_display}" + (f", {place}" if place else ""),
    ]
    for status, heading in ((Attendance.Status.PRESENT, "Present"), (Attendance.Status.APOLOGIES, "Apologies"),
                            (Attendance.Status.ABSENT, "Absent"), (Attendance.Status.EXPECTED, "Expected (attendance not recorded)")):
        if by_status.get(status):
            out.append(f"{heading}\n" + "\n".join(f"- {line}" for line in by_status[status]))
    declarations = [(n, item, d) for n, item in enumerate(items, 1) for d in item.declarations.all()]
    if declarations:
        out.append("Declarations of interest\n" + "\n".join(
            f"- {d.member}, item {n} ({item.title}): {d.nature}"
            + (" They left the room for this item." if d.leaves_room else " They stayed in the room.")
            for n, item, d in declarations
        ))
    else:
        out.append("Declarations of interest\nNone.")
    for n, item in enumerate(items, 1):
        lines = [f"{n}. {item.title}"]
        if item.presenter_display:
            lines.append(f"Presented by {item.presenter_display}.")
        if item.kind == AgendaItem.Kind.FREE and item.description:
            lines.append(item.description)
        decision = getattr(item, "decision", None)
        if decision is not None:
            label = decision.get_outcome_display()
            if decision.outcome == Outcome.PARK and decision.park_until:
                label = f"Park until {decision.park_until:%-d %B %Y}"
            lines.append(f"Decision: {label}.")
            if decision.conditions:
                lines.append(f"Conditions: {decision.conditions}")
            resources = Resources(decision.budget_allocated, decision.people_allocated, decision.external_support).describe()
            if resources:
                lines.append(resources)
            if decision.notes:
                lines.append(decision.notes)
        elif item.kind == AgendaItem.Kind.IDEA:
            lines.append("Decision: not recorded.")
        else:
            lines.append("The Board noted the item.")
        out.append("\n".join(lines))
    actions = list(meeting.actions.all())
    if actions:
        out.append("Actions\n" + "\n".join(
            f"- {a.description} Owner: {a.owner}. Due {a.due_date:%-d %B %Y}." for a in actions
        ))
    else:
        out.append("Actions\nNone.")
    return "\n\n".join(out)


@transaction.atomic
def minutes_draft(*, meeting_id: int, by: User, replace: bool = False) -> Minutes:
    """Start the minutes from the record (or, with ``replace``, start them again)."""
    _require_manager(by)
    meeting = _lock_meeting(meeting_id)
    if meeting.status == MeetingStatus.PLANNED:
        raise BoardError("Publish the agenda and hold the meeting before you draft its minutes.")
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes and minutes.status == Minutes.Status.APPROVED:
        raise BoardError("These minutes have been approved: they can no longer change.")
    if minutes and not replace:
        raise BoardError("Draft minutes already exist. Edit them, or start again from the record.")
    body = minutes_compose(meeting)
    if minutes is None:
        minutes = Minutes.objects.create(meeting=meeting, body=body, updated_by=by)
    else:
        minutes.body, minutes.updated_by, minutes.drafted_at = body, by, timezone.now()
        minutes.save(update_fields=["body", "updated_by", "drafted_at"])
    _log(meeting, by, "minutes.drafted", f"{by} drafted the minutes from the record")
    return minutes


@transaction.atomic
def minutes_update(*, meeting_id: int, by: User, body: str) -> Minutes:
    _require_manager(by)
    meeting = _lock_meeting(meeting_id)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None:
        raise BoardError("Draft the minutes first.")
    if minutes.status == Minutes.Status.APPROVED:
        raise BoardError("These minutes have been approved: they can no longer change.")
    body = (body or "").strip()
    if not body:
        raise BoardError("Enter the minutes.", field="body")
    if body != minutes.body:
        minutes.body, minutes.updated_by = body, by
        minutes.save(update_fields=["body", "updated_by"])
        _log(meeting, by, "minutes.edited", f"{by} edited the minutes")
    return minutes


def meetings_for_minutes_approval(meeting: Meeting):
    """Later meetings of the same Board at which these minutes can be approved.

    Minutes are approved by a meeting that has happened (or is happening): one
    recorded as held, or one whose agenda is out and whose start has come. A
    future meeting cannot have approved anything yet.
    """
    happened = Q(status=MeetingStatus.HELD) | Q(status=MeetingStatus.AGENDA_PUBLISHED, starts_at__lte=timezone.now())
    return Meeting.objects.filter(happened, board_id=meeting.board_id, starts_at__gt=meeting.starts_at).select_related(
        "board"
    ).order_by("starts_at")


@transaction.atomic
def minutes_approve(*, meeting_id: int, at_meeting_id: int | None, by: User) -> Minutes:
    """Record that a later meeting approved these minutes: they are published and the meeting is closed."""
    _require_manager(by)
    meeting = _lock_meeting(meeting_id)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None:
        raise BoardError("Draft the minutes first.")
    if minutes.status == Minutes.Status.APPROVED:
        raise BoardError("These minutes have already been approved.")
    if meeting.status != MeetingStatus.HELD:
        raise BoardError("Record the meeting as held before its minutes are approved.")
    if not at_meeting_id:
        raise BoardError("Choose the meeting that approved the minutes.", field="at_meeting")
    at_meeting = meetings_for_minutes_approval(meeting).filter(pk=at_meeting_id).first()
    if at_meeting is None:
        future = Meeting.objects.filter(pk=at_meeting_id, starts_at__gt=timezone.now()).first()
        if future is not None:
            raise BoardError(
                f"The {_meeting_label(future)} has not happened yet. Minutes are approved at a later meeting "
                "that has been held or is being held now.", field="at_meeting",
            )
        raise BoardError("Minutes are approved at a later meeting of the Board whose agenda has been published.",
                         field="at_meeting")
    now = timezone.now()
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = now
    minutes.approved_at_meeting = at_meeting
    minutes.updated_by = by
    minutes.save(update_fields=["status", "approved_at", "approved_at_meeting", "updated_by"])
    meeting.status = MeetingStatus.MINUTES_APPROVED
    meeting.save(update_fields=["status"])
    _log(meeting, by, "minutes.approved", f"{by} recorded the minutes as approved at the {_meeting_label(at_meeting)}",
         at_meeting=at_meeting.pk)
    _log(at_meeting, by, "minutes.approved_here", f"The minutes of the {_meeting_label(meeting)} were approved",
         minutes_of=meeting.pk)
    return minutes


def minutes_store_pdf(*, minutes: Minutes, pdf: bytes) -> None:
    """Keep the PDF of approved minutes, so it is rendered once."""
    from django.core.files.base import ContentFile

    if minutes.status != Minutes.Status.APPROVED or minutes.pdf:
        return
    minutes.pdf.save(f"minutes-{minutes.meeting_id}.pdf", ContentFile(pdf), save=False)
    Minutes.objects.filter(pk=minutes.pk, pdf="").update(pdf=minutes.pdf.name)


# --- Parked ideas -------------------------------------------------------------


def _return_transition(idea: Idea) -> Transition | None:
    return (
        Transition.objects.filter(workflow_id=idea.workflow_id, source_id=idea.stage_id, outcome="",
                                  target__ready_for_board=True)
        .select_related("target").order_by("order", "pk").first()
    )


def parked_ideas_due(today: date):
    return Idea.objects.filter(
        parked_until__lte=today,
        stage__transitions_out__target__ready_for_board=True,
        stage__transitions_out__outcome="",
    ).distinct()


def parked_ideas_return(*, today: date | None = None, by: User | None = None) -> list[int]:
    """Move parked ideas whose date has come back to the Board's "ready" list. Safe to run twice.

    ``by`` is the person who pressed the button on the agenda page: the moves are
    recorded in their name. The nightly job passes no one, and its moves are
    recorded as the system's (it carries out the Board's own park decision).
    Each idea moves in its own transaction: one that cannot move is logged and
    left for the next run, and does not hold up the others.
    """
    if by is not None:
        _require_manager(by)
    today = today or timezone.localdate()
    moved = []
    for idea_id in list(parked_ideas_due(today).values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                if _return_parked_idea(idea_id, today=today, by=by):
                    moved.append(idea_id)
        except WorkflowError as exc:
            log.warning("Parked idea %s was not returned: %s", idea_id, exc)
        except Exception:  # one idea's failure must not stop the rest; it is tried again next run
            log.exception("Parked idea %s was not returned", idea_id)
    return moved


def _return_parked_idea(idea_id: int, *, today: date, by: User | None) -> bool:
    try:
        idea = lock_idea(idea_id=idea_id)
    except Idea.DoesNotExist:
        return False
    if idea.parked_until is None or idea.parked_until > today:
        return False  # moved or re-parked since the list was read
    transition = _return_transition(idea)
    if transition is None:
        return False
    until = idea.parked_until
    idea_move(
        idea_id=idea.pk, transition=transition, by=by, expected_stage_id=idea.stage_id,
        comment=f"Parked until {until:%-d %B %Y}: back on the Board's list.",
        as_board_decision=True,  # carrying out the Board's own park decision, not a person's move
    )
    idea_event(idea=idea, kind=EventKind.AGENDA, actor=by,
               summary=f"Back on the Board's list: it was parked until {until:%-d %B %Y}")
    return True

