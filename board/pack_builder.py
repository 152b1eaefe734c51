"""Turning a meeting into one agenda-pack PDF.

WeasyPrint renders HTML to PDF; pypdf merges. The steps:

1. Each item's paper is rendered to HTML from ``templates/board/papers/`` (the
   same body the members' HTML page shows). The HTML is deterministic (no
   timestamps), so its SHA-256 identifies the paper's content.
2. Papers whose hash has a :class:`~board.models.PaperRender` are reused; only
   the others go through WeasyPrint. A rebuild after one paper changed renders
   one paper plus the cover and agenda.
3. Each idea's PDF attachments are checked: a damaged or password-protected
   file is left out and named in the pack's warnings, never fatal. Only their
   pages go in, stripped of anything active (``harrow_innovation.core.pdf_safety``).
4. The cover and agenda are rendered last, with the page each paper starts on.
5. pypdf merges everything, adds a bookmark for every item and appendix, and
   stamps "Page X of Y" on every page so the numbering covers the whole pack,
   attachments included.

Everything here reads; the only writes are new PaperRender rows (a cache).
``board.packs`` owns the build's state.

Kept whole because it is one pipeline read top to bottom in the order above, and its steps
find each other through this module, where the fault tests replace one step at a time
(``render_pdf``, ``merge``, ``build``).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from harrow_innovation.core.money import format_money
from harrow_innovation.core.pdf_safety import strip_active_content
from ideas.models import Attachment, AttachmentKind, DataOutput, IdeaCentralSystem, Review, Score
from ideas.resource_models import resource_prefetches
from ideas.triage import overlaps_of_idea

from .models import AgendaItem, Meeting, PackVersion, PaperRender, item_start_times
from .paper_resources import capacity_flags, resource_rows, system_load

# Bump when something outside the paper HTML changes how papers render (e.g. WeasyPrint options),
# so cached renders are not reused across the change.
RENDERER_VERSION = "1"
NOT_GIVEN = "Not given"


class PackBuildError(Exception):
    """The pack cannot be built. The message says why, in words a secretary can act on."""

    def __init__(self, message: str, *, warnings: list[str] | None = None):
        super().__init__(message)
        self.warnings = warnings or []


class AttachmentSkipped(Exception):
    """An attachment that cannot go in the pack; the message completes "… was left out because …"."""


# --- Reading the meeting -------------------------------------------------------------


def items_queryset() -> QuerySet[AgendaItem]:
    """Agenda items with everything a paper shows, in a fixed number of queries."""
    reviews = (
        Review.objects.filter(status=Review.Status.SUBMITTED)
        .select_related("reviewer", "stage")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .order_by("submitted_at", "pk")
    )
    return (
        AgendaItem.objects.select_related(
            "meeting", "meeting__board", "presenter", "idea", "idea__owner", "idea__department"
        )
        .prefetch_related(
            "idea__departments",
            Prefetch("idea__system_links", queryset=IdeaCentralSystem.objects.select_related("system")),
            Prefetch("idea__data_outputs", queryset=DataOutput.objects.prefetch_related("valued_by")),
            *resource_prefetches("idea__"),
            Prefetch(
                "idea__attachments",
                queryset=Attachment.objects.filter(kind=AttachmentKind.PDF, is_removed=False).order_by("uploaded_at", "pk"),
                to_attr="pack_attachments",
            ),
            Prefetch("idea__reviews", queryset=reviews, to_attr="submitted_reviews"),
        )
        .order_by("order", "pk")
    )


def item_label(number: int, item: AgendaItem) -> str:
    return f"Item {number}, {item.title}"


# --- Paper content ---------------------------------------------------------------------


def _text(value) -> str:
    return value if value else NOT_GIVEN


def _date(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else NOT_GIVEN


def paper_context(item: AgendaItem, *, number: int) -> dict:
    """What a paper shows, as plain values, so the HTML page and the PDF say the same."""
    context = {
        "number": number,
        "item": item,
        "title": item.title,
        "meeting_title": item.meeting.display_title,
        "board_name": item.meeting.board.name,
        "presenter": item.presenter_display,
        "minutes": item.minutes_allotted,
        "recommendation": item.recommendation,
        "description": item.description,
        "is_idea": item.kind == AgendaItem.Kind.IDEA,
    }
    if not context["is_idea"]:
        return context
    idea = item.idea
    links = list(idea.system_links.all())
    systems_total = sum((link.integration_cost for link in links), Decimal("0"))
    savings, recurring = idea.cash_savings_per_year, idea.recurring_cost
    net = savings - recurring if savings is not None and recurring is not None else None
    load = system_load(idea, links)
    reviews = list(getattr(idea, "submitted_reviews", []))
    criteria: dict[int, dict] = {}
    for column, review in enumerate(reviews):
        for score in review.scores.all():
            row = criteria.setdefault(
                score.criterion_id,
                {"order": (score.criterion.order, score.criterion_id), "name": score.criterion.name,
                 "weight": score.weight, "scores": [""] * len(reviews)},
            )
            row["scores"][column] = str(score.score)
    context.update(
        {
            "idea": idea,
            "reference": idea.reference,
            "summary": [
                ("Reference", idea.reference),
                ("Title", idea.title),
                ("Put forward by", f"{idea.owner.full_name}" + (f", {idea.department.name}" if idea.department_id else "")),
                ("Departments it serves", ", ".join(d.name for d in sorted(idea.departments.all(), key=lambda d: d.name)) or NOT_GIVEN),
                ("Services it serves", _text(idea.services)),
                ("Where the idea came from", " – ".join(p for p in (idea.get_source_display(), idea.source_detail) if p) or NOT_GIVEN),
            ],
            "problem": _text(idea.problem),
            "solution": _text(idea.solution),
            "business_case": [
                ("Other benefits", _text(idea.other_benefits)),
                ("Timescale", _text(idea.timescale)),
                ("Start date", _date(idea.start_date)),
                ("End date", _date(idea.end_date)),
                ("Risks", _text(idea.risks)),
                ("How it stays future-proof", _text(idea.future_proofing)),
                *resource_rows(idea),
            ],
            "costs": [
                ("One-off cost", format_money(idea.one_off_cost, missing=NOT_GIVEN)),
                ("Integration with central systems", format_money(systems_total, missing=NOT_GIVEN)),
                ("Total one-off cost", format_money((idea.one_off_cost or Decimal("0")) + systems_total, missing=NOT_GIVEN)),
                ("Recurring cost per year", format_money(recurring, missing=NOT_GIVEN)),
                ("Cash savings per year", format_money(savings, missing=NOT_GIVEN)),
                ("Net saving per year", format_money(net, missing=NOT_GIVEN) if net is not None else "Not known"),
            ],
            "systems": [
                {"name": link.system.name, "note": link.integration_note,
                 "cost": format_money(link.integration_cost, missing=NOT_GIVEN)}
                for link in links
            ],
            "systems_total": format_money(systems_total, missing=NOT_GIVEN),
            "capacity_flags": capacity_flags(idea),
            "system_load": load,
            "system_load_flags": [flag for line in load for flag in line.flags],
            "overlaps": paper_overlaps(idea),
            "outputs": [
                {"description": output.description,
                 "valued_by": ", ".join(d.name for d in sorted(output.valued_by.all(), key=lambda d: d.name)) or NOT_GIVEN}
                for output in idea.data_outputs.all()
            ],
            "reviews": [
                {"reviewer": review.reviewer.full_name, "stage": review.stage.name,
                 "recommendation": review.get_recommendation_display() or NOT_GIVEN,
                 "score": f"{review.weighted_score:.2f}" if review.weighted_score is not None else NOT_GIVEN,
                 "comment": review.comment}
                for review in reviews
            ],
            "criteria": sorted(criteria.values(), key=lambda r: r["order"]),
            "overall_score": f"{idea.weighted_score:.2f}" if idea.weighted_score is not None else "Not scored",
            "attachments": [a.original_name for a in getattr(idea, "pack_attachments", [])],
        }
    )
    return context


def paper_overlaps(idea) -> list[dict]:
    """Overlapping and linked ideas for the paper, as plain values.

    A paper is one document for every member (and the pack may be filed or forwarded), so it
    names only ideas every member of staff may see: submitted, not confidential
    (``ideas.triage``, ``user=None``). No count of the others is given.
    """
    return [
        {"reference": o.idea.reference, "title": o.idea.title, "stage": o.idea.stage.name,
         "department": o.idea.department.name if o.idea.department_id else NOT_GIVEN,
         "owner": o.idea.owner.full_name, "reasons": o.reasons}
        for o in overlaps_of_idea(user=None, idea=idea)
    ]


def paper_html(item: AgendaItem, *, number: int) -> str:
    """The paper as a standalone HTML document for WeasyPrint. Deterministic: safe to hash."""
    return render_to_string("board/papers/paper_pdf.html", {"paper": paper_context(item, number=number)})


def content_hash(html: str) -> str:
    return hashlib.sha256(f"{RENDERER_VERSION}\n{html}".encode()).hexdigest()


def agenda_signature(meeting: Meeting, items: list[AgendaItem]) -> str:
    """A hash of what the cover and agenda show (not the version or page numbers)."""
    data = {
        "board": meeting.board.name,
        "title": meeting.display_title,
        "starts_at": meeting.starts_at.isoformat(),
        "duration": meeting.duration_minutes,
        "location": meeting.location,
        "online_link": meeting.online_link,
        "items": [[i.pk, i.title, i.presenter_display, i.minutes_allotted] for i in items],
    }
    return content_hash(json.dumps(data, sort_keys=True))


def meeting_hashes(meeting: Meeting, items: list[AgendaItem]) -> dict[str, str]:
    """{"agenda": …, "<item pk>": …}: what a pack version was built from."""
    hashes = {"agenda": agenda_signature(meeting, items)}
    for number, item in enumerate(items, start=1):
        hashes[str(item.pk)] = content_hash(paper_html(item, number=number))
    return hashes


# --- Rendering ---------------------------------------------------------------------------


def _refuse_fetch(url: str, *args, **kwargs):
    # Papers carry everything inline; never let content reach the network or the disk.
    raise ValueError(f"Fetching {url[:80]} is not allowed while building a pack.")


def render_document(html: str):
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_refuse_fetch).render()


def render_pdf(html: str) -> tuple[bytes, int]:
    """HTML to PDF bytes and a page count. Every WeasyPrint render of a pack goes through here."""
    document = render_document(html)
    return document.write_pdf(), len(document.pages)


@dataclass
class Paper:
    item: AgendaItem
    number: int
    html: str
    hash: str
    pdf: bytes = b""
    pages: int = 0
    appendices: list[tuple[str, bytes, int]] = field(default_factory=list)


@dataclass
class BuildResult:
    page_count: int
    warnings: list[str]
    rendered: int  # papers that went through WeasyPrint (the rest came from the cache)


def _paper_pdf(paper: Paper, cached: dict[tuple[int, str], PaperRender]) -> bool:
    """Fill in the paper's PDF from the cache, or render and cache it. True if rendered."""
    hit = cached.get((paper.item.pk, paper.hash))
    if hit is not None:
        try:
            with hit.file.open("rb") as handle:
                paper.pdf, paper.pages = handle.read(), hit.page_count
            return False
        except OSError:
            hit.delete()  # the cached file went missing: render again
    try:
        paper.pdf, paper.pages = render_pdf(paper.html)
    except Exception as exc:
        raise PackBuildError(
            f"{item_label(paper.number, paper.item)}: the paper could not be turned into a PDF "
            f"({type(exc).__name__}: {str(exc)[:200]}). Check the idea’s text for anything unusual, then try again."
        ) from exc
    name = default_storage.save(
        f"papers/{paper.item.meeting_id}/item-{paper.item.pk}-{paper.hash[:16]}.pdf", ContentFile(paper.pdf)
    )
    try:
        with transaction.atomic():
            PaperRender.objects.create(item=paper.item, content_hash=paper.hash, file=name, page_count=paper.pages)
    except IntegrityError:  # another build cached the same content a moment ago
        default_storage.delete(name)
    return True


