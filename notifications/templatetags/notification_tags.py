from __future__ import annotations

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def govuk_datetime(value) -> str:
    """GOV.UK style: 26 November 2026 at 2:30pm (midday and midnight by name)."""
    if not value:
        return ""
    local = timezone.localtime(value)
    if (local.hour, local.minute) == (12, 0):
        clock = "midday"
    elif (local.hour, local.minute) == (0, 0):
        clock = "midnight"
    else:
        hour = local.hour % 12 or 12
        clock = f"{hour}{'' if local.minute == 0 else f':{local.minute:02d}'}{'am' if local.hour < 12 else 'pm'}"
    return f"{local:%-d %B %Y} at {clock}"
