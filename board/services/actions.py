"""Actions agreed at a meeting: adding, changing and reporting progress on them."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

import notifications
from harrow_innovation.people.models import User

from .. import permissions
from ..models import (
    Action,
    MeetingStatus,
)
from .common import (
    BoardError,
    _lock_meeting,
    _log,
    _require_manager,
)


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
    notifications.publish("board.action_assigned", action_id=action.pk)
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
        notifications.publish("board.action_assigned", action_id=action.pk)
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