def read_attachment(attachment: Attachment) -> tuple[bytes, int]:
    """The attachment as clean PDF bytes and its page count, or AttachmentSkipped."""
    from pypdf import PdfReader

    try:
        with attachment.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError) as exc:
        raise AttachmentSkipped("the file could not be found") from exc
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:
                opened = 0
            if not opened:
                raise AttachmentSkipped("it is protected by a password")
        pages = len(reader.pages)
        if not pages:
            raise AttachmentSkipped("it has no pages")
        # Write it out on its own first: damage that only shows when writing fails here,
        # not halfway through the whole pack. Only its pages go in, without anything active.
        return strip_active_content(reader), pages
    except AttachmentSkipped:
        raise
    except Exception as exc:
        raise AttachmentSkipped("it is damaged and could not be read") from exc


def start_clocks(meeting: Meeting, items: list[AgendaItem]) -> list[str]:
    """Each item's start as the pack's agenda prints it (2pm, 2:15pm); the agenda page shows the same."""
    return [_clock(timezone.localtime(start)) for start in item_start_times(meeting, items)]


def _clock(moment) -> str:
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def estimate_front_pages(papers: list[Paper], warnings: list[str]) -> int:
    """A first guess at the cover and agenda's length, so they are usually rendered once.

    Only speed depends on it: the build renders again if the guess was wrong.
    """
    height = 90 + 40 * len(papers) + 20 * sum(len(p.appendices) for p in papers)  # points, A4 less margins ≈ 700
    if warnings:
        height += 80 + 30 * len(warnings)
    return 1 + max(1, math.ceil(height / 700))


