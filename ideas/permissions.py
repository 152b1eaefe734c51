"""Who may see and do what with ideas. One condition a line.

The same rules are expressed twice: as functions on one idea (for views and
services) and as a queryset filter (``visible_filter``) for lists, exports and
the API. tests/ideas/test_visibility.py checks they agree for every role.
"""

from __future__ import annotations

from django.db.models import BooleanField, Exists, Expression, ExpressionWrapper, OuterRef, Q

from harrow_innovation.people.roles import Role, is_secretary_or_admin

from .models import Idea, Review, Stage, StageKind, Transition

# Roles that may see confidential ideas (besides owners and assigned reviewers).
CONFIDENTIAL_READERS = (Role.SECRETARY, Role.BOARD_MEMBER, Role.ADMIN)


def reads_confidential(user) -> bool:
    """Sees every submitted confidential idea because of a role (not as an owner or reviewer)."""
    return any(user.has_role(role) for role in CONFIDENTIAL_READERS)


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
    if reads_confidential(user):
        return True
    return is_assigned_reviewer(user, idea)


class _VisibleTo(Expression):
    """``visible_filter``'s rules as one fixed piece of SQL about the query's idea table.

    The same rules as ORM lookups (two EXISTS and a join on the stage) cost the
    idea list more to build and compile on every request than PostgreSQL took
    to run them. The table alias is read when the SQL is written, so this works
    inside subqueries (``pk__in=visible_ideas(user)``) too.
    """

    conditional = True

    def __init__(self, user_id: int, reads_all: bool):
        super().__init__(output_field=BooleanField())
        self.user_id = user_id
        self.reads_all = reads_all

    # {idea} is the query's own alias for the idea table, quoted by Django; every value is a parameter.
    OWNED = "{idea}.owner_id = %s OR EXISTS (SELECT 1 FROM ideas_idea_co_owners co WHERE co.idea_id = {idea}.id AND co.user_id = %s)"
    SUBMITTED = "{idea}.stage_id NOT IN (SELECT st.id FROM ideas_stage st WHERE st.kind = %s)"
    REVIEWING = (
        "EXISTS (SELECT 1 FROM ideas_review rv WHERE rv.idea_id = {idea}.id AND rv.reviewer_id = %s AND rv.status <> %s)"
    )
    READS_ALL = f"({OWNED} OR {SUBMITTED})"
    OTHERS = f"({OWNED} OR ({SUBMITTED} AND (NOT {{idea}}.is_confidential OR {REVIEWING})))"

    def as_sql(self, compiler, connection):
        return self.sql_about(compiler.quote_name_unless_alias(compiler.query.base_table))

    def sql_about(self, idea: str) -> tuple[str, list]:
        params: list = [self.user_id, self.user_id, StageKind.DRAFT.value]
        if self.reads_all:
            return self.READS_ALL.format(idea=idea), params
        return self.OTHERS.format(idea=idea), [*params, self.user_id, Review.Status.CANCELLED.value]


def visible_filter(user) -> Q:
    """A filter for Idea querysets with exactly the rules of ``can_view_idea``.

    Owners and co-owners see their ideas in any stage; everyone else sees
    submitted ideas (not drafts) unless confidential, and confidential ones if
    their role reads them all or they are an assigned reviewer whose review is
    not cancelled.
    """
    if isinstance(user, Audience):
        return Q(_VisibleTo(0, user.reads_all))
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    return Q(_VisibleTo(user.pk, reads_confidential(user)))


class Audience:
    """Every viewer of one kind rather than one person, for a ranking shared between viewers
    (``ideas.overlaps_page``): ideas not drafts, and confidential ones only if ``reads_all``.
    Owns nothing and reviews nothing, so no one's own confidential idea or draft is in it."""

    pk = 0
    is_authenticated = True
    is_active = True

    def __init__(self, *, reads_all: bool):
        self.reads_all = reads_all


def visible_sql(user, *, alias: str) -> tuple[str, list]:
    """``visible_filter``'s SQL about the idea table aliased ``alias``, for hand-written queries (ideas.overlaps)."""
    if isinstance(user, Audience):
        return _VisibleTo(0, user.reads_all).sql_about(alias)
    if not user.is_authenticated or not user.is_active:
        return "FALSE", []
    return _VisibleTo(user.pk, reads_confidential(user)).sql_about(alias)


def can_edit_idea(user, idea: Idea) -> bool:
    if not is_owner(user, idea):
        return False
    return idea.stage.owners_may_edit


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


# Nobody judges their own idea: owners and co-owners take the owners' moves on it
# (submit, withdraw, answer a request for more information) but no move, review or
# Board business that needs a role. Another holder of the role must.


