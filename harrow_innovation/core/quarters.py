"""Quarters of the council's financial year (April to June is Q1) and the rule for staff days.

A quarter is stored as the date it starts (1 April, 1 July, 1 October or 1 January),
so it sorts, compares and joins as a date. Days are working days a team gives in a
quarter: from 0 to 65 (a quarter has about 65 working days) in half days.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

QUARTER_START_MONTHS = (1, 4, 7, 10)
MAX_DAYS = Decimal("65")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")


def quarter_of(day: date) -> date:
    """The first day of the quarter ``day`` falls in."""
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def next_quarter(quarter: date) -> date:
    month = quarter.month + 3
    return date(quarter.year + (month > 12), (month - 1) % 12 + 1, 1)


def quarters_between(start: date, end: date) -> list[date]:
    """Every quarter from the one ``start`` is in to the one ``end`` is in, inclusive."""
    out, quarter, last = [], quarter_of(start), quarter_of(end)
    while quarter <= last:
        out.append(quarter)
        quarter = next_quarter(quarter)
    return out


def is_quarter_start(day: date) -> bool:
    return day.day == 1 and day.month in QUARTER_START_MONTHS


def quarter_label(quarter: date) -> str:
    """“April to June 2026”."""
    end_month = _MONTH_NAMES[quarter.month + 1]
    return f"{_MONTH_NAMES[quarter.month - 1]} to {end_month} {quarter.year}"


def quarter_code(quarter: date) -> str:
    """A stable key for URLs, exports and forms: ``2026-04``."""
    return f"{quarter:%Y-%m}"


def parse_quarter_code(code: str) -> date | None:
    try:
        year, month = (int(part) for part in code.split("-"))
        day = date(year, month, 1)
    except (ValueError, TypeError):
        return None
    return day if is_quarter_start(day) else None


def days_error(value) -> str:
    """Why ``value`` is not an acceptable number of days ("" when it is)."""
    try:
        days = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "Enter the days as a number, like 5 or 2.5"
    if not days.is_finite():
        return "Enter the days as a number, like 5 or 2.5"
    if days < 0:
        return "The days cannot be negative"
    if days > MAX_DAYS:
        return f"The days must be {MAX_DAYS} or fewer: a quarter has about 65 working days"
    if days * 2 != (days * 2).to_integral_value():
        return "Enter the days in whole or half days, like 3 or 3.5"
    return ""


def validate_days(value) -> None:
    """A model field validator: the days rule, so admin forms refuse what the pages refuse."""
    from django.core.exceptions import ValidationError

    problem = days_error(value)
    if problem:
        raise ValidationError(problem)


def days_text(days) -> str:
    """“1 day”, “2.5 days”, “0 days”."""
    value = Decimal(str(days))
    number = f"{int(value)}" if value == value.to_integral_value() else f"{value.normalize()}"
    return f"{number} day{'' if number == '1' else 's'}"
