"""Joining up ideas: "We are working on this too" (requests to join) and links between ideas.

Each service locks the idea (both ideas, in id order, for a link), checks, writes,
records a line on the timeline and publishes its event, which notifications
delivers after commit. Bad input raises ``WorkflowError`` and changes nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

import notifications
from harrow_innovation.people.models import User

from .. import permissions, permissions_joins
from ..models import Contributor, EventKind, Follow, Idea, IdeaLink, JoinRequest, LinkKind
from ..models_joins import LINK_KIND_REVERSED
from .common import WorkflowError, _event, lock_idea

MAX_MESSAGE = 2000


def lock_ideas(*ids: int) -> dict[int, Idea]:
    """Lock several ideas in one fixed order (id ascending), so two services locking the same pair never deadlock.

    Raises ``WorkflowError`` if one is gone.
    """
    locked = {}
    for idea_id in sorted(set(ids)):
        try:
            locked[idea_id] = lock_idea(idea_id=idea_id)
        except Idea.DoesNotExist:
            raise WorkflowError("That idea no longer exists. Nothing was changed.") from None
    return locked


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise WorkflowError(f"Enter {what}. Nothing was changed.")
    if len(value) > MAX_MESSAGE:
        raise WorkflowError(f"{what[0].upper()}{what[1:]} must be {MAX_MESSAGE} characters or fewer. Nothing was changed.")
    return value


# --- Requests to join -------------------------------------------------------------------


@transaction.atomic
def join_request_create(*, idea_id: int, by: User, message: str) -> JoinRequest:
    """Ask an idea's owners to let ``by`` join them. The owners and co-owners are told."""
    idea = lock_ideas(idea_id)[idea_id]
    if not permissions.can_view_idea(by, idea):
        raise WorkflowError("No idea with that number, or you may not see it. Nothing was changed.")
    if permissions.is_owner(by, idea):
        raise WorkflowError("You already own this idea: there is nobody to ask. Nothing was changed.")
    if Contributor.objects.filter(idea=idea, user=by).exists():
        raise WorkflowError("You are already a contributor to this idea. Nothing was changed.")
    if JoinRequest.objects.filter(idea=idea, requester=by, status=JoinRequest.Status.PENDING).exists():
        raise WorkflowError("You have already asked to join this idea: its owners have not answered yet. "
                            "Nothing was changed.")
    if idea.stage.is_draft or permissions_joins.is_closed(idea):
        raise WorkflowError(f"This idea is not open to new people: it is at “{idea.stage.name}”. Nothing was changed.")
    request = JoinRequest.objects.create(idea=idea, requester=by, message=_text(message, "a message to the owners"))
    _event(idea, EventKind.JOINED, by, f"{by} asked to join the work on this idea")
    notifications.publish("ideas.join_requested", request_id=request.pk)
    return request


def _lock_pending(idea_id: int, request_id: int, by: User) -> tuple[Idea, JoinRequest]:
    idea = lock_ideas(idea_id)[idea_id]
    request = JoinRequest.objects.select_for_update().select_related("requester").filter(
        pk=request_id, idea_id=idea_id
    ).first()
    if request is None:
        raise WorkflowError("There is no such request to join this idea. Nothing was changed.")
    if not permissions_joins.can_answer_join_requests(by, idea):
        raise WorkflowError("Only the idea's owners can answer a request to join it. Nothing was changed.")
    if request.status != JoinRequest.Status.PENDING:
        raise WorkflowError(f"This request has already been answered ({request.get_status_display().lower()}). "
                            "Nothing was changed.")
    return idea, request


@transaction.atomic
def join_request_accept(*, idea_id: int, request_id: int, by: User, joined_as: str) -> JoinRequest:
    """Accept a request: the requester becomes a contributor or a co-owner (the owner's choice) and follows the idea."""
    if joined_as not in JoinRequest.JoinAs.values:
        raise WorkflowError("Choose whether they join as a contributor or a co-owner. Nothing was changed.")
    idea, request = _lock_pending(idea_id, request_id, by)
    person = request.requester
    if not person.is_active:
        raise WorkflowError(f"{person}'s account is closed. Nothing was changed.")
    if joined_as == JoinRequest.JoinAs.CO_OWNER:
        idea._change_reason = "Joined as a co-owner"
        idea.co_owners.add(person)
        Contributor.objects.filter(idea=idea, user=person).delete()
    else:
        Contributor.objects.get_or_create(idea=idea, user=person, defaults={"added_by": by})
    Follow.objects.get_or_create(idea=idea, user=person)
    request.status = JoinRequest.Status.ACCEPTED
    request.joined_as = joined_as
    request.decided_by, request.decided_at = by, timezone.now()
    request.save(update_fields=["status", "joined_as", "decided_by", "decided_at"])
    role = JoinRequest.JoinAs(joined_as).label.lower()
    _event(idea, EventKind.JOINED, by, f"{by} accepted {person} as a {role}")
    notifications.publish("ideas.join_answered", request_id=request.pk)
    return request


