"""Start-up checks: a bad NOTIFY_MEETING_DAYS stops the service with a clear message."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


@register()
def meeting_days_check(app_configs=None, **kwargs) -> list[Error]:
    raw = getattr(settings, "NOTIFY_MEETING_DAYS", ["7", "1"])
    try:
        days = [int(str(value).strip()) for value in raw]
    except ValueError:
        days = []
    if not days or any(day < 0 or day > 60 for day in days):
        return [Error(
            f"NOTIFY_MEETING_DAYS={','.join(map(str, raw))!r} is malformed.",
            hint='Use whole numbers of days from 0 to 60 separated by commas, for example "7,1".',
            id="notifications.E001",
        )]
    return []
