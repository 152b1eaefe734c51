"""Template tags for the agenda pack panel the meeting page includes."""

from __future__ import annotations

from django import template

from board import packs
from board.permissions import can_manage_meetings, can_read_board_papers

register = template.Library()


@register.simple_tag(takes_context=True)
def pack_panel_data(context, meeting) -> dict:
    """The meeting's pack versions (one query) and what the viewer may do with them."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "versions": packs.pack_versions_for_panel(meeting_id=meeting.pk),
        "can_manage": bool(user and can_manage_meetings(user)),
        "can_read": bool(user and can_read_board_papers(user)),
    }


@register.filter
def pack_when(moment) -> str:
    """GOV.UK style date and time: 26 November 2026 at 1:07pm."""
    from django.utils import timezone

    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    clock = f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"
    if (local.hour, local.minute) == (12, 0):
        clock = "midday"
    return f"{local.day} {local:%B %Y} at {clock}"
