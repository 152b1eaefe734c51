"""Reads of the kept totals (portfolio/tallies.py): what the portfolio pages add up instead of every idea.

Visibility, as the idea list counts it (``ideas.selectors.count_ideas``):
a tally row is split by confidentiality, so a viewer gets

* every non-confidential bucket;
* every confidential bucket if their role reads confidential ideas
  (``ideas.permissions.reads_confidential``);
* otherwise the confidential ideas they see through their own links (they own,
  co-own or review them), added from those ideas' own share rows. They are few
  by nature and found through the owner, co-owner and reviewer indexes, so the
  cost does not grow with the number of ideas.

Drafts are left out by stage kind at read time, as ``portfolio_ideas`` does, so
an admin changing a stage's kind changes the figures at once.
tests/portfolio/test_totals.py checks every figure here against a fresh count
(the selectors' row-counting forms) after a mixed series of changes, for every role.
PostgreSQL only: elsewhere there are no triggers and the selectors count rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection

from harrow_innovation.people.models import User
from ideas import permissions
from ideas.approval import APPROVING_OUTCOMES
from ideas.models import Review, StageKind

ZERO = Decimal("0")
APPROVING = [outcome.value for outcome in APPROVING_OUTCOMES]


def available() -> bool:
    """Whether the totals are kept (PostgreSQL, with the triggers of migration portfolio_totals)."""
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Viewer:
    """What the totals need to know about who is looking."""

    user_id: int
    reads_all: bool
    sees_any: bool

    @classmethod
    def of(cls, user: User) -> Viewer:
        if not user.is_authenticated or not user.is_active:
            return cls(user_id=0, reads_all=False, sees_any=False)
        return cls(user_id=user.pk, reads_all=permissions.reads_confidential(user), sees_any=True)


# The confidential ideas a viewer sees through their links, with the rules of ideas.permissions.visible_filter
# for a role that does not read them all (owners and co-owners; reviewers whose review is not cancelled). Drafts
# are left out by the callers' stage filter.
LINKED = """
    SELECT i.id FROM ideas_idea i WHERE i.owner_id = %(user)s AND i.is_confidential
    UNION
    SELECT c.idea_id FROM ideas_idea_co_owners c JOIN ideas_idea i ON i.id = c.idea_id
    WHERE c.user_id = %(user)s AND i.is_confidential
    UNION
    SELECT r.idea_id FROM ideas_review r JOIN ideas_idea i ON i.id = r.idea_id
    WHERE r.reviewer_id = %(user)s AND r.status <> %(cancelled)s AND i.is_confidential
"""
NOT_DRAFT = "stage_id NOT IN (SELECT id FROM ideas_stage WHERE kind = %(draft)s)"


def _params(viewer: Viewer, **extra) -> dict:
    return {"user": viewer.user_id, "reads_all": viewer.reads_all, "sees_any": viewer.sees_any,
            "cancelled": Review.Status.CANCELLED.value, "draft": StageKind.DRAFT.value, **extra}


def _fetch(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- Central systems -----------------------------------------------------------------------


@dataclass
class SystemStageRow:
    system_id: int
    stage_id: int
    stage_name: str
    stage_order: int
    stage_is_final: bool
    ideas: int
    integration: Decimal
    one_off: Decimal
    recurring: Decimal


def system_stage_rows(viewer: Viewer, *, system_id: int | None = None) -> list[SystemStageRow]:
    """Per central system and stage (drafts left out): ideas linked, integration load, the ideas' costs (one query)."""
    columns = "system_id, stage_id, 1 AS ideas, integration, one_off, recurring"
    tally_columns = "system_id, stage_id, ideas, integration, one_off, recurring"
    where = "system_id = %(system)s" if system_id is not None else "TRUE"
    sql = f"""
        SELECT seen.system_id, seen.stage_id, st.name, st."order", st.is_final, SUM(seen.ideas), SUM(seen.integration),
               SUM(seen.one_off), SUM(seen.recurring) FROM (
            SELECT {tally_columns} FROM portfolio_systemtally
            WHERE %(sees_any)s AND (%(reads_all)s OR NOT is_confidential) AND {NOT_DRAFT} AND ({where})
            UNION ALL
            SELECT {columns} FROM portfolio_systemshare
            WHERE %(sees_any)s AND NOT %(reads_all)s AND is_confidential AND {NOT_DRAFT} AND ({where})
              AND idea_id IN ({LINKED})
        ) AS seen JOIN ideas_stage st ON st.id = seen.stage_id
        GROUP BY seen.system_id, seen.stage_id, st.name, st."order", st.is_final HAVING SUM(seen.ideas) > 0
        ORDER BY st."order", seen.stage_id, seen.system_id
    """  # noqa: S608 - constants; values are parameters
    rows = _fetch(sql, _params(viewer, system=system_id))
    return [SystemStageRow(system_id=s, stage_id=st, stage_name=name, stage_order=order, stage_is_final=final,
                           ideas=int(n), integration=i or ZERO, one_off=o or ZERO, recurring=r or ZERO)
            for s, st, name, order, final, n, i, o, r in rows]