def front_html(pack: PackVersion, papers: list[Paper], *, front_pages: int, warnings: list[str]) -> str:
    meeting = pack.meeting
    local = timezone.localtime(meeting.starts_at)
    end = local + timedelta(minutes=meeting.duration_minutes)
    page = front_pages + 1
    rows = []
    times = start_clocks(meeting, [p.item for p in papers])
    for paper, start in zip(papers, times, strict=True):
        appendix_rows = []
        appendix_page = page + paper.pages
        for name, _data, pages in paper.appendices:
            appendix_rows.append({"name": name, "page": appendix_page})
            appendix_page += pages
        rows.append({"paper": paper, "start": start, "page": page, "appendices": appendix_rows})
        page = appendix_page
    context = {
        "pack": pack,
        "meeting": meeting,
        "board_name": meeting.board.name,
        "date": f"{local:%A} {local.day} {local:%B %Y}",
        "time": f"{_clock(local)} to {_clock(end)}",
        "rows": rows,
        "total_minutes": sum(p.item.minutes_allotted for p in papers),
        "warnings": warnings,
    }
    return render_to_string("board/packs/front_pdf.html", context)


# --- Merging ---------------------------------------------------------------------------


# Helvetica advance widths (1/1000 em) for the characters "Page X of Y" uses.
_HELVETICA = {**dict.fromkeys("0123456789aego", 556), "P": 667, " ": 278, "f": 278}


