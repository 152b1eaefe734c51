"""Who may ask to join an idea, answer a request, link ideas and merge them. One condition a line.

Kept apart from ``ideas.permissions`` (whose rules these build on) so each concern stays small.
"""

from __future__ import annotations

from harrow_innovation.people.roles import is_secretary_or_admin

from .models import Idea, StageKind
from .permissions import can_view_idea, is_owner


def is_closed(idea: Idea) -> bool:
    """Closed: at a final stage or a closed one (withdrawn, rejected, delivered, merged)."""
    if idea.stage.is_final:
        return True
    return idea.stage.kind == StageKind.CLOSED


def is_contributor(user, idea: Idea) -> bool:
    if not user.is_authenticated:
        return False
    return any(c.user_id == user.pk for c in idea.contributors.all())


def can_ask_to_join(user, idea: Idea) -> bool:
    """Offered "We are working on this too": people who see a live, submitted idea they are not yet part of."""
    if not can_view_idea(user, idea):
        return False
    if idea.stage.kind == StageKind.DRAFT:
        return False
    if is_closed(idea):
        return False
    if is_owner(user, idea):
        return False
    return not is_contributor(user, idea)


def can_answer_join_requests(user, idea: Idea) -> bool:
    return is_owner(user, idea)


def can_link(user, idea: Idea) -> bool:
    """Owners link their idea to others (from its page)."""
    if not is_owner(user, idea):
        return False
    return idea.stage.kind != StageKind.DRAFT


def can_remove_link(user, from_idea: Idea, to_idea: Idea) -> bool:
    """The owners of either idea may remove a link between them."""
    if is_owner(user, from_idea):
        return True
    return is_owner(user, to_idea)


def can_merge(user, idea: Idea) -> bool:
    """The secretary (or an admin standing in) merges a duplicate away; never their own idea."""
    if not can_view_idea(user, idea):
        return False
    if not is_secretary_or_admin(user):
        return False
    if is_owner(user, idea):
        return False
    if idea.stage.kind == StageKind.DRAFT:
        return False
    return not is_closed(idea)
