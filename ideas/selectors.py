"""Reads for pages: querysets already filtered by visibility and joined for the page,
so each page costs a fixed number of queries whatever the data size."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from harrow_innovation.people.models import User

from . import permissions
from .models import (
    Attachment,
    Comment,
    Criterion,
    DataOutput,
    Follow,
    Idea,
    IdeaCentralSystem,
    IdeaEvent,
    Review,
    Score,
    Stage,
    StageKind,
)

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


def visible_ideas(user: User) -> QuerySet[Idea]:
    return Idea.objects.filter(permissions.visible_filter(user))


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w']+", text.lower()) if len(w) > 1][:12]


def apply_search(qs: QuerySet[Idea], q: str) -> QuerySet[Idea]:
    """Full-text search over title, problem and solution.

    On PostgreSQL: English stemming through a GIN index on
    ``to_tsvector('english', search_text)`` (created in migration 0002).
    Elsewhere: every word must appear.
    """
    q = q.strip()
    if not q:
        return qs
    if connection.vendor == "postgresql":
        return qs.filter(
            pk__in=RawSQL(
                "SELECT id FROM ideas_idea WHERE to_tsvector('english', search_text) @@ websearch_to_tsquery('english', %s)",
                [q],
            )
        )
    for word in _words(q):
        qs = qs.filter(search_text__icontains=word)
    return qs


def filtered_ideas(user: User, filters: IdeaFilters) -> QuerySet[Idea]:
    qs = visible_ideas(user)
    qs = apply_search(qs, filters.q)
    if filters.stages:
        qs = qs.filter(stage_id__in=filters.stages)
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
        from django.db.models import F

        order = [F("weighted_score").desc(nulls_last=True), "-pk"]
    return qs.select_related("stage", "department", "owner").order_by(*order)


def ideas_owned_by(user: User) -> QuerySet[Idea]:
    co_owned = Exists(Idea.co_owners.through.objects.filter(idea_id=OuterRef("pk"), user_id=user.pk))
    return (
        Idea.objects.filter(Q(owner_id=user.pk) | co_owned)
        .select_related("stage", "department")
        .order_by("-updated_at", "-pk")
    )


def reviews_waiting_for(user: User) -> QuerySet[Review]:
    return (
        Review.objects.filter(reviewer=user, status=Review.Status.ASSIGNED)
        .select_related("idea", "idea__stage", "idea__department", "stage")
        .order_by("due_date", "assigned_at")
    )


def ideas_needing_secretary(user: User) -> QuerySet[Idea]:
    """Ideas in stages where nobody else acts yet: submitted and triage-type stages with no reviewer."""
    return (
        visible_ideas(user)
        .filter(stage__kind=StageKind.REVIEW, stage__is_final=False)
        .exclude(Exists(Review.objects.filter(idea_id=OuterRef("pk"), stage_id=OuterRef("stage_id")).exclude(status=Review.Status.CANCELLED)))
        .select_related("stage", "department")
        .order_by("stage_entered_at")
    )


def ranked_ideas(user: User, *, stage_ids: list[int] | None = None) -> QuerySet[Idea]:
    from django.db.models import F

    qs = visible_ideas(user).exclude(stage__kind=StageKind.DRAFT).exclude(stage__is_final=True)
    if stage_ids:
        qs = qs.filter(stage_id__in=stage_ids)
    return qs.select_related("stage", "department").order_by(F("weighted_score").desc(nulls_last=True), "-review_count", "pk")


def idea_for_page(user: User, pk: int) -> Idea | None:
    """One idea with everything its page shows, or None if ``user`` may not see it."""
    idea = (
        Idea.objects.select_related("stage", "workflow", "owner", "owner__department", "department")
        .prefetch_related(
            "co_owners",
            "departments",
            Prefetch("system_links", queryset=IdeaCentralSystem.objects.select_related("system")),
            Prefetch("data_outputs", queryset=DataOutput.objects.prefetch_related("valued_by")),
            Prefetch("attachments", queryset=Attachment.objects.filter(is_removed=False)),
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("reviewer", "stage").prefetch_related(
                    Prefetch("scores", queryset=Score.objects.select_related("criterion"))
                ),
            ),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
            Prefetch("events", queryset=IdeaEvent.objects.select_related("actor")),
        )
        .filter(pk=pk)
        .first()
    )
    if idea is None or not permissions.can_view_idea(user, idea):
        return None
    return idea


def is_following(user: User, idea: Idea) -> bool:
    return Follow.objects.filter(idea=idea, user=user).exists()


def active_criteria() -> list[Criterion]:
    return list(Criterion.objects.filter(is_active=True))


def stages_for_filter() -> QuerySet[Stage]:
    return Stage.objects.filter(workflow__is_default=True).order_by("order")


def similar_ideas(user: User, *, title: str, problem: str = "", exclude_id: int | None = None, limit: int = 5) -> list[Idea]:
    """Ideas from any department that look like this one, so parallel efforts meet.

    PostgreSQL: trigram word similarity (pg_trgm, GIN index on search_text).
    Elsewhere: shared significant words.
    """
    text = f"{title} {problem}".strip()
    if len(text) < 4:
        return []
    qs = visible_ideas(user).exclude(stage__kind=StageKind.DRAFT).select_related("stage", "department")
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    if connection.vendor == "postgresql":
        probe = title.strip() or text
        with connection.cursor() as cursor:
            # Lower than pg_trgm's default 0.6 so a short title finds ideas worded differently.
            cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', '0.4', false)")
        return list(
            qs.annotate(similarity=RawSQL("word_similarity(%s, ideas_idea.search_text)", [probe[:300]]))
            .filter(pk__in=RawSQL("SELECT id FROM ideas_idea WHERE %s <%% search_text", [probe[:300]]))
            .order_by("-similarity", "-pk")[:limit]
        )
    words = [w for w in _words(text) if len(w) > 3]
    if not words:
        return []
    candidates = qs.filter(Q(*[Q(search_text__icontains=w) for w in words[:6]], _connector=Q.OR))[:200]
    scored = []
    for idea in candidates:
        theirs = set(_words(idea.search_text))
        overlap = len(set(words) & theirs)
        if overlap >= max(1, len(set(words)) // 3):
            idea.similarity = overlap / len(set(words) | theirs)
            scored.append(idea)
    scored.sort(key=lambda i: i.similarity, reverse=True)
    return scored[:limit]