# The load on the systems an idea touches, split as ``ideas.system_load.stage_category`` splits it (the same
# rule: tests/ideas/test_system_load.py checks they agree). Approved stages are ``ideas.approval``'s rule:
# targets of approving transitions and the delivery or closed stages reached onward from them.
LOAD_CATEGORY = """
    WITH RECURSIVE approved(id) AS (
        SELECT target_id FROM ideas_transition WHERE outcome = ANY(%(approving)s)
        UNION
        SELECT t.target_id FROM ideas_transition t JOIN approved a ON a.id = t.source_id
        JOIN ideas_stage s ON s.id = t.target_id WHERE s.kind IN (%(delivery)s, %(closed)s)
    ), category AS (
        SELECT st.id, CASE WHEN st.is_final THEN NULL
                           WHEN st.kind = %(delivery)s THEN 'delivery'
                           WHEN st.id IN (SELECT id FROM approved) THEN 'approved'
                           ELSE 'pipeline' END AS name
        FROM ideas_stage st WHERE st.kind <> %(draft)s
    )
"""


def system_load_rows(viewer: Viewer, *, system_ids: list[int], idea_ids: list[int]) -> list[tuple]:
    """(0, system, category, ideas, integration) for every idea the viewer sees on ``system_ids``, and
    (idea, system, category, 1, integration) for each of ``idea_ids`` counted in those figures (so a page can
    take the idea's own share out). One query: the tally rows of a few systems and the ideas' own share rows."""
    sql = f"""{LOAD_CATEGORY}
        SELECT seen.idea_id, seen.system_id, c.name, SUM(seen.ideas), SUM(seen.integration) FROM (
            SELECT 0 AS idea_id, system_id, stage_id, ideas, integration FROM portfolio_systemtally
            WHERE %(sees_any)s AND (%(reads_all)s OR NOT is_confidential) AND system_id = ANY(%(systems)s)
            UNION ALL
            SELECT 0, system_id, stage_id, 1, integration FROM portfolio_systemshare
            WHERE %(sees_any)s AND NOT %(reads_all)s AND is_confidential AND system_id = ANY(%(systems)s)
              AND idea_id IN ({LINKED})
            UNION ALL
            SELECT idea_id, system_id, stage_id, 1, integration FROM portfolio_systemshare
            WHERE idea_id = ANY(%(ideas)s) AND %(sees_any)s
              AND (%(reads_all)s OR NOT is_confidential OR idea_id IN ({LINKED}))
        ) AS seen JOIN category c ON c.id = seen.stage_id
        WHERE c.name IS NOT NULL
        GROUP BY seen.idea_id, seen.system_id, c.name HAVING SUM(seen.ideas) <> 0
    """  # noqa: S608 - constants; values are parameters
    params = _params(viewer, systems=list(system_ids), ideas=list(idea_ids), approving=list(APPROVING),
                     delivery=StageKind.DELIVERY.value, closed=StageKind.CLOSED.value)
    return [(int(i), int(s), c, int(n), m or ZERO) for i, s, c, n, m in _fetch(sql, params)]


BOARD = Viewer(user_id=0, reads_all=True, sees_any=True)


def load_reader(*, user: User | None, system_ids: list[int], idea_ids: list[int]) -> list[tuple]:
    """What ``ideas.system_load`` reads on PostgreSQL (plugged in by ``PortfolioConfig.ready``); no user: the Board."""
    return system_load_rows(BOARD if user is None else Viewer.of(user), system_ids=system_ids, idea_ids=idea_ids)


# --- Data outputs ---------------------------------------------------------------------------


def output_count(viewer: Viewer, *, producer_id: int | None = None) -> int:
    """How many data outputs the register lists with no filter but the producing department (one query)."""
    where = "producer_id = %(producer)s" if producer_id else "TRUE"
    share_where = "department_id = %(producer)s" if producer_id else "TRUE"
    sql = f"""
        SELECT COALESCE(SUM(outputs), 0) FROM (
            SELECT outputs FROM portfolio_outputtally
            WHERE %(sees_any)s AND (%(reads_all)s OR NOT is_confidential) AND {NOT_DRAFT} AND ({where})
            UNION ALL
            SELECT outputs FROM portfolio_ideashare
            WHERE %(sees_any)s AND NOT %(reads_all)s AND is_confidential AND {NOT_DRAFT} AND ({share_where})
              AND idea_id IN ({LINKED})
        ) AS seen
    """  # noqa: S608 - constants; values are parameters
    return int(_fetch(sql, _params(viewer, producer=producer_id))[0][0])


