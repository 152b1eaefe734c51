"""Who may see and change Board business. One condition a line."""

from __future__ import annotations

from harrow_innovation.people.roles import SECRETARY_WORK, Role, is_secretary_or_admin
from ideas.permissions import is_owner, own_idea_refusal

from .models import MeetingStatus


def can_manage_meetings(user) -> bool:
    """Schedule meetings, build agendas, publish, record decisions and minutes."""
    return is_secretary_or_admin(user)


def can_judge_idea(user, idea) -> bool:
    """Put an idea on an agenda or record the Board's decision on it: nobody judges their own idea."""
    if not can_manage_meetings(user):
        return False
    return not is_owner(user, idea)


def judges_own_idea(user, idea) -> bool:
    """A secretary (or admin) who may not take their own idea to the Board: another must."""
    if not can_manage_meetings(user):
        return False
    return is_owner(user, idea)


def own_idea_refusal_for(doing: str) -> str:
    return own_idea_refusal(doing, SECRETARY_WORK)


AGENDA_DOING = "put this idea on an agenda"
DECISION_DOING = "record the Board's decision on this idea"


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


def can_send_apologies(user, meeting) -> bool:
    """Members of the meeting's Board send their own apologies."""
    if not user.is_authenticated:
        return False
    return any(m.user_id == user.pk and m.is_active for m in meeting.board.memberships.all())


def draft_agenda_hidden(user, meeting) -> bool:
    """The draft-agenda rule: until its agenda is published, a meeting's agenda, papers and packs
    stay with the secretary (and admins). Every page that shows any of them asks this."""
    if meeting.status != MeetingStatus.PLANNED:
        return False
    return not can_manage_meetings(user)


def can_see_agenda(user, meeting) -> bool:
    """Board members, the secretary and admins read a meeting's agenda once it is published."""
    if not can_read_board_papers(user):
        return False
    return not draft_agenda_hidden(user, meeting)


def is_own_item(user, item) -> bool:
    """The person presents the item, or owns or co-owns its idea."""
    if not user.is_authenticated:
        return False
    if item.presenter_id == user.pk:
        return True
    if item.idea_id is None:
        return False
    return is_owner(user, item.idea)


def can_see_public_agenda(user, meeting) -> bool:
    """Owners, co-owners and presenters of an item read the public part of a published agenda.

    Not a draft agenda, not others' confidential items, not the pack: the page shows them only
    the running order. ``meeting.items`` should be prefetched with ideas and co-owners.
    """
    if can_see_agenda(user, meeting):
        return True
    if draft_agenda_hidden(user, meeting):
        return False
    return any(is_own_item(user, item) for item in meeting.items.all())


def can_update_action(user, action) -> bool:
    """The secretary changes any action; its owner may change its status."""
    if not user.is_authenticated:
        return False
    if can_manage_meetings(user):
        return True
    return action.owner_id == user.pk


def owns_decided_idea(user, meeting) -> bool:
    """An officer whose idea (owned or co-owned) was decided at ``meeting``."""
    if not user.is_authenticated:
        return False
    for item in meeting.items.all():
        if item.idea_id is None or not hasattr(item, "decision"):
            continue
        if is_owner(user, item.idea):
            return True
    return False


def can_read_minutes(user, meeting) -> bool:
    """Members read draft and approved minutes; officers read approved minutes where their idea was decided."""
    if can_read_board_papers(user):
        return True
    minutes = getattr(meeting, "minutes", None)
    if minutes is None:
        return False
    if minutes.status != "approved":
        return False
    return owns_decided_idea(user, meeting)


def can_read_full_minutes(user) -> bool:
    """Everyone else who may read minutes sees only the decisions on their own ideas."""
    return can_read_board_papers(user)


def can_subscribe_calendar(user) -> bool:
    return can_read_board_papers(user)
