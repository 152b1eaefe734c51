"""Agenda packs: requesting, building, retrying, refreshing and announcing them.

A pack is built by the Celery task ``board.build_pack`` (board.tasks), which
calls :func:`pack_build`. The build is safe to run twice and safe with
``acks_late``:

* it *claims* the version with a conditional UPDATE (queued → building, or
  building with a heartbeat older than ``stale_after()`` → building again), and
  the claim's ``attempts`` value is a fencing token: every later write by this
  build is conditional on it, so a worker that was presumed dead and wakes up
  cannot overwrite the work of the worker that took over;
* it keeps ``heartbeat_at`` fresh while it works;
* it writes the PDF under a new name and sets ``file``, ``page_count`` and
  ``size`` in the same UPDATE that marks the version ready, so nothing
  half-written is ever offered for download.

Papers are cached by a hash of their HTML (:class:`board.models.PaperRender`),
so a rebuild renders only the papers that changed, plus the cover and agenda.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

import notifications
from harrow_innovation.core import outbox

from . import pack_builder
from .models import AgendaItem, Meeting, MeetingStatus, PackVersion

log = logging.getLogger(__name__)

STALE_AFTER_MINUTES = 5  # a building version whose heartbeat is older than this is presumed dead
HEARTBEAT_EVERY_SECONDS = 10
MAX_ATTEMPTS = 3  # builds interrupted this many times are marked failed instead of retried forever


class PackError(Exception):
    """A pack action that is not possible now. The message is for the user."""


def stale_after() -> timedelta:
    return timedelta(minutes=getattr(settings, "BOARD_PACK_STALE_MINUTES", STALE_AFTER_MINUTES))


# --- Reads ------------------------------------------------------------------------


def pack_versions_for_panel(*, meeting_id: int) -> list[PackVersion]:
    """The meeting's versions, latest first, in one query."""
    return list(PackVersion.objects.filter(meeting_id=meeting_id).order_by("-number"))


def pack_for_download(*, pack_id: int) -> PackVersion | None:
    """A version that may be downloaded: only ready ones, with their file."""
    return PackVersion.objects.select_related("meeting", "meeting__board").filter(
        pk=pack_id, status=PackVersion.Status.READY
    ).exclude(file="").first()


def item_for_paper(*, item_id: int) -> AgendaItem | None:
    """One agenda item with everything its paper shows, in a fixed number of queries."""
    return pack_builder.items_queryset().filter(pk=item_id).first()


def paper_context_for_page(item: AgendaItem) -> dict:
    position = AgendaItem.objects.filter(meeting_id=item.meeting_id).filter(
        Q(order__lt=item.order) | Q(order=item.order, pk__lt=item.pk)
    ).count() + 1
    context = pack_builder.paper_context(item, number=position)
    if item.idea_id:
        # On the page each appendix links to its download, which checks who may have it; the
        # pack's PDF keeps plain names, so cached renders stay valid.
        context["attachment_links"] = [
            (a.original_name, reverse("ideas:attachment_download", kwargs={"pk": item.idea_id, "attachment_pk": a.pk}))
            for a in getattr(item.idea, "pack_attachments", [])
        ]
    return context


# --- Requests, retries and refreshes ------------------------------------------------


