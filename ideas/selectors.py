"""Reads for pages: querysets already filtered by visibility and joined for the page,
so each page costs a fixed number of queries whatever the data size."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import BigIntegerField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Cast

from harrow_innovation.people.models import User

from . import permissions, similarity
from .idea_page import with_presence, with_signature
from .models import (
    Criterion,
    DataOutput,
    Follow,
    Idea,
    IdeaCentralSystem,
    Review,
    Score,
    Stage,
    StageKind,
)
from .search import Matches

SCORE_BANDS = {
    "4-5": ("4 to 5 (strong)", Decimal("4"), None),
    "3-4": ("3 to 4", Decimal("3"), Decimal("4")),
    "2-3": ("2 to 3", Decimal("2"), Decimal("3")),
    "1-2": ("1 to 2 (weak)", Decimal("1"), Decimal("2")),
    "none": ("Not scored yet", None, None),
}

SORTS = {
    "newest": ("Newest first", ["-created_at", "-pk"]),
    "oldest": ("Oldest first", ["created_at", "pk"]),
    "score": ("Highest score", ["-weighted_score", "-pk"]),
    "title": ("Title A to Z", ["title", "pk"]),
    "submitted": ("Recently submitted", ["-submitted_at", "-pk"]),
}


@dataclass
class IdeaFilters:
    q: str = ""
    stages: list[int] = field(default_factory=list)
    departments: list[int] = field(default_factory=list)
    systems: list[int] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    score_band: str = ""
    submitted_from: date | None = None
    submitted_to: date | None = None
    sort: str = "newest"


def visible_ideas(*, user: User) -> QuerySet[Idea]:
    return Idea.objects.filter(permissions.visible_filter(user))


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w']+", text.lower()) if len(w) > 1][:12]


def apply_search(*, qs: QuerySet[Idea], q: str) -> QuerySet[Idea]:
    """Full-text search over title, problem and solution.

    On PostgreSQL: English stemming against the stored ``search_vector``, through a
    GIN index that also holds the stage (``ideas.search``, migration 0008).
    Elsewhere: every word must appear.
    """
    q = q.strip()
    if not q:
        return qs
    if connection.vendor == "postgresql":
        return qs.filter(Q(Matches(q)))
    for word in _words(q):
        qs = qs.filter(search_text__icontains=word)
    return qs


def in_stages(*, qs: QuerySet[Idea], stages: list[int]) -> QuerySet[Idea]:
    """Ideas in any of ``stages``, compared as bigint (the column's type), so a search can use ``idea_search_stage``.

    That GIN index holds the stage beside the search vector (``btree_gin``), but btree_gin's ``int8`` class has
    no ``bigint = integer`` operator: against plain integers (``stage_id IN (3)``) the planner could look up only
    the words there, and ANDed every idea of the stage from a second index or walked the stage row by row
    (README, "Filtered search"). ``stage__id``, not ``stage_id``: the lookup that takes expressions.
    """
    return qs.filter(stage__id__in=[Cast(Value(int(pk)), BigIntegerField()) for pk in stages])


def filtered_ideas(*, user: User, filters: IdeaFilters) -> QuerySet[Idea]:
    qs = visible_ideas(user=user)
    qs = apply_search(qs=qs, q=filters.q)
    if filters.stages:
        qs = in_stages(qs=qs, stages=filters.stages)
    if filters.departments:
        qs = qs.filter(
            Exists(Idea.departments.through.objects.filter(idea_id=OuterRef("pk"), department_id__in=filters.departments))
        )
    if filters.systems:
        qs = qs.filter(Exists(IdeaCentralSystem.objects.filter(idea_id=OuterRef("pk"), system_id__in=filters.systems)))
    if filters.sources:
        qs = qs.filter(source__in=filters.sources)
    if filters.score_band in SCORE_BANDS:
        _, low, high = SCORE_BANDS[filters.score_band]
        if filters.score_band == "none":
            qs = qs.filter(weighted_score__isnull=True)
        else:
            qs = qs.filter(weighted_score__gte=low)
            if high is not None:
                qs = qs.filter(weighted_score__lt=high)
    if filters.submitted_from:
        qs = qs.filter(submitted_at__date__gte=filters.submitted_from)
    if filters.submitted_to:
        qs = qs.filter(submitted_at__date__lte=filters.submitted_to)
    order = SORTS.get(filters.sort, SORTS["newest"])[1]
    if filters.sort == "score":
        order = [F("weighted_score").desc(nulls_last=True), "-pk"]
    elif filters.sort == "submitted":
        order = [F("submitted_at").desc(nulls_last=True), "-pk"]  # drafts (never submitted) last
    return qs.select_related("stage", "department", "owner").order_by(*order)


def count_ideas(*, user: User, filters: IdeaFilters, ideas: QuerySet[Idea]) -> int:
    """How many ideas ``ideas`` (``filtered_ideas(user, filters)``) holds, in one query.

    With no filters but stages, on PostgreSQL, the database function
    ``ideas_visible_count`` (migration 0004) answers from ``IdeaTally``, the
    ideas per stage and confidentiality kept by triggers, plus the few ideas the
    user sees through their own links, so the cost does not grow with the number
    of ideas. It follows ``permissions.visible_filter``; tests/ideas/test_counting.py
    checks the two agree for every role. Searches and other filters count rows.
    """
    if (
        connection.vendor != "postgresql"
        or not (user.is_authenticated and user.is_active)
        or filters != IdeaFilters(stages=filters.stages, sort=filters.sort)
    ):
        return ideas.count()
    stages = [int(pk) for pk in filters.stages] or None
    with connection.cursor() as cursor:
        cursor.execute("SELECT ideas_visible_count(%s, %s, %s)", [user.pk, permissions.reads_confidential(user), stages])
        return int(cursor.fetchone()[0])


def ideas_owned_by(*, user: User) -> QuerySet[Idea]:
    return (
        Idea.objects.filter(permissions.owned_filter(user))
        .select_related("stage", "department")
        .order_by("-updated_at", "-pk")
    )


def ideas_owners_must_act_on(*, user: User) -> QuerySet[Idea]:
    """The user's submitted ideas in a stage where owners must act (e.g. "More information needed")."""
    return ideas_owned_by(user=user).filter(stage__owners_may_edit=True).exclude(stage__kind=StageKind.DRAFT)


def drafts_of(*, user: User) -> QuerySet[Idea]:
    """The user's own and co-owned drafts, not yet submitted."""
    return ideas_owned_by(user=user).filter(stage__kind=StageKind.DRAFT)


def reviews_waiting_for(*, user: User) -> QuerySet[Review]:
    return (
        Review.objects.filter(reviewer=user, status=Review.Status.ASSIGNED)
        .select_related("idea", "idea__stage", "idea__department", "stage")
        .order_by("due_date", "assigned_at")
    )


def ideas_needing_secretary(*, user: User) -> QuerySet[Idea]:
    """Ideas in stages where nobody else acts yet: submitted and triage-type stages with no reviewer."""
    return (
        visible_ideas(user=user)
        .filter(stage__kind=StageKind.REVIEW, stage__is_final=False)
        .exclude(Exists(Review.objects.filter(idea_id=OuterRef("pk"), stage_id=OuterRef("stage_id")).exclude(status=Review.Status.CANCELLED)))
        .select_related("stage", "department")
        .order_by("stage_entered_at")
    )


def ranked_ideas(*, user: User, stage_ids: list[int] | None = None) -> QuerySet[Idea]:
    qs = visible_ideas(user=user).exclude(stage__kind=StageKind.DRAFT).exclude(stage__is_final=True)
    if stage_ids:
        qs = qs.filter(stage_id__in=stage_ids)
    return (
        qs.select_related("stage", "department")
        .annotate(viewer_owns=permissions.owns_expression(user))  # nobody assigns reviewers to their own idea
        .order_by(F("weighted_score").desc(nulls_last=True), "-review_count", "pk")
    )


def count_ranked(*, user: User, stage_ids: list[int] | None = None) -> int:
    """How many ideas ``ranked_ideas(user, stage_ids)`` holds, in one query.

    On PostgreSQL from the kept tally (``ideas_visible_count``, as ``count_ideas``
    counts the list) over the stages the ranking covers (not draft, not final,
    within ``stage_ids`` if given), so the cost does not grow with the ideas held:
    counting the rows read every idea still in review (148,008 of 200,000).
    tests/ideas/test_counting.py checks it against counting the rows for every role.
    """
    if connection.vendor != "postgresql" or not (user.is_authenticated and user.is_active):
        return ranked_ideas(user=user, stage_ids=stage_ids).count()
    sql = """
        SELECT ideas_visible_count(%s, %s, ARRAY(
            SELECT id FROM ideas_stage WHERE kind <> %s AND NOT is_final AND (%s::bigint[] IS NULL OR id = ANY(%s))))
    """
    stages = [int(pk) for pk in stage_ids] if stage_ids else None
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, permissions.reads_confidential(user), StageKind.DRAFT.value, stages, stages])
        return int(cursor.fetchone()[0])


