"""Parked ideas whose date has come go back to the Board's list."""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone

from harrow_innovation.people.models import User
from ideas.models import (
    EventKind,
    Idea,
    Transition,
)
from ideas.services import WorkflowError, idea_move, lock_idea, timeline_add

from .common import (
    _require_manager,
)

log = logging.getLogger(__name__)


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
    timeline_add(idea=idea, kind=EventKind.AGENDA, actor=by,
               summary=f"Back on the Board's list: it was parked until {until:%-d %B %Y}")
    return True