@transaction.atomic
def pack_request(*, meeting: Meeting, reason: str, by=None) -> PackVersion:
    """Queue a new pack version for ``meeting`` and hand its build to Celery after commit."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # serialise version numbers
    number = (PackVersion.objects.filter(meeting=meeting).aggregate(n=Max("number"))["n"] or 0) + 1
    pack = PackVersion.objects.create(meeting=meeting, number=number, reason=reason[:300], created_by=by)
    outbox.enqueue("board.build_pack", pack.pk)
    return pack


@transaction.atomic
def pack_retry(*, pack_id: int, by) -> PackVersion:
    """Build a failed version again, as a new version so the failure stays on record."""
    # Lock the version alone; pack_request locks the meeting itself when it queues the new version.
    pack = PackVersion.objects.select_for_update(of=("self",)).select_related("meeting").filter(pk=pack_id).first()
    if pack is None:
        raise PackError("That pack version no longer exists.")
    if pack.status != PackVersion.Status.FAILED:
        raise PackError(f"Version {pack.number} has not failed, so there is nothing to retry.")
    newer = PackVersion.objects.filter(meeting_id=pack.meeting_id, number__gt=pack.number).order_by("number").first()
    if newer is not None:
        raise PackError(f"Version {newer.number} has already been made after version {pack.number}.")
    return pack_request(meeting=pack.meeting, reason=f"Retry after version {pack.number} failed", by=by)


def pack_refresh_if_changed(*, meeting_id: int, by=None) -> PackVersion | None:
    """Queue a new version if a paper (or the agenda) changed since the latest version.

    Ideas never import board, so edits to ideas are found by this scan (the
    periodic task ``board.refresh_published_packs``), not by signals. Returns
    the new version, or None if nothing changed or a build is already under way.
    """
    meeting = Meeting.objects.filter(pk=meeting_id).select_related("board").first()
    if meeting is None:
        return None
    latest = PackVersion.objects.filter(meeting_id=meeting_id).order_by("-number").first()
    if latest is None or latest.status in (PackVersion.Status.QUEUED, PackVersion.Status.BUILDING):
        return None  # nothing published yet, or the build under way will pick up the change
    items = list(pack_builder.items_queryset().filter(meeting_id=meeting_id))
    current = pack_builder.meeting_hashes(meeting, items)
    before = latest.content_hashes or {}
    if current == before:
        return None
    changed = [
        pack_builder.item_label(number, item)
        for number, item in enumerate(items, start=1)
        if before.get(str(item.pk)) != current.get(str(item.pk))
    ]
    if changed:
        reason = "Paper changed: " + "; ".join(changed)
    else:
        reason = "Agenda changed"
    return pack_request(meeting=meeting, reason=reason, by=by)


def refresh_published_packs() -> int:
    """Run :func:`pack_refresh_if_changed` for every meeting whose agenda is published."""
    made = 0
    for meeting_id in Meeting.objects.filter(status=MeetingStatus.AGENDA_PUBLISHED).values_list("pk", flat=True):
        if pack_refresh_if_changed(meeting_id=meeting_id) is not None:
            made += 1
    return made


def rescue_stale_packs() -> dict:
    """Hand stuck builds back to a worker; give up on ones interrupted too often.

    A worker killed mid-build leaves its version "building" with an old
    heartbeat; a queued version whose message was lost stays "queued". Both are
    enqueued again (the claim makes a duplicate harmless).
    """
    cutoff = timezone.now() - stale_after()
    stale_building = PackVersion.objects.filter(status=PackVersion.Status.BUILDING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True)
    )
    given_up = stale_building.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=PackVersion.Status.FAILED,
        finished_at=timezone.now(),
        failure=(
            f"The build stopped {MAX_ATTEMPTS} times without finishing, so it was stopped. "
            "This can happen when an attachment is very large. Try again, or remove the attachment."
        ),
    )
    requeued = 0
    stuck = stale_building.filter(attempts__lt=MAX_ATTEMPTS) | PackVersion.objects.filter(
        status=PackVersion.Status.QUEUED, created_at__lt=cutoff
    )
    for pk in stuck.values_list("pk", flat=True):
        with transaction.atomic():
            outbox.enqueue("board.build_pack", pk)
        requeued += 1
    return {"requeued": requeued, "failed": given_up}


# --- The build ----------------------------------------------------------------------


class _LostClaim(Exception):
    """Another worker took this build over: stop without writing anything."""


@dataclass
class _Claim:
    pack_id: int
    attempt: int
    last_beat: float = 0.0
    hashes: dict = field(default_factory=dict)

    def mine(self) -> QuerySet[PackVersion]:
        return PackVersion.objects.filter(pk=self.pack_id, status=PackVersion.Status.BUILDING, attempts=self.attempt)

    def beat(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last_beat < HEARTBEAT_EVERY_SECONDS:
            return
        if not self.mine().update(heartbeat_at=timezone.now()):
            raise _LostClaim
        self.last_beat = now


def _claim(pack_id: int) -> _Claim | None:
    now = timezone.now()
    claimable = Q(status=PackVersion.Status.QUEUED) | Q(
        Q(heartbeat_at__lt=now - stale_after()) | Q(heartbeat_at__isnull=True),
        status=PackVersion.Status.BUILDING,
        attempts__lt=MAX_ATTEMPTS,
    )
    with transaction.atomic():
        claimed = PackVersion.objects.filter(claimable, pk=pack_id).update(
            status=PackVersion.Status.BUILDING,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            failure="",
        )
        if not claimed:
            return None
        attempt = PackVersion.objects.values_list("attempts", flat=True).get(pk=pack_id)
    return _Claim(pack_id=pack_id, attempt=attempt, last_beat=time.monotonic())


def _refresh_overlaps(meeting_id: int) -> None:
    """Work out the agenda's ideas' kept overlaps now, so the papers name the overlaps as they are today.

    A failure here leaves the papers with the overlaps last worked out: it never stops the pack.
    """
    from ideas import overlaps_kept

    ids = AgendaItem.objects.filter(meeting_id=meeting_id, idea__isnull=False).values_list("idea_id", flat=True)
    for idea_id in ids:
        try:
            overlaps_kept.refresh(idea_id, tell_others=False)
        except Exception:  # a fault in one lookup must not cost the Board its pack
            log.warning("Overlaps of idea %s not worked out again for the pack", idea_id, exc_info=True)


def pack_build(*, pack_id: int) -> str:
    """Build one pack version. Safe to call twice, and from two workers at once.

    Returns what happened: "ready", "failed", "skipped" (not claimable: already
    built, failed, or being built by a live worker) or "lost" (taken over).
    """
    claim = _claim(pack_id)
    if claim is None:
        return "skipped"
    pack = PackVersion.objects.select_related("meeting", "meeting__board").get(pk=pack_id)
    tmp_path = None
    stored_name = None
    try:
        _refresh_overlaps(pack.meeting_id)
        fd, tmp_path = tempfile.mkstemp(prefix=f"pack-{pack_id}-", suffix=".pdf.part")
        os.close(fd)
        result = pack_builder.build(pack, out_path=tmp_path, heartbeat=claim.beat, on_hashes=claim.hashes.update)
        claim.beat(force=True)
        meeting = pack.meeting
        name = f"packs/{meeting.uid}/agenda-pack-v{pack.number}-{uuid.uuid4().hex[:8]}.pdf"
        with open(tmp_path, "rb") as handle:
            stored_name = default_storage.save(name, File(handle, name=os.path.basename(name)))
        with transaction.atomic():
            done = claim.mine().update(
                status=PackVersion.Status.READY,
                file=stored_name,
                page_count=result.page_count,
                size=default_storage.size(stored_name),
                warnings=result.warnings,
                content_hashes=claim.hashes,
                finished_at=timezone.now(),
                heartbeat_at=timezone.now(),
            )
            if not done:
                raise _LostClaim
            # Members hear through notifications (their preferences, the in-app list, once only).
            notifications.publish("board.pack_ready", pack_id=pack_id)
        stored_name = None  # now owned by the version
        return "ready"
    except _LostClaim:
        return "lost"
    except pack_builder.PackBuildError as exc:
        _fail(claim, str(exc), warnings=exc.warnings)
        return "failed"
    except Exception as exc:  # an unexpected fault must not leave the version "building"
        log.exception("Pack %s failed unexpectedly", pack_id)
        _fail(claim, f"The pack could not be built because of an unexpected error ({type(exc).__name__}). Try again; "
                     "if it fails again, tell the service team.")
        return "failed"
    finally:
        if tmp_path and os.path.exists(tmp_path):
            os.unlink(tmp_path)
        if stored_name:
            default_storage.delete(stored_name)


def _fail(claim: _Claim, reason: str, *, warnings: list | None = None) -> None:
    claim.mine().update(
        status=PackVersion.Status.FAILED,
        failure=reason[:4000],
        warnings=warnings or [],
        content_hashes=claim.hashes,
        finished_at=timezone.now(),
    )