@transaction.atomic
def join_request_decline(*, idea_id: int, request_id: int, by: User, reason: str) -> JoinRequest:
    """Decline a request, with a reason the requester is shown."""
    reason = _text(reason, "a reason for declining")
    idea, request = _lock_pending(idea_id, request_id, by)
    request.status = JoinRequest.Status.DECLINED
    request.decline_reason = reason
    request.decided_by, request.decided_at = by, timezone.now()
    request.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    _event(idea, EventKind.JOINED, by, f"{by} declined {request.requester}'s request to join")
    notifications.publish("ideas.join_answered", request_id=request.pk)
    return request


# --- Links between ideas ----------------------------------------------------------------


def _duplicate_chain_loops(from_id: int, to_id: int) -> bool:
    """Would "from is a duplicate of to" close a loop: does a chain of duplicates lead from ``to`` back to ``from``?"""
    seen, frontier = {to_id}, {to_id}
    while frontier:
        frontier = set(
            IdeaLink.objects.filter(from_idea_id__in=frontier, kind=LinkKind.DUPLICATE_OF).values_list("to_idea_id", flat=True)
        ) - seen
        if from_id in frontier:
            return True
        seen |= frontier
    return False


@transaction.atomic
def idea_link_add(*, idea_id: int, other_id: int, kind: str, by: User) -> IdeaLink:
    """Link an idea its owner holds to another idea they can see: related, builds on, or duplicate of."""
    if kind not in LinkKind.values:
        raise WorkflowError("Choose how the ideas are linked. Nothing was changed.")
    if idea_id == other_id:
        raise WorkflowError("An idea cannot be linked to itself. Nothing was changed.")
    ideas = lock_ideas(idea_id, other_id)
    idea, other = ideas[idea_id], ideas[other_id]
    if not permissions_joins.can_link(by, idea):
        raise WorkflowError("Only the idea's owners can link it to another idea. Nothing was changed.")
    if not permissions.can_view_idea(by, other) or other.stage.is_draft:
        raise WorkflowError("No idea with that number, or you may not see it. Nothing was changed.")
    existing = IdeaLink.objects.filter(from_idea__in=[idea, other], to_idea__in=[idea, other]).first()
    if existing is not None:
        raise WorkflowError(f"These ideas are already linked (“{existing.get_kind_display()}”). Remove that link first "
                            "to change it. Nothing was changed.")
    if kind == LinkKind.DUPLICATE_OF and _duplicate_chain_loops(idea.pk, other.pk):
        raise WorkflowError(f"{other.reference} is already, through a chain of duplicates, a duplicate of this idea: "
                            "the chain would loop. Nothing was changed.")
    link = IdeaLink.objects.create(from_idea=idea, to_idea=other, kind=kind, created_by=by)
    # Timelines name no other idea: whoever reads one may not see the other (the section lists what they may).
    _event(idea, EventKind.LINKED, by, f"{by} linked this idea to another idea: “{link.get_kind_display()}”")
    _event(other, EventKind.LINKED, by, f"{by} linked another idea to this one: “{LINK_KIND_REVERSED[kind]}”")
    notifications.publish("ideas.ideas_linked", link_id=link.pk)
    return link


@transaction.atomic
def idea_link_remove(*, link_id: int, by: User) -> None:
    """Remove a link; the owners of either idea may."""
    found = IdeaLink.objects.filter(pk=link_id).values_list("from_idea_id", "to_idea_id").first()
    if found is None:
        raise WorkflowError("That link has already been removed. Nothing was changed.")
    ideas = lock_ideas(*found)
    link = IdeaLink.objects.select_for_update().filter(pk=link_id).first()
    if link is None:
        raise WorkflowError("That link has already been removed. Nothing was changed.")
    idea, other = ideas[link.from_idea_id], ideas[link.to_idea_id]
    if not permissions_joins.can_remove_link(by, idea, other):
        raise WorkflowError("Only the owners of either idea can remove this link. Nothing was changed.")
    label = link.get_kind_display().lower()
    link.delete()
    _event(idea, EventKind.LINKED, by, f"{by} removed a link to another idea (“{label}”)")
    _event(other, EventKind.LINKED, by, f"{by} removed a link from another idea (“{LINK_KIND_REVERSED[link.kind]}”)")
