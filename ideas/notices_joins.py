"""Who hears about requests to join, links and merges. Declared from ``ideas.notices.register``.

Each handler takes an id, is safe to run twice (notices have unique delivery keys)
and returns how many were told.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from notifications import events, kinds
from notifications.events import day, object_type, tell
from notifications.kinds import NoticeKind
from notifications.models import Channel

from .models import IdeaLink, IdeaMerge, JoinRequest
from .notices import idea_owner_ids
from .permissions import can_view_idea


class Kind:
    """The codes are stored: never rename them."""

    JOIN_REQUESTED = "join_requested"
    JOIN_ANSWERED = "join_answered"
    IDEAS_LINKED = "ideas_linked"
    IDEAS_MERGED = "ideas_merged"


KINDS = [
    NoticeKind(Kind.JOIN_REQUESTED, "Someone asked to join your idea", "When someone asks to join the work on your idea",
               "You answer from the idea's page.", Channel.IMMEDIATE, fixed=True, order=35),
    NoticeKind(Kind.JOIN_ANSWERED, "Your request to join an idea was answered",
               "When the owners answer your request to join their idea", "", Channel.IMMEDIATE, order=36),
    NoticeKind(Kind.IDEAS_LINKED, "Another idea was linked to yours", "When another idea is linked to yours",
               "For example, recorded as building on it.", Channel.DIGEST, order=37),
    NoticeKind(Kind.IDEAS_MERGED, "An idea was merged", "When your idea is merged with another",
               "For the owners of both ideas.", Channel.IMMEDIATE, fixed=True, order=38),
]


def register() -> None:
    kinds.declare(*KINDS)
    events.declare("ideas.join_requested", join_requested)
    events.declare("ideas.join_answered", join_answered)
    events.declare("ideas.ideas_linked", ideas_linked)
    events.declare("ideas.ideas_merged", ideas_merged)


def join_requested(*, request_id: int) -> int:
    request = JoinRequest.objects.select_related("idea", "requester").filter(pk=request_id).first()
    if request is None or request.status != JoinRequest.Status.PENDING:
        return 0
    idea = request.idea
    return tell(
        idea_owner_ids(idea) - {request.requester_id}, kind=Kind.JOIN_REQUESTED, object_type=object_type(request),
        object_id=request.pk, due_date=day(request.created_at),
        title=f"{request.requester} is working on “{idea.title}” too",
        body=f"{request.requester} asked to join you:\n\n{request.message}", url=idea.get_absolute_url() + "#joining",
    )


def join_answered(*, request_id: int) -> int:
    request = JoinRequest.objects.select_related("idea", "decided_by").filter(pk=request_id).first()
    if request is None or request.status == JoinRequest.Status.PENDING:
        return 0
    idea = request.idea
    if request.status == JoinRequest.Status.ACCEPTED:
        title = f"You have joined “{idea.title}”"
        body = f"{request.decided_by} accepted you as a {request.get_joined_as_display().lower()}."
    else:
        title = f"Your request to join “{idea.title}” was declined"
        body = f"{request.decided_by} declined your request:\n\n{request.decline_reason}"
    return tell(
        {request.requester_id}, kind=Kind.JOIN_ANSWERED, object_type=object_type(request), object_id=request.pk,
        due_date=day(request.decided_at), title=title, body=body, url=idea.get_absolute_url() + "#joining",
    )


def ideas_linked(*, link_id: int) -> int:
    """The other idea's owners hear (the linking owner knows)."""
    link = IdeaLink.objects.select_related("from_idea__stage", "to_idea", "created_by").filter(pk=link_id).first()
    if link is None:
        return 0
    other = link.to_idea
    return tell(
        _who_may_see(idea_owner_ids(other) - {link.created_by_id}, link.from_idea), kind=Kind.IDEAS_LINKED, object_type=object_type(link),
        object_id=link.pk, due_date=day(link.created_at),
        title=f"{link.from_idea.reference} was linked to “{other.title}”",
        body=f"{link.created_by} recorded “{link.from_idea.title}” as {link.get_kind_display().lower()} your idea.",
        url=other.get_absolute_url() + "#linked-ideas",
    )


def ideas_merged(*, merge_id: int) -> int:
    """The owners and co-owners of both ideas hear."""
    merge = IdeaMerge.objects.select_related("merged__stage", "survivor__stage", "by").filter(pk=merge_id).first()
    if merge is None:
        return 0
    people = (idea_owner_ids(merge.merged) | idea_owner_ids(merge.survivor)) - {merge.by_id}
    both = _who_may_see(_who_may_see(people, merge.merged), merge.survivor)
    told = tell(
        both, kind=Kind.IDEAS_MERGED, object_type=object_type(merge), object_id=merge.pk,
        due_date=day(merge.at), title=f"“{merge.merged.title}” was merged into “{merge.survivor.title}”",
        body=f"{merge.by} merged {merge.merged.reference} into {merge.survivor.reference}:\n\n{merge.reason}",
        url=merge.survivor.get_absolute_url(),
    )
    # An owner who may not see the other idea (a confidential one) hears about their own idea only.
    for idea in (merge.merged, merge.survivor):
        mine = (people & idea_owner_ids(idea)) - both
        told += tell(
            mine, kind=Kind.IDEAS_MERGED, object_type=object_type(merge), object_id=merge.pk, due_date=day(merge.at),
            title=f"“{idea.title}” was merged with another idea",
            body=f"{merge.by} merged {'it into another idea' if idea == merge.merged else 'another idea into it'}.",
            url=idea.get_absolute_url(),
        )
    return told


def _who_may_see(people: set[int], idea) -> set[int]:
    users = get_user_model().objects.filter(pk__in=people)
    return {user.pk for user in users if can_view_idea(user, idea)}