def _stream(writer, data: bytes):
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def _page_matrix(page) -> tuple[list[float], float, float]:
    """A matrix from the page as displayed (rotation applied) to its user space, and the displayed size."""
    box = page.cropbox
    llx, lly = float(box.left), float(box.bottom)
    width, height = float(box.width), float(box.height)
    rotate = int(page.get("/Rotate", 0) or 0) % 360
    if rotate == 90:
        return [0, 1, -1, 0, llx + width, lly], height, width
    if rotate == 180:
        return [-1, 0, 0, -1, llx + width, lly + height], width, height
    if rotate == 270:
        return [0, -1, 1, 0, llx, lly + height], height, width
    return [1, 0, 0, 1, llx, lly], width, height


def stamp_page_numbers(writer) -> None:
    """Write "Page X of Y" at the foot of every page, on a white patch so it reads over anything."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    total = len(writer.pages)
    size = 9
    opening = _stream(writer, b"q\n")
    for index, page in enumerate(writer.pages):
        resources = page.get("/Resources")
        if resources is None:
            resources = DictionaryObject()
            page[NameObject("/Resources")] = resources
        resources = resources.get_object()
        fonts = resources.get("/Font")
        if fonts is None:
            fonts = DictionaryObject()
            resources[NameObject("/Font")] = fonts
        fonts.get_object()[NameObject("/HIPageNo")] = font
        text = f"Page {index + 1} of {total}"
        width = sum(_HELVETICA.get(ch, 556) for ch in text) * size / 1000
        matrix, page_width, _height = _page_matrix(page)
        x = page_width - 40 - width
        y = 16
        overlay = (
            "Q q {m} cm 1 g {bx:.2f} {by:.2f} {bw:.2f} {bh:.2f} re f 0 g "
            "BT /HIPageNo {size} Tf {x:.2f} {y:.2f} Td ({text}) Tj ET Q\n"
        ).format(
            m=" ".join(f"{v:g}" for v in matrix), bx=x - 4, by=y - 4, bw=width + 8, bh=size + 7,
            size=size, x=x, y=y, text=text,
        )
        contents = page.get("/Contents")
        parts: list = []
        if contents is not None:
            target = contents.get_object()
            if isinstance(target, ArrayObject):
                parts = list(target)
            elif isinstance(contents, IndirectObject):
                parts = [contents]
            elif isinstance(target, StreamObject):
                parts = [writer._add_object(target)]
        page[NameObject("/Contents")] = ArrayObject([opening, *parts, _stream(writer, ("\n" + overlay).encode("latin-1"))])


def merge(pack: PackVersion, front: bytes, agenda_page: int, papers: list[Paper], out_path: str) -> int:
    """Merge the cover, agenda, papers and appendices into ``out_path``; return the page count."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front)), import_outline=False)
    writer.add_outline_item(title="Cover", page_number=0)
    writer.add_outline_item(title="Agenda", page_number=agenda_page)
    for paper in papers:
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(paper.pdf)), import_outline=False)
        parent = writer.add_outline_item(title=item_label(paper.number, paper.item), page_number=start)
        for name, data, _pages in paper.appendices:
            at = len(writer.pages)
            writer.append(PdfReader(io.BytesIO(data)), import_outline=False)
            writer.add_outline_item(title=f"Appendix: {name}", page_number=at, parent=parent)
    stamp_page_numbers(writer)
    writer.add_metadata(
        {
            "/Title": f"Agenda pack: {pack.meeting.display_title} (version {pack.number})",
            "/Author": "London Borough of Harrow",
            "/Creator": "Harrow Innovation Pipeline",
        }
    )
    writer.page_mode = "/UseOutlines"
    with open(out_path, "wb") as handle:
        writer.write(handle)
    return len(writer.pages)


