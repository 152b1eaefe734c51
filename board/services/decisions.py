"""The Board's decisions on ideas, carried out through the ideas workflow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

import notifications
from harrow_innovation.core.money import format_money
from harrow_innovation.people.models import User
from ideas.models import (
    MAX_MONEY,
    EventKind,
    Idea,
    Outcome,
    StageChange,
    Transition,
)
from ideas.services import WorkflowError, idea_move, idea_park, lock_idea, timeline_add

from .. import permissions
from ..models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingStatus,
)
from .agenda import _carry_deferred_items_to
from .common import (
    BoardError,
    _item_meeting_and_next,
    _lock_item,
    _lock_meeting,
    _lock_meetings,
    _log,
    _meeting_label,
    _next_planned_meeting,
    _require_judge,
    _require_manager,
)


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
            idea = idea_park(idea=idea, until=park_until)
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
    timeline_add(idea=idea, kind=EventKind.DECISION, actor=by, summary=summary, detail=detail)
    _log(meeting, by, "decision.recorded", f"{by} recorded “{Outcome(outcome).label}” for “{item.title}”",
         item=item.pk, idea=idea.pk, outcome=outcome)
    notifications.publish("board.decision_recorded", decision_id=decision.pk)
    return decision
