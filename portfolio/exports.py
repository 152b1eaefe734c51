"""CSV and XLSX exports of the idea list, in bounded memory.

Rows come from ``ideas.selectors.filtered_ideas`` (so exactly the ideas the
person may see, with the list's filters) through ``.iterator(chunk_size=…)``:
a chunk of ideas at a time, with their departments and systems prefetched per
chunk. CSV is streamed as it is written; XLSX is written row by row by
openpyxl's write-only workbook to a temporary file, then streamed from disk.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from harrow_innovation.people.models import User
from ideas.models import Idea, IdeaCentralSystem, Source
from ideas.selectors import IdeaFilters, filtered_ideas

CHUNK = 1000
ROWS_PER_WRITE = 500
HEADER = [
    "Reference", "Title", "Stage", "Department", "Departments it serves", "Where it came from", "Submitted",
    "Confidential", "Weighted score", "Reviews", "Cash savings per year (£)", "One-off cost (£)",
    "Recurring cost per year (£)", "Integration cost (£)", "Central systems", "Owner",
]
SOURCES = dict(Source.choices)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_queryset(user: User, filters: IdeaFilters) -> QuerySet[Idea]:
    return filtered_ideas(user, filters).prefetch_related(
        "departments", Prefetch("system_links", queryset=IdeaCentralSystem.objects.select_related("system"))
    )


def _date(value: datetime | None):
    return timezone.localtime(value).date() if value else None


def idea_row(idea: Idea) -> list:
    return [
        f"IDEA-{idea.pk:05d}",
        idea.title,
        idea.stage.name,
        idea.department.name if idea.department_id else "",
        "; ".join(sorted(d.name for d in idea.departments.all())),
        SOURCES.get(idea.source, ""),
        _date(idea.submitted_at),
        "Yes" if idea.is_confidential else "No",
        idea.weighted_score,
        idea.review_count,
        idea.cash_savings_per_year,
        idea.one_off_cost,
        idea.recurring_cost,
        idea.integration_cost,
        "; ".join(link.system.name for link in idea.system_links.all()),
        str(idea.owner),
    ]


def rows(user: User, filters: IdeaFilters) -> Iterator[list]:
    for idea in export_queryset(user, filters).iterator(chunk_size=CHUNK):
        yield idea_row(idea)


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


def csv_stream(data: Iterable[list]) -> Iterator[bytes]:
    """CSV as UTF-8 with a byte-order mark (so Excel reads the £ signs), a few hundred rows per chunk."""
    writer = csv.writer(_Echo())
    buffer = ["\ufeff", writer.writerow(HEADER)]
    for count, row in enumerate(data, start=1):
        buffer.append(writer.writerow([_csv_safe(v) for v in row]))
        if count % ROWS_PER_WRITE == 0:
            yield "".join(buffer).encode("utf-8")
            buffer = []
    if buffer:
        yield "".join(buffer).encode("utf-8")


def xlsx_file(data: Iterable[list]):
    """Write an XLSX workbook row by row (openpyxl write-only); return an open temporary file at its start."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Ideas")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title in HEADER:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
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


def filename(extension: str) -> str:
    return f"ideas-{timezone.localdate():%Y-%m-%d}.{extension}"