def build(
    pack: PackVersion,
    *,
    out_path: str,
    heartbeat: Callable[[], None] = lambda: None,
    on_hashes: Callable[[dict], None] = lambda hashes: None,
) -> BuildResult:
    """Build ``pack`` into the file at ``out_path``. Raises PackBuildError with a readable reason."""
    meeting = pack.meeting
    items = list(items_queryset().filter(meeting_id=meeting.pk))
    if not items:
        raise PackBuildError("The agenda has no items, so there is nothing to put in a pack. Add items, then try again.")
    papers: list[Paper] = []
    hashes = {"agenda": agenda_signature(meeting, items)}
    for number, item in enumerate(items, start=1):
        try:
            html = paper_html(item, number=number)
        except Exception as exc:
            raise PackBuildError(
                f"{item_label(number, item)}: the paper could not be prepared ({type(exc).__name__}: {str(exc)[:200]})."
            ) from exc
        paper = Paper(item=item, number=number, html=html, hash=content_hash(html))
        hashes[str(item.pk)] = paper.hash
        papers.append(paper)
    on_hashes(hashes)

    cached = {
        (r.item_id, r.content_hash): r
        for r in PaperRender.objects.filter(item_id__in=[p.item.pk for p in papers], content_hash__in=[p.hash for p in papers])
    }
    rendered = 0
    for paper in papers:
        heartbeat()
        rendered += _paper_pdf(paper, cached)

    warnings: list[str] = []
    for paper in papers:
        if not paper.item.idea_id:
            continue
        for attachment in getattr(paper.item.idea, "pack_attachments", []):
            heartbeat()
            try:
                data, pages = read_attachment(attachment)
            except AttachmentSkipped as skipped:
                warnings.append(
                    f"{item_label(paper.number, paper.item)}: “{attachment.original_name}” was left out because {skipped}."
                )
                continue
            paper.appendices.append((attachment.original_name, data, pages))

    # The agenda lists the page each paper starts on, which depends on how long the
    # agenda is: render until the agenda's length stops changing (once, nearly always).
    heartbeat()
    front_pages = estimate_front_pages(papers, warnings)
    for _attempt in range(4):
        try:
            document = render_document(front_html(pack, papers, front_pages=front_pages, warnings=warnings))
        except Exception as exc:
            raise PackBuildError(
                f"The cover and agenda could not be turned into a PDF ({type(exc).__name__}: {str(exc)[:200]}).",
                warnings=warnings,
            ) from exc
        if len(document.pages) == front_pages:
            break
        front_pages = len(document.pages)
    else:
        raise PackBuildError("The agenda’s page numbers could not be worked out. Try again.", warnings=warnings)
    agenda_page = next((n for n, page in enumerate(document.pages) if "agenda" in page.anchors), min(1, front_pages - 1))
    front = document.write_pdf()

    heartbeat()
    page_count = merge(pack, front, agenda_page, papers, out_path)
    return BuildResult(page_count=page_count, warnings=warnings, rendered=rendered)
