"""Who may see the portfolio, export ideas, use the API and record delivery. One condition a line.

Which ideas anyone sees is never decided here: every idea queryset starts from
``ideas.selectors.visible_ideas(user)``, so pages, exports and the API share
the ideas app's rules.
"""

from __future__ import annotations

from harrow_innovation.people.roles import Role, has_any_role, is_secretary_or_admin
from ideas.permissions import can_view_idea, is_owner

PORTFOLIO_ROLES = (Role.BOARD_MEMBER, Role.SECRETARY, Role.ADMIN)


def can_view_portfolio(user) -> bool:
    """Central systems, data outputs, prioritisation, delivery and dashboards."""
    if not user.is_authenticated:
        return False
    return has_any_role(user, PORTFOLIO_ROLES)


def can_view_data_register(user) -> bool:
    """The data-output register, department pages and the data flow matrix: every member of staff with a role.

    A department learns what data is coming its way. What each person sees is still
    decided by ``visible_ideas`` (others' drafts and confidential ideas stay out).
    """
    if not user.is_authenticated:
        return False
    return has_any_role(user, Role.values)


def data_register_only(user) -> bool:
    """Reads the data register but not the rest of the portfolio (the header links straight to the register)."""
    if not can_view_data_register(user):
        return False
    return not can_view_portfolio(user)


def can_export_ideas(user) -> bool:
    """Any member of staff with a role exports the ideas they may see."""
    if not user.is_authenticated:
        return False
    return has_any_role(user, Role.values)


def can_use_api(user) -> bool:
    """Signed-in people and service accounts (token) that hold at least one role."""
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    return has_any_role(user, Role.values)


def can_read_board_api(user) -> bool:
    """Meetings and decisions in the API: the same people who read Board papers."""
    if not can_use_api(user):
        return False
    return has_any_role(user, PORTFOLIO_ROLES)


def can_take_to_agenda(user) -> bool:
    """The secretary (and admins) put ideas from the prioritisation view on an agenda."""
    return is_secretary_or_admin(user)


def can_view_delivery(user, idea) -> bool:
    """An approved idea's delivery page: its owners and portfolio readers who may see the idea."""
    if not can_view_idea(user, idea):
        return False
    if is_owner(user, idea):
        return True
    return can_view_portfolio(user)


def can_record_delivery(user, idea, *, approved_stage_ids: set[int]) -> bool:
    """Owners report progress while an approved idea is being delivered (not once it is closed)."""
    if not is_owner(user, idea):
        return False
    if idea.stage_id not in approved_stage_ids:
        return False
    return not idea.stage.is_final


def can_record_benefit(user, idea, *, approved_stage_ids: set[int]) -> bool:
    """Owners record realised benefits for approved ideas, during and after delivery."""
    if not is_owner(user, idea):
        return False
    return idea.stage_id in approved_stage_ids