def idea_for_page(*, user: User, pk: int) -> Idea | None:
    """One idea with what its page checks and shows around the shared parts, or None if ``user`` may not see it.

    The shared parts (record, comments, timeline) read their own rows only when
    they are not cached: see ``ideas.idea_page``, which also adds the key.
    ``viewer_follows``: whether ``user`` follows the idea.
    """
    follows = Follow.objects.filter(idea_id=OuterRef("pk"), user_id=user.pk if user.is_authenticated else None)
    idea = (
        with_presence(with_signature(
            Idea.objects.select_related("stage", "workflow", "owner", "owner__department", "department")))
        .annotate(viewer_follows=Exists(follows))
        .prefetch_related("co_owners", Prefetch("reviews", queryset=Review.objects.select_related("reviewer", "stage")))
        .filter(pk=pk)
        .first()
    )
    if idea is None or not permissions.can_view_idea(user, idea):
        return None
    return idea


def active_criteria() -> list[Criterion]:
    return list(Criterion.objects.filter(is_active=True))


def stages_for_filter() -> QuerySet[Stage]:
    return Stage.objects.filter(workflow__is_default=True).order_by("order")


_FILTER_CHOICES = """
SELECT grp, id, name FROM (
    SELECT 0 AS grp, s."order" AS sort, s.id AS id, s.name AS name
    FROM ideas_stage s JOIN ideas_workflow w ON w.id = s.workflow_id WHERE w.is_default
    UNION ALL
    SELECT 1, 0, d.id, d.name FROM people_department d WHERE d.is_active
    UNION ALL
    SELECT 2, 0, c.id, c.name FROM ideas_centralsystem c
) AS choices
ORDER BY grp, sort, LOWER(name), id
"""


