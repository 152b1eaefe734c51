"""Agenda packs: requesting a build. The build itself runs in Celery (board.tasks)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from harrow_innovation.core import outbox

from .models import Meeting, PackVersion


@transaction.atomic
def pack_request(*, meeting: Meeting, reason: str, by=None) -> PackVersion:
    """Queue a new pack version for ``meeting`` and hand its build to Celery after commit."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # serialise version numbers
    number = (PackVersion.objects.filter(meeting=meeting).aggregate(n=Max("number"))["n"] or 0) + 1
    pack = PackVersion.objects.create(meeting=meeting, number=number, reason=reason[:300], created_by=by)
    outbox.enqueue("board.build_pack", pack.pk)
    return pack
