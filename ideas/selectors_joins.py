"""Reads for joining up ideas: an idea page's "Working together" section, and links and merges for the API and exports.

Keyword-only, filtered by what the viewer may see: a link to (or a merge from) an idea the
viewer cannot see is left out entirely, never counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from harrow_innovation.people.models import User

from . import permissions, permissions_joins
from .idea_page import has
from .models import (
    Attachment,
    Contributor,
    DataOutput,
    Idea,
    IdeaCentralSystem,
    IdeaLink,
    IdeaMerge,
    JoinRequest,
    LinkKind,
)
from .models_joins import LINK_KIND_REVERSED


def visible_ideas(*, user: User) -> QuerySet[Idea]:
    return Idea.objects.filter(permissions.visible_filter(user))


@dataclass
class ShownLink:
    link: IdeaLink
    other: Idea
    label: str  # how it reads from this idea's page: "Builds on", "Built on by"


@dataclass
class Joining:
    links: list[ShownLink] = field(default_factory=list)
    contributors: list[Contributor] = field(default_factory=list)
    pending: list[JoinRequest] = field(default_factory=list)  # for the owners to answer
    my_request: JoinRequest | None = None  # the viewer's latest request
    merged_into: IdeaMerge | None = None
    merged_in: list[IdeaMerge] = field(default_factory=list)
    can_ask_to_join: bool = False
    can_link: bool = False
    can_merge: bool = False
    is_owner: bool = False


def links_for(*, user: User, idea: Idea) -> list[ShownLink]:
    """The links between ``idea`` and ideas ``user`` may see, each read from ``idea``'s side. One query."""
    visible = visible_ideas(user=user).values("pk")
    links = (
        IdeaLink.objects.filter(Q(from_idea=idea, to_idea__in=visible) | Q(to_idea=idea, from_idea__in=visible))
        .select_related("from_idea__stage", "to_idea__stage")
        .order_by("created_at", "pk")
    )
    shown = []
    for link in links:
        if link.from_idea_id == idea.pk:
            shown.append(ShownLink(link, link.to_idea, link.get_kind_display()))
        else:
            shown.append(ShownLink(link, link.from_idea, LINK_KIND_REVERSED[link.kind]))
    return shown


def joining_for_page(*, user: User, idea: Idea) -> Joining:
    """Everything the idea page's "Working together" section shows, in a fixed number of queries."""
    owner = permissions.is_owner(user, idea)
    # Sections the idea has no rows for cost no query (``idea_page.has``: most ideas have none).
    contributors = (list(Contributor.objects.filter(idea=idea).select_related("user__department"))
                    if has(idea, "contributors") else [])
    idea._prefetched_objects_cache = {**getattr(idea, "_prefetched_objects_cache", {}), "contributors": contributors}
    requests = []
    if has(idea, "join_requests"):
        asked = JoinRequest.objects.filter(idea=idea).select_related("requester__department", "decided_by")
        requests = list(asked.filter(Q(status=JoinRequest.Status.PENDING) | Q(requester_id=user.pk)) if owner
                        else asked.filter(requester_id=user.pk))
    mine = [r for r in requests if r.requester_id == user.pk]
    merged_into = None
    if permissions_joins.is_closed(idea):
        visible = visible_ideas(user=user).values("pk")
        merged_into = IdeaMerge.objects.filter(merged=idea, survivor__in=visible).select_related("survivor", "by").first()
    merged_in = []
    if has(idea, "merged_in"):
        merged_in = list(
            IdeaMerge.objects.filter(survivor=idea, merged__in=visible_ideas(user=user).values("pk"))
            .select_related("merged__owner", "by")
            .annotate(comment_count=Count("merged__comments"))
            .prefetch_related(
                Prefetch("merged__system_links", queryset=IdeaCentralSystem.objects.select_related("system")),
                Prefetch("merged__data_outputs", queryset=DataOutput.objects.prefetch_related("valued_by")),
                Prefetch("merged__attachments", queryset=Attachment.objects.filter(is_removed=False)),
            )
        )
    return Joining(
        links=links_for(user=user, idea=idea) if has(idea, "links") else [],
        contributors=contributors,
        pending=[r for r in requests if r.status == JoinRequest.Status.PENDING and owner],
        my_request=mine[-1] if mine else None,
        merged_into=merged_into,
        merged_in=merged_in,
        can_ask_to_join=permissions_joins.can_ask_to_join(user, idea) and not (
            mine and mine[-1].status == JoinRequest.Status.PENDING),
        can_link=permissions_joins.can_link(user, idea),
        can_merge=permissions_joins.can_merge(user, idea),
        is_owner=owner,
    )


def pending_request(*, idea: Idea, request_id: int) -> JoinRequest | None:
    return JoinRequest.objects.select_related("requester__department").filter(
        pk=request_id, idea=idea, status=JoinRequest.Status.PENDING
    ).first()


def idea_by_reference(*, user: User, reference: str) -> Idea | None:
    """An idea ``user`` may see, named by its reference ("IDEA-00012") or number ("12")."""
    text = (reference or "").strip().upper().removeprefix("IDEA-").removeprefix("IDEA")
    if not text.isdigit() or len(text) > 12:
        return None
    return visible_ideas(user=user).select_related("stage").filter(pk=int(text)).first()


# --- The API and exports ---------------------------------------------------------------


def visible_links(*, user: User) -> QuerySet[IdeaLink]:
    """Links whose two ideas ``user`` may both see."""
    visible = visible_ideas(user=user).values("pk")
    return (
        IdeaLink.objects.filter(from_idea__in=visible, to_idea__in=visible)
        .select_related("from_idea", "to_idea")
        .order_by("pk")
    )


def visible_merges(*, user: User) -> QuerySet[IdeaMerge]:
    """Merges whose two ideas ``user`` may both see."""
    visible = visible_ideas(user=user).values("pk")
    return (
        IdeaMerge.objects.filter(merged__in=visible, survivor__in=visible)
        .select_related("merged", "survivor", "by")
        .order_by("pk")
    )


def links_by_idea(*, user: User, ids: list[int]) -> dict[int, list[str]]:
    """For each of ``ids`` (ideas ``user`` may see), its links to ideas ``user`` may see, read from its side:
    "Builds on IDEA-00012". For exports, a chunk of ideas at a time, in one query."""
    visible = visible_ideas(user=user).values("pk")
    wanted = set(ids)
    found: dict[int, list[str]] = {}
    rows = (
        IdeaLink.objects.filter(
            Q(from_idea_id__in=ids, to_idea__in=visible) | Q(to_idea_id__in=ids, from_idea__in=visible)
        )
        .order_by("pk")
        .values_list("from_idea_id", "to_idea_id", "kind")
    )
    for from_id, to_id, kind in rows:
        if from_id in wanted:
            found.setdefault(from_id, []).append(f"{LinkKind(kind).label} IDEA-{to_id:05d}")
        if to_id in wanted:
            found.setdefault(to_id, []).append(f"{LINK_KIND_REVERSED[kind]} IDEA-{from_id:05d}")
    return found


def merged_into_by_idea(*, user: User, ids: list[int]) -> dict[int, str]:
    """For each of ``ids`` that was merged into an idea ``user`` may see, that idea's reference. One query."""
    visible = visible_ideas(user=user).values("pk")
    rows = IdeaMerge.objects.filter(merged_id__in=ids, survivor__in=visible).values_list("merged_id", "survivor_id")
    return {merged: f"IDEA-{survivor:05d}" for merged, survivor in rows}
