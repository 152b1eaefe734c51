"""Capacity rows for the CSV and XLSX exports: one row per team and quarter."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from harrow_innovation.core.quarters import quarter_code, quarter_label
from ideas.capacity import TeamRow

HEADER = ["Department", "Team", "Quarter", "Quarter starts", "Capacity (days)", "Approved and in delivery (days)",
          "Ready for the Board (days)", "If those were approved (days)", "Over capacity now",
          "Over capacity if approved"]


TENTH = Decimal("0.1")


def _days(value: Decimal | None):
    return "" if value is None else Decimal(value).quantize(TENTH)


def _flag(over: bool) -> str:
    return "Yes" if over else "No"


def rows(table: list[TeamRow]) -> Iterator[list]:
    for row in table:
        for cell in row.cells:
            yield [row.team.department.name, row.team.name, quarter_label(cell.quarter), quarter_code(cell.quarter),
                   _days(cell.capacity), _days(cell.committed), _days(cell.ready), _days(cell.if_approved),
                   _flag(cell.over_now), _flag(cell.over_if_approved)]
