"""Who holds which role, by the role's stable code. One condition a line.

Apps ask these (or ``User.has_role``) instead of repeating role checks, so the
"secretary or admin" rule lives in one place.
"""

from __future__ import annotations

from .roles import Role


def is_admin(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.has_role(Role.ADMIN)


def is_secretary_or_admin(user) -> bool:
    """The Board secretary's work (triage, reviewers, agendas, decisions): admins stand in for the secretary."""
    if not user.is_authenticated:
        return False
    return user.has_role(Role.SECRETARY) or user.has_role(Role.ADMIN)


def is_board_member(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.has_role(Role.BOARD_MEMBER)


def is_reviewer(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.has_role(Role.REVIEWER)