def can_take_transition(user, idea: Idea, transition: Transition) -> bool:
    if not can_view_idea(user, idea):
        return False
    if transition.owners_may_take and is_owner(user, idea):
        return True
    if is_owner(user, idea):
        return False
    return any(user.has_role(role) for role in transition.allowed_roles)


def withheld_as_owner(user, idea: Idea, transition: Transition) -> bool:
    """A move the user's role would allow, not offered because they own the idea."""
    if transition.owners_may_take:
        return False
    if not is_owner(user, idea):
        return False
    return any(user.has_role(role) for role in transition.allowed_roles)


def owned_filter(user, *, idea_path: str = "") -> Q:
    """``is_owner`` as a filter: the query's idea is owned or co-owned by ``user``.

    ``idea_path`` leads from the query's model to the idea: "" for ideas themselves,
    ``"item__idea"`` for Board decisions.
    """
    user_id = user.pk if user.is_authenticated else None
    prefix = f"{idea_path}__" if idea_path else ""
    idea_id = f"{idea_path}_id" if idea_path else "pk"
    co_owned = Idea.co_owners.through.objects.filter(idea_id=OuterRef(idea_id), user_id=user_id)
    return Q(**{f"{prefix}owner_id": user_id}) | Exists(co_owned)


def owns_expression(user) -> ExpressionWrapper:
    """``is_owner`` as SQL about the query's idea, for lists (annotate ``viewer_owns``)."""
    return ExpressionWrapper(owned_filter(user), output_field=BooleanField())


def can_assign_reviewers(user, idea: Idea, *, owns: bool | None = None) -> bool:
    """``owns``: whether ``user`` owns the idea, when a list has read it already (``owns_expression``)."""
    if not user.is_authenticated:
        return False
    if idea.stage.kind == StageKind.DRAFT:
        return False
    if is_owner(user, idea) if owns is None else owns:
        return False
    return is_secretary_or_admin(user)


def assigns_reviewers_but_owns(user, idea: Idea) -> bool:
    """A secretary (or admin) who may not pick the reviewers of their own idea."""
    if idea.stage.kind == StageKind.DRAFT:
        return False
    if not is_owner(user, idea):
        return False
    return is_secretary_or_admin(user)


def can_review(user, review: Review) -> bool:
    if not user.is_authenticated:
        return False
    if review.reviewer_id != user.pk:
        return False
    if is_owner(user, review.idea):
        return False
    return review.status == Review.Status.ASSIGNED


# How each role is named in a sentence ("Another Board secretary must").
ROLE_NOUNS = {
    Role.OFFICER: "officer", Role.REVIEWER: "reviewer", Role.SECRETARY: "Board secretary",
    Role.BOARD_MEMBER: "Board member", Role.ADMIN: "admin",
}


def someone_else_must(roles) -> str:
    """"Another Board secretary or an admin must." for the roles that may take a step."""
    roles = [str(r) for r in roles]
    others = [f"another {ROLE_NOUNS[Role(r)]}" for r in roles if r != Role.ADMIN and r in Role.values]
    if Role.ADMIN in roles:
        others.append("an admin")
    who = " or ".join(others) or "someone else"
    return f"{who[0].upper()}{who[1:]} must."


def own_idea_refusal(doing: str, roles) -> str:
    """Why an owner is not offered a step on their own idea, and who must take it instead."""
    return f"You cannot {doing} because you own it. {someone_else_must(roles)}"


def can_see_ranking(user) -> bool:
    if not user.is_authenticated:
        return False
    return is_secretary_or_admin(user) or user.has_role(Role.BOARD_MEMBER)


def can_see_triage_queue(user) -> bool:
    return is_secretary_or_admin(user)


# Read with the signed-in user (people.backends.REQUEST_USER_COLUMNS, registered in apps.py).
HAS_REVIEWS_COLUMN = "EXISTS (SELECT 1 FROM ideas_review r WHERE r.reviewer_id = u.id)"


def can_see_review_queue(user) -> bool:
    """Reviewers, and anyone asked to review: a stage may name another role (say, Board members) as its reviewers."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_role(Role.REVIEWER):
        return True
    has_reviews = getattr(user, "request_has_reviews", None)
    if has_reviews is None:
        has_reviews = Review.objects.filter(reviewer_id=user.pk).exists()
    return bool(has_reviews)


def reviewer_role_for(stage: Stage) -> str:
    return stage.reviewer_role or Role.REVIEWER


def can_manage_data_needs(user, idea: Idea) -> bool:
    """Owners and co-owners say which other ideas' data their idea needs, until it is closed."""
    if not is_owner(user, idea):
        return False
    return not idea.stage.is_final
