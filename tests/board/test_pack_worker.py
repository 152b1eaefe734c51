"""Agenda packs built by a real Celery worker, with tasks travelling through Redis."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from board import packs
from board.models import PackVersion
from harrow_innovation.celery import app
from tests.celery_helpers import real_worker
from tests.world_extras.packs import CORRUPT_PDF, add_pdf_attachment, make_pack_meeting

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_for(pack: PackVersion, status: str, timeout: float = 90) -> PackVersion:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pack.refresh_from_db()
        if pack.status == status:
            return pack
        time.sleep(0.2)
    raise AssertionError(f"pack {pack.pk} is {pack.status}, not {status}, after {timeout}s")


def _wait_until(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_a_real_worker_builds_the_pack_once_and_flags_a_bad_attachment(people, settings):
    meeting = make_pack_meeting(people, ideas=2, free_items=1, attachment_pages=2)
    add_pdf_attachment(meeting.items.filter(kind="idea").first().idea, people["officer"], CORRUPT_PDF, name="broken.pdf")

    with real_worker():
        pack = packs.pack_request(meeting=meeting, reason="Agenda published", by=people["secretary"])
        _wait_for(pack, "ready")
        # The same build delivered twice more (a redelivery after acks_late, a rescue): no second pack.
        again = [app.send_task("board.build_pack", args=[pack.pk]) for _ in range(2)]
        assert [r.get(timeout=60)["result"] for r in again] == ["skipped", "skipped"]
        _wait_until(lambda: len(mail.outbox) == 2)

    pack.refresh_from_db()
    assert pack.page_count > 10
    assert pack.warnings == [
        "Item 1, Idea number 1 for the Board: “broken.pdf” was left out because it is damaged and could not be read."
    ]
    assert PackVersion.objects.filter(meeting=meeting).count() == 1
    assert len(list((Path(settings.MEDIA_ROOT) / "packs").rglob("*.pdf"))) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["board_member"].email, people["secretary"].email])


def test_a_build_left_by_a_killed_worker_is_finished_by_the_next_worker(people):
    meeting = make_pack_meeting(people, ideas=1, free_items=0)
    long_ago = timezone.now() - timedelta(minutes=packs.STALE_AFTER_MINUTES + 2)
    pack = PackVersion.objects.create(
        meeting=meeting, number=1, reason="Agenda published", status="building", attempts=1,
        started_at=long_ago, heartbeat_at=long_ago,
    )

    with real_worker():
        result = app.send_task("board.rescue_stale_packs")
        assert result.get(timeout=60) == {"requeued": 1, "failed": 0}
        _wait_for(pack, "ready")

    assert pack.attempts == 2
    assert pack.file.name.endswith(".pdf")
