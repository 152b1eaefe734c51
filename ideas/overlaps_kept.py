"""Overlaps kept for every submitted idea (``KeptOverlap``), and reading them for many ideas at once.

Written by ``refresh``: a task after an idea is submitted or changed (``enqueue_refresh``,
through the task outbox, so after commit and surviving a broker outage), and
``refresh_stale`` every hour for ideas never checked or checked longer ago than
``OVERLAPS_MAX_AGE_HOURS``. Each ranks the idea's overlaps as the idea page does
(``ideas.overlaps``: words, shared systems, data and departments) among every idea that
is not a draft, keeps the best ``KEEP`` with their score and reasons, and records when.
When an idea finds overlaps that did not yet name it, those ideas are checked again too
(once, not onwards), so a new lookalike reaches older ideas' rows within minutes.

Read by ``kept_by_idea``: two queries for any number of ideas (the rows with the
overlapping ideas the reader may see, and when each idea was checked); and by
``for_idea_page`` for one idea's own page, in one query on PostgreSQL, ready to show
(owner, contact, whether it is the reader's own).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone

from harrow_innovation.core import outbox

from . import overlaps, permissions
from .models import Idea, StageKind
from .models_overlaps import KeptOverlap, OverlapCheck

KEEP = 15  # kept per idea: readers who may not see some still have their five
TASK = "ideas.refresh_overlaps"
MANY_TASK = "ideas.refresh_overlaps_of"
ASKED_SECONDS = 300  # a page asks for the same unchecked ideas at most once in this time


def max_age() -> timedelta:
    return timedelta(hours=settings.OVERLAPS_MAX_AGE_HOURS)


def enqueue_refresh(idea: Idea) -> None:
    """Work out ``idea``'s overlaps again after this transaction commits (nothing for a draft)."""
    if idea.stage.kind != StageKind.DRAFT:
        outbox.enqueue(TASK, idea.pk)


def enqueue_unchecked(ids: list[int]) -> bool:
    """Ask for the overlaps of ideas a page found never worked out (one task, at most once in ``ASKED_SECONDS``)."""
    key = "ideas:overlaps:asked:" + hashlib.md5(",".join(map(str, ids)).encode(), usedforsecurity=False).hexdigest()
    if not ids or not cache.add(key, 1, ASKED_SECONDS):
        return False
    outbox.enqueue(MANY_TASK, ids)
    return True


def refresh(idea_id: int, *, tell_others: bool = True) -> dict:
    """Rank and keep ``idea_id``'s overlaps. Safe to run twice; a draft (or a gone idea) keeps none."""
    idea = Idea.objects.select_related("stage").filter(pk=idea_id).first()
    if idea is None or idea.stage.kind == StageKind.DRAFT:
        KeptOverlap.objects.filter(idea_id=idea_id).delete()
        OverlapCheck.objects.filter(idea_id=idea_id).delete()
        return {"idea": idea_id, "status": "gone" if idea is None else "draft"}
    everyone = permissions.Audience(reads_all=True)
    found = overlaps.overlaps_for_idea(user=everyone, idea=idea, limit=KEEP, mine="this idea")
    from .services.common import lock_idea  # the services import this module

    with transaction.atomic():
        # One refresh of an idea at a time: the row lock orders two workers given the same idea.
        try:
            lock_idea(idea_id=idea_id)
        except Idea.DoesNotExist:
            return {"idea": idea_id, "status": "gone"}
        KeptOverlap.objects.filter(idea_id=idea_id).delete()
        KeptOverlap.objects.bulk_create(
            KeptOverlap(idea_id=idea_id, other_id=o.idea_id, rank=rank, score=o.score, reasons=o.reasons)
            for rank, o in enumerate(found, start=1)
        )
        OverlapCheck.objects.update_or_create(idea_id=idea_id, defaults={"checked_at": timezone.now()})
        told = []
        if tell_others and found:
            others = [o.idea_id for o in found]
            naming = set(KeptOverlap.objects.filter(idea_id__in=others, other_id=idea_id).values_list("idea_id", flat=True))
            told = [pk for pk in others if pk not in naming]
            for pk in told:
                outbox.enqueue(TASK, pk, False)
    return {"idea": idea_id, "overlaps": len(found), "others_checked_again": len(told)}


