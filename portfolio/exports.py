"""CSV and XLSX exports of the idea list, in bounded memory.

Rows come from ``ideas.selectors.filtered_ideas`` (so exactly the ideas the
person may see, with the list's filters) through ``.iterator(chunk_size=…)``:
a chunk of ideas at a time as plain tuples, with their departments and
systems fetched per chunk. CSV is streamed as it is written; XLSX is written row by row by
openpyxl's write-only workbook to a temporary file, then streamed from disk.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal

from django.db.models import F, QuerySet
from django.utils import timezone

from harrow_innovation.people.models import User
from ideas.models import Idea, IdeaCentralSystem, Source
from ideas.selectors import IdeaFilters, filtered_ideas
from ideas.selectors_joins import links_by_idea, merged_into_by_idea

from . import exports_data, exports_load, exports_overlaps

CHUNK = 1000
ROWS_PER_WRITE = 500
HEADER = [
    "Reference", "Title", "Stage", "Department", "Departments it serves", "Where it came from", "Submitted",
    "Confidential", "Weighted score", "Reviews", "Cash savings per year (£)", "One-off cost (£)",
    "Recurring cost per year (£)", "Integration cost (£)", "Central systems", "Owner",
    "Linked ideas", "Merged into",
    *exports_data.HEADER,
    *exports_load.HEADER,
    *exports_overlaps.IDEA_HEADER,
]
SOURCES = dict(Source.choices)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


COLUMNS = (
    "pk", "title", "stage__name", "department__name", "source", "submitted_at", "is_confidential", "weighted_score",
    "review_count", "cash_savings_per_year", "one_off_cost", "recurring_cost", "integration_cost", "owner__full_name",
    "owner__email",
)


def export_queryset(user: User, filters: IdeaFilters) -> QuerySet:
    """The idea list's rows as plain tuples: no model instances, so a chunk costs little to build."""
    return filtered_ideas(user=user, filters=filters).values_list(*COLUMNS)


def _date(value: datetime | None):
    return timezone.localtime(value).date() if value else None


def _names_by_idea(queryset, ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    for idea_id, name in queryset.filter(idea_id__in=ids).values_list("idea_id", "name"):
        names.setdefault(idea_id, []).append(name)
    return names


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def rows(user: User, filters: IdeaFilters) -> Iterator[list]:
    """Export rows, a chunk of ideas at a time: one query streams the ideas (a server-side cursor on
    PostgreSQL), and four more per chunk fetch the chunk's departments served, central systems, links to
    ideas the user may see, and merges (and three its data outputs and data needs, ``exports_data``; two the
    load on its central systems, ``exports_load``; two its kept overlaps, ``exports_overlaps``)."""
    served = Idea.departments.through.objects.annotate(name=F("department__name")).order_by("department__name")
    systems = IdeaCentralSystem.objects.annotate(name=F("system__name")).order_by("system__name")
    for chunk in _chunks(export_queryset(user, filters).iterator(chunk_size=CHUNK), CHUNK):
        ids = [row[0] for row in chunk]
        departments = _names_by_idea(served, ids)
        links = _names_by_idea(systems, ids)
        linked = links_by_idea(user=user, ids=ids)
        merged_into = merged_into_by_idea(user=user, ids=ids)
        data = exports_data.data_cells(user, ids)
        load = exports_load.load_cells(user, ids)
        overlapping = exports_overlaps.overlap_cells(user, ids)
        for (pk, title, stage, department, source, submitted_at, confidential, score, reviews, savings, one_off,
             recurring, integration, owner_name, owner_email) in chunk:
            yield [
                f"IDEA-{pk:05d}", title, stage, department or "", "; ".join(departments.get(pk, [])),
                SOURCES.get(source, ""), _date(submitted_at), "Yes" if confidential else "No", score, reviews,
                savings, one_off, recurring, integration, "; ".join(links.get(pk, [])), owner_name or owner_email,
                "; ".join(linked.get(pk, [])), merged_into.get(pk, ""),
                *data[pk],
                *load[pk],
                *overlapping[pk],
            ]


def _csv_safe(value) -> object:
    """Text a spreadsheet would run as a formula starts with a quote instead (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    if value is None:
        return ""
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(data: Iterable[list], *, header: list[str] = HEADER) -> Iterator[bytes]:
    """CSV as UTF-8 with a byte-order mark (so Excel reads the £ signs), a few hundred rows per chunk."""
    writer = csv.writer(_Echo())
    buffer = ["\ufeff", writer.writerow(header)]
    for count, row in enumerate(data, start=1):
        buffer.append(writer.writerow([_csv_safe(v) for v in row]))
        if count % ROWS_PER_WRITE == 0:
            yield "".join(buffer).encode("utf-8")
            buffer = []
    if buffer:
        yield "".join(buffer).encode("utf-8")


def xlsx_file(data: Iterable[list], *, header: list[str] = HEADER, title: str = "Ideas"):
    """Write an XLSX workbook row by row (openpyxl write-only); return an open temporary file at its start."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading_cells = []
    for heading in header:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = bold
        heading_cells.append(cell)
    sheet.append(heading_cells)
    for row in data:
        cells = []
        for value in row:
            if isinstance(value, Decimal):
                value = float(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text
            cells.append(cell)
        sheet.append(cells)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by the response
    workbook.save(handle)
    handle.seek(0)
    return handle


def filename(extension: str, *, name: str = "ideas") -> str:
    return f"{name}-{timezone.localdate():%Y-%m-%d}.{extension}"
