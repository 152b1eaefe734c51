"""The secretary merges a duplicate idea into the idea that carries on (the survivor).

What moves and what is linked, and why:

- The merged idea closes: it moves to its workflow's "Merged" stage (closed and final, so no
  workflow move, review or Board step takes it again), with a stage change and an
  ``IdeaMerge`` row pointing at the survivor, and a "duplicate of" link between the two.
- People move: its followers follow the survivor; its owner, co-owners and contributors become
  contributors to the survivor (unless already owners or contributors there), so they hear of it.
- Records are linked, not moved: its comments, attachments, central-system links and data
  outputs stay on the merged idea and are listed on the survivor's page under "Merged into this
  idea". Moving them would rewrite what was said about another idea (a comment's context, an
  attachment's access rules, the audit history) and silently change the survivor's business
  case and integration cost, which is its owners' to change.
- History: both timelines get a line; the merged idea's timeline and history are kept whole.

Both ideas are locked in id order, so two secretaries merging A into B and B into A at once
cannot deadlock: the second waits, then finds its idea closed and is told, with nothing changed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

import notifications
from harrow_innovation.people.models import User

from .. import permissions, permissions_joins
from ..models import (
    Contributor,
    EventKind,
    Follow,
    Idea,
    IdeaLink,
    IdeaMerge,
    LinkKind,
    Review,
    Stage,
    StageChange,
    StageKind,
)
from ..workflow_checks import MERGED_STAGE_SLUG
from .common import WorkflowError, _event
from .joins import _duplicate_chain_loops, _text, lock_ideas


def merged_stage(workflow_id: int) -> Stage:
    """The workflow's closed, final "Merged" stage, added the first time an idea of that workflow is merged.

    Admin-configured workflows need not have one, and a merge must not borrow "Withdrawn" (which
    says the owners withdrew it).
    """
    stage, _ = Stage.objects.get_or_create(
        workflow_id=workflow_id, slug=MERGED_STAGE_SLUG,
        defaults={"name": "Merged", "kind": StageKind.CLOSED, "order": 96, "is_final": True,
                  "description": "Merged into another idea, which carries on the work."},
    )
    if not stage.is_final or stage.kind != StageKind.CLOSED:
        raise WorkflowError("The workflow's “merged” stage is not a closed, final stage: ask an admin to fix it. "
                            "Nothing was changed.")
    return stage


def _check(merged: Idea, survivor: Idea, by: User) -> None:
    for idea in (merged, survivor):
        if not permissions.can_view_idea(by, idea) or idea.stage.is_draft:
            raise WorkflowError("No idea with that number, or you may not see it. Nothing was changed.")
    if permissions_joins.is_closed(merged):
        into = getattr(merged, "merge", None)
        where = f" into {into.survivor.reference}" if into else ""
        raise WorkflowError(f"{merged.reference} is already closed (at “{merged.stage.name}”{where}). Nothing was changed.")
    if permissions_joins.is_closed(survivor):
        raise WorkflowError(f"{survivor.reference} is closed (at “{survivor.stage.name}”): an idea cannot be merged into "
                            "a closed idea. Nothing was changed.")
    if not permissions_joins.can_merge(by, merged):
        if permissions.is_owner(by, merged) or permissions.is_owner(by, survivor):
            raise WorkflowError("You cannot merge an idea you own. Another Board secretary or an admin must. "
                                "Nothing was changed.")
        raise WorkflowError("Only the Board secretary can merge ideas. Nothing was changed.")
    if permissions.is_owner(by, survivor):
        raise WorkflowError("You cannot merge into an idea you own. Another Board secretary or an admin must. "
                            "Nothing was changed.")
    if _duplicate_chain_loops(merged.pk, survivor.pk):
        # The survivor is recorded (directly or through a chain) as a duplicate of the idea being merged away.
        raise WorkflowError(f"{survivor.reference} is recorded as a duplicate of {merged.reference}: merge "
                            f"{survivor.reference} into {merged.reference} instead. Nothing was changed.")


@transaction.atomic
def idea_merge(*, merged_id: int, survivor_id: int, by: User, reason: str) -> IdeaMerge:
    """Merge the duplicate ``merged_id`` into ``survivor_id`` (see the module docstring for what happens)."""
    if merged_id == survivor_id:
        raise WorkflowError("An idea cannot be merged into itself. Nothing was changed.")
    reason = _text(reason, "why these ideas are being merged")
    ideas = lock_ideas(merged_id, survivor_id)
    merged, survivor = ideas[merged_id], ideas[survivor_id]
    _check(merged, survivor, by)
    now = timezone.now()
    target = merged_stage(merged.workflow_id)

    # People: followers follow the survivor; the merged idea's team become its contributors.
    follower_ids = set(Follow.objects.filter(idea=merged).values_list("user_id", flat=True))
    already = set(Follow.objects.filter(idea=survivor).values_list("user_id", flat=True))
    new_followers = follower_ids - already
    Follow.objects.bulk_create([Follow(idea=survivor, user_id=pk) for pk in new_followers], ignore_conflicts=True)
    team = {merged.owner_id, *merged.co_owners.values_list("pk", flat=True),
            *Contributor.objects.filter(idea=merged).values_list("user_id", flat=True)}
    on_survivor = {survivor.owner_id, *survivor.co_owners.values_list("pk", flat=True),
                   *Contributor.objects.filter(idea=survivor).values_list("user_id", flat=True)}
    joining = team - on_survivor
    Contributor.objects.bulk_create(
        [Contributor(idea=survivor, user_id=pk, via=Contributor.Via.MERGE, added_by=by, added_at=now) for pk in joining]
    )
    Follow.objects.bulk_create([Follow(idea=survivor, user_id=pk) for pk in joining], ignore_conflicts=True)

    # The merged idea closes, pointing at the survivor.
    source = merged.stage
    merged.stage, merged.stage_entered_at, merged.parked_until = target, now, None
    merged._change_reason = "Merged into another idea"
    merged.save(update_fields=["stage", "stage_entered_at", "parked_until", "updated_at"])
    waiting = list(Review.objects.filter(idea=merged, status=Review.Status.ASSIGNED))
    for review in waiting:
        review.status = Review.Status.CANCELLED
    if waiting:
        bulk_update_with_history(waiting, Review, ["status"], default_user=by, default_date=now,
                                 default_change_reason="Idea merged into another")
    StageChange.objects.create(idea=merged, transition=None, from_stage=source, to_stage=target, by=by, at=now,
                               comment=reason)
    IdeaLink.objects.filter(from_idea__in=[merged, survivor], to_idea__in=[merged, survivor]).delete()
    IdeaLink.objects.create(from_idea=merged, to_idea=survivor, kind=LinkKind.DUPLICATE_OF, created_by=by, created_at=now)
    merge = IdeaMerge.objects.create(merged=merged, survivor=survivor, by=by, at=now, reason=reason,
                                     followers_copied=len(new_followers), contributors_added=len(joining))
    # Timelines name no other idea (a reader may not see it); "Working together" shows what they may.
    _event(merged, EventKind.MERGED, by, f"{by} merged this idea into another idea, which carries on the work", reason)
    _event(survivor, EventKind.MERGED, by, f"{by} merged a duplicate idea into this one",
           f"{reason}\n\n{len(joining)} people joined as contributors; {len(new_followers)} followers now follow this "
           "idea. Its comments, attachments, central systems and data outputs are listed under “Merged into this idea”.")
    notifications.publish("ideas.ideas_merged", merge_id=merge.pk)
    return merge