def stale_ids(*, limit: int) -> list[int]:
    """Submitted ideas whose overlaps were never worked out, then the longest ago past ``max_age``; open ideas first."""
    closed = Case(
        When(Q(stage__is_final=True) | Q(stage__kind=StageKind.CLOSED), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    base = Idea.objects.exclude(stage__kind=StageKind.DRAFT).annotate(closed=closed)
    never = list(base.filter(overlap_check__isnull=True).order_by("closed", "-pk").values_list("pk", flat=True)[:limit])
    if len(never) >= limit:
        return never
    old = base.filter(overlap_check__checked_at__lt=timezone.now() - max_age()).order_by("overlap_check__checked_at")
    return never + list(old.values_list("pk", flat=True)[: limit - len(never)])


def refresh_stale(*, limit: int | None = None) -> int:
    """Check the ideas ``stale_ids`` names (``OVERLAPS_REFRESH_BATCH`` per run, default 500). Returns how many."""
    limit = limit if limit is not None else settings.OVERLAPS_REFRESH_BATCH
    ids = stale_ids(limit=limit)
    for pk in ids:
        refresh(pk, tell_others=False)
    return len(ids)


# --- Reading -----------------------------------------------------------------------------------


@dataclass
class Kept:
    other_id: int
    score: float
    reasons: list[str]


@dataclass
class KeptOverlaps:
    rows: dict[int, list[Kept]]  # {idea id: overlaps the reader may see, best first}
    checked_at: dict[int, datetime]  # {idea id: when worked out}; an idea missing was never checked


def kept_by_idea(*, user, ids: list[int], limit: int = 5, with_checks: bool = True) -> KeptOverlaps:
    """The kept overlaps of ``ids`` that ``user`` may see (``None``: the Board paper's audience), best ``limit`` each.

    With when each was worked out (a second query) unless ``with_checks`` is false.
    """
    if not ids:
        return KeptOverlaps({}, {})
    if user is None:
        visible = Q(other__is_confidential=False)
    else:
        visible = Q(other__in=Idea.objects.filter(permissions.visible_filter(user)).values("pk"))
    rows: dict[int, list[Kept]] = {}
    for idea_id, other_id, score, reasons in (
        KeptOverlap.objects.filter(visible, idea_id__in=ids)
        .exclude(other__stage__kind=StageKind.DRAFT)
        .order_by("idea_id", "rank")
        .values_list("idea_id", "other_id", "score", "reasons")
    ):
        found = rows.setdefault(idea_id, [])
        if len(found) < limit:
            found.append(Kept(other_id, score, list(reasons)))
    checked = dict(OverlapCheck.objects.filter(idea_id__in=ids).values_list("idea_id", "checked_at")) if with_checks else {}
    return KeptOverlaps(rows, checked)


# One idea's kept overlaps for its page, with what the page shows of each, in one query: the check row (so
# "never worked out" and "none found" are told apart) and, beside it, the rows the reader may see.
_PAGE_SQL = """
SELECT c.checked_at, x.other_id, x.score, x.reasons, x.title, x.stage_name, x.department_name, x.owner_name,
       x.owner_email, x.owner_department, x.is_mine
FROM ideas_overlapcheck c
LEFT JOIN LATERAL (
    SELECT k.rank, k.other_id, k.score, k.reasons, i.title, st.name AS stage_name,
           coalesce(d.name, '') AS department_name, u.full_name AS owner_name, u.email AS owner_email,
           coalesce(ud.name, '') AS owner_department,
           (i.owner_id = %s OR EXISTS (SELECT 1 FROM ideas_idea_co_owners co
                                       WHERE co.idea_id = i.id AND co.user_id = %s)) AS is_mine
    FROM ideas_keptoverlap k
    JOIN ideas_idea i ON i.id = k.other_id
    JOIN ideas_stage st ON st.id = i.stage_id
    JOIN people_user u ON u.id = i.owner_id
    LEFT JOIN people_department d ON d.id = i.department_id
    LEFT JOIN people_department ud ON ud.id = u.department_id
    WHERE k.idea_id = c.idea_id AND st.kind <> %s AND ({visible})
    ORDER BY k.rank
    LIMIT %s
) x ON true
WHERE c.idea_id = %s
ORDER BY x.rank
"""  # noqa: S608 - the visibility rule is fixed text from ideas.permissions; every value is a parameter


def for_idea_page(*, user, idea_id: int, limit: int = 5) -> list[overlaps.Overlap] | None:
    """The kept overlaps of ``idea_id`` that ``user`` may see, best first; None if never worked out (or not PostgreSQL)."""
    if connection.vendor != "postgresql" or not user.is_authenticated:
        return None
    visible, visible_params = permissions.visible_sql(user, alias="i")
    params = [user.pk, user.pk, StageKind.DRAFT.value, *visible_params, limit, idea_id]
    with connection.cursor() as cursor:
        cursor.execute(_PAGE_SQL.replace("{visible}", visible), params)
        rows = cursor.fetchall()
    if not rows:
        return None
    return [
        overlaps.Overlap(
            idea_id=other_id, title=title, stage_name=stage_name, department_name=department_name,
            owner_name=owner_name, owner_email=owner_email, owner_department=owner_department, is_mine=is_mine,
            score=round(score, 3), reasons=json.loads(reasons) if isinstance(reasons, str) else list(reasons),
        )
        for (_, other_id, score, reasons, title, stage_name, department_name, owner_name, owner_email,
             owner_department, is_mine) in rows
        if other_id is not None
    ]
