"""Who may see and change Board business. One condition a line."""

from __future__ import annotations

from harrow_innovation.people.roles import Role


def can_manage_meetings(user) -> bool:
    """Schedule meetings, build agendas, publish, record decisions and minutes."""
    if not user.is_authenticated:
        return False
    return user.has_role(Role.SECRETARY) or user.has_role(Role.ADMIN)


def can_read_board_papers(user) -> bool:
    """Agendas, packs, papers, declarations: Board members, the secretary and admins."""
    if not user.is_authenticated:
        return False
    if can_manage_meetings(user):
        return True
    return user.has_role(Role.BOARD_MEMBER)


def can_declare_interest(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.has_role(Role.BOARD_MEMBER)
