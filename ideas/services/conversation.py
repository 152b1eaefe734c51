"""Comments on an idea and following it."""

from __future__ import annotations

from django.db import transaction

from harrow_innovation.core import outbox
from harrow_innovation.people.models import User

from .. import permissions
from ..models import (
    Comment,
    EventKind,
    Follow,
    Idea,
)
from .common import WorkflowError, _event


@transaction.atomic
def comment_add(*, idea_id: int, by: User, body: str) -> Comment:
    idea = Idea.objects.select_related("stage").get(pk=idea_id)
    if not permissions.can_comment(by, idea):
        raise WorkflowError("You cannot comment on this idea.")
    body = body.strip()
    if not body:
        raise WorkflowError("Enter a comment.")
    comment = Comment.objects.create(idea=idea, author=by, body=body)
    _event(idea, EventKind.COMMENTED, by, f"{by} commented", body)
    outbox.enqueue("ideas.comment_added", comment.pk)
    return comment


@transaction.atomic
def follow_set(*, idea_id: int, by: User, following: bool) -> bool:
    idea = Idea.objects.select_related("stage").get(pk=idea_id)
    if following:
        if not permissions.can_follow(by, idea):
            raise WorkflowError("You cannot follow this idea.")
        Follow.objects.get_or_create(idea=idea, user=by)
    else:
        Follow.objects.filter(idea=idea, user=by).delete()
    return following
