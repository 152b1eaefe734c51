"""Agenda packs: a 30-item meeting, each paper about two pages, each idea with a 5-page PDF attached.

Figures (baseline measured in the same run):

* the full build (board.packs.pack_build: database reads, paper HTML, WeasyPrint,
  attachment checks, cover and agenda, merge, bookmarks, page stamping, storage)
  against the baseline: WeasyPrint alone rendering the same HTML documents
  (cover and agenda plus the 30 papers) and pypdf merging them with the attachments;
* a rebuild after one paper changed against the full build (only that paper,
  the cover and the agenda are rendered again);
* peak memory of a full build, measured in a forked child process (its peak
  resident set size, and the rise over its size before building), next to the
  baseline's measured the same way.

Targets: full build at most 1.3 times the baseline; rebuild at most 0.4 times a full build.
"""

from __future__ import annotations

import io
import os
import resource
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from benchmarks.harness import report

ITEMS = 30
ATTACHMENT_PAGES = 5
REPEAT = 3

_WORDS = (
    "residents services council data housing repairs social care requests online team budget savings "
    "integration system partners training pilot wards evidence outcomes demand staff costs benefits risk"
).split()


def _prose(seed: int, words: int) -> str:
    out = []
    for n in range(words):
        out.append(_WORDS[(seed * 7 + n * 13 + n // 5) % len(_WORDS)])
        if n % 17 == 16:
            out[-1] += "."
    return " ".join(out).capitalize() + "."


def _attachment_pdf(n: int) -> bytes:
    from weasyprint import HTML

    pages = "".join(
        f"<section style='break-after: page'><h1>Business case appendix {n}, page {p}</h1>"
        f"<p>{_prose(n * 10 + p, 200)}</p><p>{_prose(n * 10 + p + 1, 120)}</p></section>"
        for p in range(1, ATTACHMENT_PAGES + 1)
    )
    return HTML(string=f"<html lang='en'><body>{pages}</body></html>").write_pdf()


def _setup():
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from board.models import AgendaItem, Board, BoardRole, Meeting, Membership
    from harrow_innovation.people.models import Department, User
    from harrow_innovation.people.roles import sync_role_groups
    from ideas.models import (
        Attachment,
        CentralSystem,
        Criterion,
        DataOutput,
        ExternalResource,
        Idea,
        IdeaCentralSystem,
        ResourceAsk,
        Review,
        Score,
        Stage,
        Workflow,
    )
    from ideas.services import weighted_total

    sync_role_groups()
    department = Department.objects.create(name="Bench Department", slug="bench-department")
    other = Department.objects.create(name="Bench Finance", slug="bench-finance")
    officer = User.objects.create_user(email="bench-officer@harrow.example", full_name="Bench Officer",
                                       department=department, password="x")
    secretary = User.objects.create_user(email="bench-secretary@harrow.example", full_name="Bench Secretary",
                                         department=department, password="x")
    reviewers = [
        User.objects.create_user(email=f"bench-reviewer{n}@harrow.example", full_name=f"Bench Reviewer {n}",
                                 department=other, password="x")
        for n in (1, 2)
    ]
    board = Board.objects.create(name="Bench Innovation Board")
    Membership.objects.create(board=board, user=secretary, role=BoardRole.SECRETARY)
    meeting = Meeting.objects.create(
        board=board, starts_at=timezone.now() + timedelta(days=10), location="Civic Centre", status="agenda_published",
        created_by=secretary, published_at=timezone.now(),
    )
    workflow = Workflow.objects.get(is_default=True)
    stage = Stage.objects.get(workflow=workflow, slug="ready-for-board")
    systems = list(CentralSystem.objects.all()[:2]) or [
        CentralSystem.objects.create(name=f"Bench system {n}", slug=f"bench-system-{n}") for n in (1, 2)
    ]
    criteria = list(Criterion.objects.filter(is_active=True))
    if not criteria:
        criteria = [Criterion.objects.create(name=f"Bench criterion {n}", weight=n) for n in (1, 2, 3)]
    for n in range(1, ITEMS + 1):
        idea = Idea.objects.create(
            title=f"Benchmark idea {n}: joining up requests across services", owner=officer, department=department,
            workflow=workflow, stage=stage, submitted_at=timezone.now(), problem=_prose(n, 50),
            solution=_prose(n + 1, 50), other_benefits=_prose(n + 2, 12), one_off_cost=Decimal("25000"),
            recurring_cost=Decimal("4000"), cash_savings_per_year=Decimal("18000"), timescale="9 months",
            risks=_prose(n + 3, 12), future_proofing=_prose(n + 4, 10), source="team", weighted_score=Decimal("3.50"), review_count=2,
        )
        idea.departments.set([department, other])
        ResourceAsk.objects.create(idea=idea, note=_prose(n + 5, 8))
        ExternalResource.objects.create(idea=idea, name="A supplier", note=_prose(n + 6, 8))
        for system in systems:
            IdeaCentralSystem.objects.create(idea=idea, system=system, integration_note=_prose(n + 7, 12),
                                             integration_cost=Decimal("3500"))
        DataOutput.objects.create(idea=idea, description=_prose(n + 8, 10)).valued_by.set([other])
        for r, reviewer in enumerate(reviewers):
            scores = [(3 + (r + c.pk) % 3, c.weight) for c in criteria]
            review = Review.objects.create(
                idea=idea, stage=stage, reviewer=reviewer, assigned_by=secretary, status="submitted",
                recommendation="proceed", comment=_prose(n + r, 12), submitted_at=timezone.now(),
                weighted_score=weighted_total(scores),
            )
            Score.objects.bulk_create(
                [Score(review=review, criterion=c, score=s, weight=w) for c, (s, w) in zip(criteria, scores, strict=True)]
            )
        data = _attachment_pdf(n)
        Attachment.objects.create(idea=idea, file=ContentFile(data, name=f"appendix-{n}.pdf"),
                                  original_name=f"Business case appendix {n}.pdf", kind="pdf", size=len(data),
                                  uploaded_by=officer)
        AgendaItem.objects.create(
            meeting=meeting, order=n, kind="idea", idea=idea, stage_when_added=stage, title=idea.title,
            presenter=officer, minutes_allotted=5, recommendation=_prose(n + 9, 10),
        )
    return meeting, secretary


def _clear_cache(meeting) -> None:
    from board.models import PaperRender

    for render in PaperRender.objects.filter(item__meeting=meeting):
        render.file.delete(save=False)
    PaperRender.objects.filter(item__meeting=meeting).delete()


def _queued(meeting):
    from board.models import PackVersion

    number = meeting.packs.count() + 1
    return PackVersion.objects.create(meeting=meeting, number=number, reason=f"Benchmark version {number}")


class _Clock:
    """Wall-clock and CPU seconds of a block. The machine is shared, so ratios use CPU time:
    other processes competing for the cores inflate wall-clock time at random."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def _build(meeting) -> _Clock:
    from board import packs

    pack = _queued(meeting)
    with _Clock() as clock:
        result = packs.pack_build(pack_id=pack.pk)
    assert result == "ready", (result, pack.pk)
    return clock


def _full_build(meeting) -> _Clock:
    _clear_cache(meeting)
    return _build(meeting)


def _baseline_inputs(meeting):
    """The same HTML documents the build renders, and the attachments' bytes, read before timing."""
    from board import pack_builder

    pack = _queued(meeting)  # only for the cover's version label; never built
    items = list(pack_builder.items_queryset().filter(meeting=meeting))
    papers = [pack_builder.Paper(item=i, number=n, html=pack_builder.paper_html(i, number=n), hash="")
              for n, i in enumerate(items, start=1)]
    attachments = []
    for paper in papers:
        for attachment in paper.item.idea.pack_attachments:
            with attachment.file.open("rb") as handle:
                attachments.append(handle.read())
            paper.pages = 2
            paper.appendices.append((attachment.original_name, b"", ATTACHMENT_PAGES))
    front = pack_builder.front_html(pack, papers, front_pages=3, warnings=[])
    pack.delete()
    return [front] + [p.html for p in papers], attachments


def _baseline(documents: list[str], attachments: list[bytes]) -> _Clock:
    """WeasyPrint alone rendering the same HTML, plus pypdf's merge."""
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    with _Clock() as clock:
        rendered = [HTML(string=html).write_pdf() for html in documents]
        writer = PdfWriter()
        writer.append(PdfReader(io.BytesIO(rendered[0])))
        for paper, attachment in zip(rendered[1:], attachments, strict=True):
            writer.append(PdfReader(io.BytesIO(paper)))
            writer.append(PdfReader(io.BytesIO(attachment)))
        out = io.BytesIO()
        writer.write(out)
    return clock


def _rss_kb() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _peak_memory_in_child(work) -> tuple[float, float]:
    """(peak RSS MB, rise over the child's RSS before the work, MB) of ``work`` run in a forked child."""
    from django.db import connections

    connections.close_all()  # the child opens its own connection
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        code = 0
        try:
            before = _rss_kb()
            work()
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            os.write(write, f"{peak} {before}".encode())
        except BaseException as exc:  # noqa: BLE001 - report, never return into the parent's code
            os.write(write, f"error {exc!r}".encode())
            code = 1
        finally:
            os.close(write)
            connections.close_all()
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as handle:
        message = handle.read()
    os.waitpid(pid, 0)
    if message.startswith("error"):
        raise RuntimeError(f"benchmark child failed: {message}")
    peak, before = (int(v) for v in message.split())
    return peak / 1024, (peak - before) / 1024


def run() -> None:
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    meeting, _secretary = _setup()
    documents, attachments = _baseline_inputs(meeting)
    # Warm up fonts and caches once for both sides.
    _baseline(documents[:2], attachments[:1])

    baselines, builds = [], []
    for _ in range(REPEAT):  # interleaved, so a busy spell on the machine hits both sides
        baselines.append(_baseline(documents, attachments))
        builds.append(_full_build(meeting))

    from board.models import AgendaItem

    rebuilds = []
    for n in range(REPEAT):
        item = AgendaItem.objects.filter(meeting=meeting).order_by("order")[n * 7 % ITEMS]
        idea = item.idea
        idea.solution = f"{idea.solution} Revised after comments ({n})."
        idea.save()
        rebuilds.append(_build(meeting))
    pack = meeting.packs.order_by("-number").first()

    def median(clocks, attr):
        return statistics.median(getattr(c, attr) for c in clocks)

    build_peak, build_rise = _peak_memory_in_child(lambda: _full_build(meeting))
    base_peak, base_rise = _peak_memory_in_child(lambda: _baseline(documents, attachments))

    base_cpu, build_cpu, rebuild_cpu = (median(x, "cpu") for x in (baselines, builds, rebuilds))
    base_wall, build_wall, rebuild_wall = (median(x, "wall") for x in (baselines, builds, rebuilds))
    report("pack baseline, WeasyPrint renders the same HTML + pypdf merge (CPU)", base_cpu, "s")
    report(f"pack full build, {ITEMS} items, {pack.page_count} pages (CPU)", build_cpu, "s",
           baseline=base_cpu, baseline_name="weasyprint+pypdf baseline")
    report("pack full build (wall clock)", build_wall, "s", baseline=base_wall,
           baseline_name="weasyprint+pypdf baseline wall clock")
    report("pack rebuild after one paper changed (CPU)", rebuild_cpu, "s", baseline=build_cpu,
           baseline_name="full build")
    report("pack rebuild after one paper changed (wall clock)", rebuild_wall, "s", baseline=build_wall,
           baseline_name="full build wall clock")
    report("pack baseline peak memory (RSS)", base_peak, "MB")
    report("pack full build peak memory (RSS)", build_peak, "MB", baseline=base_peak, baseline_name="baseline peak RSS")
    report("pack full build memory rise during build", build_rise, "MB", baseline=base_rise or None,
           baseline_name="baseline rise")
