"""Agenda-pack faults: bad attachments, papers that cannot render, retries, killed workers."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from board import pack_builder, packs
from board.models import PackVersion
from harrow_innovation.core.models import OutboxTask
from tests.world_extras.packs import (
    CORRUPT_PDF,
    add_pdf_attachment,
    encrypted_pdf_bytes,
    make_pack_meeting,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db


def _queued(meeting):
    return PackVersion.objects.create(meeting=meeting, number=meeting.packs.count() + 1, reason="Agenda published")


def _text(pack) -> str:
    pack.refresh_from_db()
    with pack.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split()), reader


def test_corrupt_and_encrypted_attachments_are_skipped_and_flagged_and_the_pack_still_builds(people, client):
    meeting = make_pack_meeting(people, ideas=1, free_items=1)
    idea = meeting.items.get(kind="idea").idea
    add_pdf_attachment(idea, people["officer"], pdf_bytes(2, "Good appendix"), name="good.pdf")
    add_pdf_attachment(idea, people["officer"], CORRUPT_PDF, name="broken.pdf")
    add_pdf_attachment(idea, people["officer"], encrypted_pdf_bytes(), name="locked.pdf")
    pack = _queued(meeting)

    assert packs.pack_build(pack_id=pack.pk) == "ready"

    pack.refresh_from_db()
    assert pack.status == PackVersion.Status.READY
    assert pack.warnings == [
        "Item 1, Idea number 1 for the Board: “broken.pdf” was left out because it is damaged and could not be read.",
        "Item 1, Idea number 1 for the Board: “locked.pdf” was left out because it is protected by a password.",
    ]
    text, reader = _text(pack)
    assert "Left out of this pack" in text  # flagged in the pack's own agenda
    assert "protected by a password" in text
    bookmarks = [e for e in reader.outline if isinstance(e, list)][0]
    assert [b.title for b in bookmarks] == ["Appendix: good.pdf"]
    # ... and on the meeting's pack panel.
    client.force_login(people["secretary"])
    page = client.get(reverse("board:pack_status", kwargs={"pk": meeting.pk}))
    assert "2 attachments were left out of this pack" in page.content.decode()
    assert "“locked.pdf” was left out because it is protected by a password" in page.content.decode()


def test_an_attachment_missing_from_storage_is_flagged_not_fatal(people):
    meeting = make_pack_meeting(people, ideas=1, free_items=0)
    attachment = add_pdf_attachment(meeting.items.get().idea, people["officer"], pdf_bytes(1), name="gone.pdf")
    attachment.file.storage.delete(attachment.file.name)
    pack = _queued(meeting)

    assert packs.pack_build(pack_id=pack.pk) == "ready"
    pack.refresh_from_db()
    assert pack.warnings == ["Item 1, Idea number 1 for the Board: “gone.pdf” was left out because the file could not be found."]


def test_a_paper_that_cannot_render_fails_the_version_with_a_readable_reason_and_retry_works(
    people, client, monkeypatch, django_capture_on_commit_callbacks
):
    meeting = make_pack_meeting(people, ideas=2, free_items=0)
    original = pack_builder.render_pdf

    def broken(html):
        if "<h1>Idea number 2 for the Board</h1>" in html:  # its own paper (item 1's lists it as an overlap)
            raise ValueError("layout overflow in table")
        return original(html)

    monkeypatch.setattr(pack_builder, "render_pdf", broken)
    pack = _queued(meeting)

    assert packs.pack_build(pack_id=pack.pk) == "failed"

    pack.refresh_from_db()
    assert pack.status == PackVersion.Status.FAILED
    assert pack.file.name in ("", None)
    assert pack.failure.startswith(
        "Item 2, Idea number 2 for the Board: the paper could not be turned into a PDF (ValueError: layout overflow in table)."
    )
    client.force_login(people["secretary"])
    assert client.get(reverse("board:pack_download", kwargs={"pk": pack.pk})).status_code == 404
    panel = client.get(reverse("board:pack_status", kwargs={"pk": meeting.pk})).content.decode()
    assert "Why it failed" in panel and "layout overflow in table" in panel
    assert "Try building the pack again" in panel

    monkeypatch.setattr(pack_builder, "render_pdf", original)  # the cause is fixed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("board:pack_retry", kwargs={"pk": pack.pk}))
    assert response.status_code == 302

    retried = PackVersion.objects.get(meeting=meeting, number=2)
    assert retried.reason == "Retry after version 1 failed"
    assert retried.status == PackVersion.Status.READY
    pack.refresh_from_db()
    assert pack.status == PackVersion.Status.FAILED  # the failure stays on record
    # Retrying the old version again is refused with a message, nothing changes.
    response = client.post(reverse("board:pack_retry", kwargs={"pk": pack.pk}), follow=True)
    assert "Version 2 has already been made after version 1." in response.content.decode()
    assert PackVersion.objects.filter(meeting=meeting).count() == 2


def test_only_failed_versions_can_be_retried(people):
    meeting = make_pack_meeting(people, ideas=0, free_items=1)
    pack = _queued(meeting)
    with pytest.raises(packs.PackError, match="has not failed"):
        packs.pack_retry(pack_id=pack.pk, by=people["secretary"])


def test_an_unexpected_error_marks_the_version_failed_not_stuck_building(people, monkeypatch):
    meeting = make_pack_meeting(people, ideas=0, free_items=1)
    monkeypatch.setattr(pack_builder, "merge", lambda *a, **k: (_ for _ in ()).throw(MemoryError()))
    pack = _queued(meeting)

    assert packs.pack_build(pack_id=pack.pk) == "failed"
    pack.refresh_from_db()
    assert pack.status == PackVersion.Status.FAILED
    assert "unexpected error (MemoryError)" in pack.failure


def test_an_empty_agenda_fails_with_a_reason(people):
    meeting = make_pack_meeting(people, ideas=0, free_items=0)
    pack = _queued(meeting)
    assert packs.pack_build(pack_id=pack.pk) == "failed"
    pack.refresh_from_db()
    assert "The agenda has no items" in pack.failure


# --- Killed workers ----------------------------------------------------------------


def test_a_version_left_building_by_a_dead_worker_is_reclaimed_and_finished(people):
    meeting = make_pack_meeting(people, ideas=1, free_items=0)
    long_ago = timezone.now() - timedelta(minutes=packs.STALE_AFTER_MINUTES + 1)
    pack = PackVersion.objects.create(
        meeting=meeting, number=1, reason="Agenda published", status="building", attempts=1,
        started_at=long_ago, heartbeat_at=long_ago,
    )

    assert packs.pack_build(pack_id=pack.pk) == "ready"
    pack.refresh_from_db()
    assert pack.status == PackVersion.Status.READY
    assert pack.attempts == 2


def test_a_build_with_a_fresh_heartbeat_is_not_stolen(people):
    meeting = make_pack_meeting(people, ideas=1, free_items=0)
    now = timezone.now()
    pack = PackVersion.objects.create(
        meeting=meeting, number=1, reason="Agenda published", status="building", attempts=1,
        started_at=now - timedelta(minutes=20), heartbeat_at=now - timedelta(seconds=30),
    )

    assert packs.pack_build(pack_id=pack.pk) == "skipped"
    pack.refresh_from_db()
    assert (pack.status, pack.attempts, pack.file.name) == ("building", 1, "")


def test_a_worker_that_lost_its_claim_writes_nothing(people, monkeypatch, settings):
    """A presumed-dead worker wakes up after another took over: its result is thrown away."""
    from pathlib import Path

    meeting = make_pack_meeting(people, ideas=1, free_items=0)
    pack = _queued(meeting)
    original = pack_builder.build

    def build_then_taken_over(*args, **kwargs):
        result = original(*args, **kwargs)
        PackVersion.objects.filter(pk=pack.pk).update(attempts=99)  # another worker reclaimed it meanwhile
        return result

    monkeypatch.setattr(pack_builder, "build", build_then_taken_over)

    assert packs.pack_build(pack_id=pack.pk) == "lost"
    pack.refresh_from_db()
    assert (pack.status, pack.file.name) == ("building", "")
    packs_dir = Path(settings.MEDIA_ROOT) / "packs"
    assert not list(packs_dir.rglob("*.pdf")) if packs_dir.exists() else True


def test_rescue_requeues_stale_builds_and_lost_queued_ones_and_gives_up_after_repeated_deaths(
    people, django_capture_on_commit_callbacks
):
    meeting = make_pack_meeting(people, ideas=0, free_items=1)
    long_ago = timezone.now() - timedelta(minutes=packs.STALE_AFTER_MINUTES + 1)
    stale = PackVersion.objects.create(meeting=meeting, number=1, reason="a", status="building", attempts=1,
                                       heartbeat_at=long_ago)
    lost = PackVersion.objects.create(meeting=meeting, number=2, reason="b", created_at=long_ago)
    fresh = PackVersion.objects.create(meeting=meeting, number=3, reason="c")
    doomed = PackVersion.objects.create(meeting=meeting, number=4, reason="d", status="building",
                                        attempts=packs.MAX_ATTEMPTS, heartbeat_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        result = packs.rescue_stale_packs()

    assert result == {"requeued": 2, "failed": 1}
    assert sorted(OutboxTask.objects.filter(task_name="board.build_pack").values_list("args", flat=True)) == [
        [stale.pk], [lost.pk]
    ]
    for pack, status in ((stale, "ready"), (lost, "ready"), (fresh, "queued"), (doomed, "failed")):
        pack.refresh_from_db()
        assert pack.status == status, pack.number
    assert "stopped 3 times without finishing" in doomed.failure
