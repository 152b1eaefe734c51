"""Who may see and do what with ideas. One condition a line.

The same rules are expressed twice: as functions on one idea (for views and
services) and as a queryset filter (``visible_filter``) for lists, exports and
the API. tests/ideas/test_visibility.py checks they agree for every role.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from harrow_innovation.people.roles import Role

from .models import Idea, Review, Stage, StageKind, Transition

# Roles that may see confidential ideas (besides owners and assigned reviewers).
CONFIDENTIAL_READERS = (Role.SECRETARY, Role.BOARD_MEMBER, Role.ADMIN)


def is_owner(user, idea: Idea) -> bool:
    if not user.is_authenticated:
        return False
    if idea.owner_id == user.pk:
        return True
    return any(co.pk == user.pk for co in idea.co_owners.all())


def is_assigned_reviewer(user, idea: Idea) -> bool:
    if not user.is_authenticated:
        return False
    return any(r.reviewer_id == user.pk and r.status != Review.Status.CANCELLED for r in idea.reviews.all())


def can_view_idea(user, idea: Idea) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_owner(user, idea):
        return True
    if idea.stage.kind == StageKind.DRAFT:
        return False
    if not idea.is_confidential:
        return True
    if any(user.has_role(role) for role in CONFIDENTIAL_READERS):
        return True
    return is_assigned_reviewer(user, idea)


def visible_filter(user) -> Q:
    """A filter for Idea querysets with exactly the rules of ``can_view_idea``."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    co_owned = Exists(Idea.co_owners.through.objects.filter(idea_id=OuterRef("pk"), user_id=user.pk))
    owned = Q(owner_id=user.pk) | co_owned
    submitted = ~Q(stage__kind=StageKind.DRAFT)
    if any(user.has_role(role) for role in CONFIDENTIAL_READERS):
        return owned | submitted
    reviewing = Exists(
        Review.objects.filter(idea=OuterRef("pk"), reviewer_id=user.pk).exclude(status=Review.Status.CANCELLED)
    )
    return owned | (submitted & (Q(is_confidential=False) | reviewing))


def can_edit_idea(user, idea: Idea) -> bool:
    if not is_owner(user, idea):
        return False
    return idea.stage.owners_may_edit


def can_add_attachment(user, idea: Idea) -> bool:
    return can_edit_idea(user, idea)


def can_download_attachment(user, idea: Idea) -> bool:
    return can_view_idea(user, idea)


def can_comment(user, idea: Idea) -> bool:
    if not can_view_idea(user, idea):
        return False
    return idea.stage.kind != StageKind.DRAFT or is_owner(user, idea)


def can_follow(user, idea: Idea) -> bool:
    if not can_view_idea(user, idea):
        return False
    return idea.stage.kind != StageKind.DRAFT


def can_take_transition(user, idea: Idea, transition: Transition) -> bool:
    if not can_view_idea(user, idea):
        return False
    if transition.owners_may_take and is_owner(user, idea):
        return True
    return any(user.has_role(role) for role in transition.allowed_roles)


def can_assign_reviewers(user, idea: Idea) -> bool:
    if not user.is_authenticated:
        return False
    if idea.stage.kind == StageKind.DRAFT:
        return False
    return user.has_role(Role.SECRETARY) or user.has_role(Role.ADMIN)


def can_review(user, review: Review) -> bool:
    if not user.is_authenticated:
        return False
    if review.reviewer_id != user.pk:
        return False
    return review.status == Review.Status.ASSIGNED


def can_see_ranking(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.has_role(Role.SECRETARY) or user.has_role(Role.ADMIN) or user.has_role(Role.BOARD_MEMBER)


def can_see_triage_queue(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.has_role(Role.SECRETARY) or user.has_role(Role.ADMIN)


def can_see_review_queue(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.has_role(Role.REVIEWER)


def reviewer_role_for(stage: Stage) -> str:
    return stage.reviewer_role or Role.REVIEWER
