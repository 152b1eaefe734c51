"""Who may do what with people. One condition a line."""

from __future__ import annotations

from .roles import Role


def is_admin(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.has_role(Role.ADMIN)


def is_secretary(user) -> bool:
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