def flows(viewer: Viewer, *, receiver_id: int | None = None) -> list[tuple[int | None, str | None, int, int, int]]:
    """(producing department or None, its name, valuing department, outputs, distinct ideas) for the ideas seen.

    One query. An idea is counted once per valuing department however many of its outputs that department values.
    """
    where = "receiver_id = %(receiver)s" if receiver_id else "TRUE"
    sql = f"""
        SELECT seen.producer_id, d.name, seen.receiver_id, SUM(seen.outputs), SUM(seen.ideas) FROM (
            SELECT producer_id, receiver_id, outputs, ideas FROM portfolio_flowtally
            WHERE %(sees_any)s AND (%(reads_all)s OR NOT is_confidential) AND {NOT_DRAFT} AND ({where})
            UNION ALL
            SELECT producer_id, receiver_id, outputs, 1 FROM portfolio_flowshare
            WHERE %(sees_any)s AND NOT %(reads_all)s AND is_confidential AND {NOT_DRAFT} AND ({where})
              AND idea_id IN ({LINKED})
        ) AS seen LEFT JOIN people_department d ON d.id = seen.producer_id
        GROUP BY seen.producer_id, d.name, seen.receiver_id HAVING SUM(seen.outputs) > 0
    """  # noqa: S608 - constants; values are parameters
    rows = _fetch(sql, _params(viewer, receiver=receiver_id))
    return [(p or None, name, r, int(o), int(i)) for p, name, r, o, i in rows]


# --- Dashboards ------------------------------------------------------------------------------


@dataclass
class PeriodRow:
    department_id: int | None
    stage_id: int
    month: date
    ideas: int
    one_off: Decimal
    recurring: Decimal
    savings: Decimal


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def submitted_rows(viewer: Viewer, *, date_from: date, date_to: date,
                   department_id: int | None = None) -> list[PeriodRow]:
    """Ideas submitted on local dates ``date_from``..``date_to``, per department, stage and month (one query).

    Whole months come from the month rows; the days before the first whole month
    and after the last come from the day rows: at most two months of days,
    whatever the period and the number of ideas.
    """
    first_whole = date_from if date_from.day == 1 else _next_month(date_from)
    after_whole = (date_to + timedelta(days=1)).replace(day=1)
    if first_whole >= after_whole:
        first_whole = after_whole = date_to + timedelta(days=1)  # no whole month: every day from the day rows
    department = "department_id = %(department)s" if department_id else "TRUE"
    values = "ideas, one_off, recurring, savings"
    tally_where = f"%(sees_any)s AND (%(reads_all)s OR NOT is_confidential) AND {NOT_DRAFT} AND {department}"
    sql = f"""
        SELECT department_id, stage_id, month, SUM(ideas), SUM(one_off), SUM(recurring), SUM(savings) FROM (
            SELECT department_id, stage_id, period AS month, {values} FROM portfolio_periodtally
            WHERE kind = 'm' AND period >= %(first_whole)s AND period < %(after_whole)s AND {tally_where}
            UNION ALL
            SELECT department_id, stage_id, date_trunc('month', period)::date, {values} FROM portfolio_periodtally
            WHERE kind = 'd' AND {tally_where} AND (
                (period >= %(date_from)s AND period < %(first_whole)s)
                OR (period >= %(after_whole)s AND period <= %(date_to)s))
            UNION ALL
            SELECT department_id, stage_id, submitted_month, 1, one_off, recurring, savings FROM portfolio_ideashare
            WHERE %(sees_any)s AND NOT %(reads_all)s AND is_confidential AND {NOT_DRAFT} AND {department}
              AND submitted_day >= %(date_from)s AND submitted_day <= %(date_to)s AND idea_id IN ({LINKED})
        ) AS seen
        GROUP BY department_id, stage_id, month HAVING SUM(ideas) > 0
    """  # noqa: S608 - constants; values are parameters
    params = _params(viewer, first_whole=first_whole, after_whole=after_whole, date_from=date_from, date_to=date_to,
                     department=department_id)
    return [PeriodRow(department_id=d or None, stage_id=s, month=m, ideas=int(n), one_off=o, recurring=r, savings=v)
            for d, s, m, n, o, r, v in _fetch(sql, params)]


MEDIANS_SQL = f"""
    SELECT stage_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median, COUNT(*) AS n FROM portfolio_stayshare
    WHERE left_at >= %(start)s AND left_at < %(end)s AND %(sees_any)s
      AND idea_stage_id NOT IN (SELECT id FROM ideas_stage WHERE kind = %(draft)s) AND {{department}}
      AND (%(reads_all)s OR NOT is_confidential OR idea_id IN ({LINKED}))
      {{gate}}
    GROUP BY stage_id
"""  # noqa: S608 - constants; values are parameters