def idea_filter_choices() -> dict[str, list[tuple[int, str]]]:
    """(id, name) choices for the idea list's stage, department and central system filters, in one query.

    Stages in workflow order; departments and systems by name. Plain SQL: the
    list page runs it on every request and the ORM's union cost more to build
    than to run.
    """
    choices: dict[str, list[tuple[int, str]]] = {"stages": [], "departments": [], "systems": []}
    names = ["stages", "departments", "systems"]
    with connection.cursor() as cursor:
        cursor.execute(_FILTER_CHOICES)
        for group, pk, name in cursor.fetchall():
            choices[names[group]].append((pk, name))
    return choices


LIST_COLUMNS = (
    "id", "title", "is_confidential", "weighted_score", "submitted_at", "created_at", "stage_id", "department_id",
    "stage__name", "stage__kind", "department__name",
)


def idea_list_rows(*, user: User, filters: IdeaFilters) -> QuerySet[Idea]:
    """``filtered_ideas`` with only the columns the list shows (no long texts), for the idea list page."""
    return (
        filtered_ideas(user=user, filters=filters).select_related(None).select_related("stage", "department").only(*LIST_COLUMNS)
    )


def similar_ideas(*, user: User, title: str, problem: str = "", exclude_id: int | None = None, limit: int = 5) -> list[Idea]:
    """Ideas from any department that look like this one, so parallel efforts meet.

    Never drafts, only ideas the user may see, best first, at most ``limit``; each
    with a ``similarity`` between 0 and 1. One query on PostgreSQL, bounded whatever
    the number of ideas: see ``ideas.similarity``.
    """
    if len(f"{title} {problem}".strip()) < 4:
        return []
    qs = visible_ideas(user=user).exclude(stage__kind=StageKind.DRAFT).select_related("stage", "department")
    if similarity.uses_postings():
        return similarity.similar_on_postgresql(qs, title=title, problem=problem, exclude_id=exclude_id, limit=limit)
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return similarity.similar_elsewhere(qs, total=Idea.objects.count(), title=title, problem=problem, limit=limit)


