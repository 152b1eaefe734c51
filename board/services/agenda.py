"""The agenda: adding ideas and other items, changing, reordering and removing them, and carrying
deferred items to the next meeting."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max

import notifications
from harrow_innovation.people.models import User
from ideas.models import (
    EventKind,
    Idea,
    Outcome,
)
from ideas.services import lock_idea, timeline_add

from .. import permissions
from ..models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
)
from ..packs import pack_request
from .common import (
    AGENDA_OPEN,
    BoardError,
    _check_minutes_allotted,
    _clean_presenter,
    _lock_item,
    _lock_meeting,
    _log,
    _meeting_label,
    _require_judge,
    _require_manager,
)


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
        timeline_add(idea=idea, kind=EventKind.AGENDA, actor=by, summary=f"On the agenda for the {_meeting_label(meeting)}")
        notifications.publish("board.ideas_on_agenda", meeting_id=meeting.pk)
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