# A snapshot older than this is computed again when a page asks for it: the beat job
# (portfolio.refresh_stage_medians, hourly) normally refreshes it first.
MEDIANS_STALE_AFTER = timedelta(hours=2)

# One statement: find the viewer's snapshot; if it is missing, stale or was computed with other links, compute
# the medians (the scan of the stays runs only then: the NOT EXISTS is a one-time filter) and save them; else mark
# it used today. A page makes the same single query either way.
KEPT_MEDIANS_SQL = f"""
    WITH linked AS (
        SELECT COALESCE(jsonb_agg(id ORDER BY id), '[]'::jsonb) AS ids FROM (
            SELECT id FROM ({LINKED}) AS l(id) WHERE %(sees_any)s AND NOT %(reads_all)s) AS l
    ), who AS (
        SELECT CASE WHEN NOT %(sees_any)s THEN 'none' WHEN %(reads_all)s THEN 'all'
                    WHEN linked.ids = '[]'::jsonb THEN 'open' ELSE 'u' || %(user)s::text END AS viewer,
               linked.ids AS linked
        FROM linked
    ), kept AS (
        SELECT s.medians, s.computed_at FROM portfolio_stagemediansnapshot s JOIN who ON s.viewer = who.viewer
        WHERE s.date_from = %(date_from)s AND s.date_to = %(date_to)s AND s.department_id = %(department_key)s
          AND s.linked = who.linked AND s.computed_at >= %(fresh_after)s
    ), fresh AS (
        SELECT COALESCE(jsonb_object_agg(m.stage_id, jsonb_build_array(m.median, m.n)), '{{{{}}}}'::jsonb) AS medians,
               %(now)s::timestamptz AS computed_at
        FROM ({{medians}}) AS m
    ), saved AS (
        INSERT INTO portfolio_stagemediansnapshot
            (date_from, date_to, department_id, viewer, linked, medians, computed_at, used_on)
        SELECT %(date_from)s, %(date_to)s, %(department_key)s, who.viewer, who.linked, fresh.medians,
               fresh.computed_at, %(today)s
        FROM fresh, who WHERE NOT EXISTS (SELECT 1 FROM kept) AND who.viewer <> 'none'
        ON CONFLICT (date_from, date_to, department_id, viewer) DO UPDATE
            SET linked = EXCLUDED.linked, medians = EXCLUDED.medians, computed_at = EXCLUDED.computed_at,
                used_on = EXCLUDED.used_on
        RETURNING 1
    ), touched AS (
        UPDATE portfolio_stagemediansnapshot s SET used_on = %(today)s FROM who
        WHERE EXISTS (SELECT 1 FROM kept) AND s.viewer = who.viewer AND s.date_from = %(date_from)s
          AND s.date_to = %(date_to)s AND s.department_id = %(department_key)s AND s.used_on < %(today)s
        RETURNING 1
    )
    SELECT medians, computed_at FROM kept
    UNION ALL
    SELECT medians, computed_at FROM fresh WHERE NOT EXISTS (SELECT 1 FROM kept)
"""  # noqa: S608 - constants; values are parameters


def median_days_kept(viewer: Viewer, *, date_from: date, date_to: date, start: datetime, end: datetime,
                     department_id: int | None = None, now: datetime, today: date,
                     fresh_after: datetime | None = None) -> tuple[dict[int, tuple[float, int]], datetime]:
    """``median_days`` from the viewer's kept snapshot, and when it was computed (one query).

    ``date_from``/``date_to`` name the period in the snapshot's key; ``start``/``end`` are its bounds. A snapshot
    computed before ``fresh_after`` (default: ``now`` less ``MEDIANS_STALE_AFTER``) is computed again; pass
    ``fresh_after=now`` to refresh it whatever its age. See ``portfolio.models.StageMedianSnapshot``.
    """
    department = "department_id = %(department)s" if department_id else "TRUE"
    medians = MEDIANS_SQL.format(department=department, gate="AND NOT EXISTS (SELECT 1 FROM kept)")
    sql = KEPT_MEDIANS_SQL.format(medians=medians)
    params = _params(viewer, start=start, end=end, department=department_id, department_key=department_id or 0,
                     date_from=date_from, date_to=date_to, now=now, today=today,
                     fresh_after=now - MEDIANS_STALE_AFTER if fresh_after is None else fresh_after)
    (raw, computed_at), = _fetch(sql, params)
    kept = json.loads(raw) if isinstance(raw, str) else raw
    return {int(stage): (max(float(median), 0.0), int(n)) for stage, (median, n) in kept.items()}, computed_at