# --- Reviewing pages ------------------------------------------------------------


def idea_for_reviewers(*, pk: int) -> Idea | None:
    """An idea with what the secretary's "assign reviewers" page and its permission checks read."""
    return (
        Idea.objects.select_related("stage", "workflow", "owner", "department")
        .prefetch_related("co_owners", "reviews")
        .filter(pk=pk)
        .first()
    )


def reviews_for_stage(*, idea: Idea) -> QuerySet[Review]:
    return Review.objects.filter(idea=idea, stage_id=idea.stage_id).select_related("reviewer", "assigned_by")


def reviewer_candidates(*, idea: Idea) -> QuerySet[User]:
    """Active holders of the stage's reviewer role who neither own the idea nor already review it here."""
    from harrow_innovation.people.roles import holds_role

    holders = holds_role(permissions.reviewer_role_for(idea.stage))
    co_owners = Idea.co_owners.through.objects.filter(idea_id=idea.pk).values("user_id")
    busy = Review.objects.filter(idea_id=idea.pk, stage_id=idea.stage_id).exclude(status=Review.Status.CANCELLED)
    return (
        User.objects.filter(holders, is_active=True)
        .exclude(pk=idea.owner_id)
        .exclude(pk__in=co_owners)
        .exclude(pk__in=busy.values("reviewer_id"))
        .select_related("department")
        .distinct()
        .order_by("full_name", "pk")
    )


def reviews_completed_by(*, user: User) -> QuerySet[Review]:
    return (
        Review.objects.filter(reviewer=user, status=Review.Status.SUBMITTED)
        .select_related("idea", "idea__stage", "stage")
        .order_by("-submitted_at", "-pk")
    )


def review_for_page(*, user: User, review_pk: int) -> Review | None:
    """One of ``user``'s own reviews with the idea's key facts, or None if it is not theirs."""
    return (
        Review.objects.select_related("stage", "idea", "idea__stage", "idea__owner", "idea__department")
        .prefetch_related(
            "idea__co_owners",
            "idea__reviews",
            "idea__departments",
            Prefetch("idea__system_links", queryset=IdeaCentralSystem.objects.select_related("system")),
            Prefetch("idea__data_outputs", queryset=DataOutput.objects.prefetch_related("valued_by")),
            Prefetch("scores", queryset=Score.objects.select_related("criterion")),
        )
        .filter(pk=review_pk, reviewer_id=user.pk)
        .first()
    )


def recommendation_summaries(*, idea_ids: list[int]) -> dict[int, list[tuple[str, int]]]:
    """idea id → [(recommendation label, how many submitted reviews made it)], in one query."""
    from django.db.models import Count

    from .models import Recommendation

    labels = dict(Recommendation.choices)
    rows = (
        Review.objects.filter(idea_id__in=idea_ids, status=Review.Status.SUBMITTED)
        .values("idea_id", "recommendation")
        .annotate(n=Count("pk"))
        .order_by("idea_id", "recommendation")
    )
    order = list(labels)
    summaries: dict[int, list[tuple[str, int]]] = {}
    for row in sorted(rows, key=lambda r: (r["idea_id"], order.index(r["recommendation"]) if r["recommendation"] in order else 99)):
        summaries.setdefault(row["idea_id"], []).append((labels.get(row["recommendation"], "No recommendation"), row["n"]))
    return summaries


def stages_for_ranking() -> QuerySet[Stage]:
    """Open, submitted stages of the default workflow: what the ranking can be filtered by."""
    return Stage.objects.filter(workflow__is_default=True, is_final=False).exclude(kind=StageKind.DRAFT).order_by("order", "pk")
