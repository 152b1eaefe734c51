"""How an ask for staff time reads in a sentence, the same on every page and paper."""

from __future__ import annotations

from decimal import Decimal

from harrow_innovation.core.quarters import days_text, quarter_label


def ask_summary(ask) -> str:
    """“12 days: April to June 2026 (5 days), July to September 2026 (7 days)”, or “No days asked”."""
    rows = list(ask.quarters.all())
    if not rows:
        return "No days asked"
    total = sum((row.days for row in rows), Decimal("0"))
    parts = ", ".join(f"{quarter_label(row.quarter)} ({days_text(row.days)})" for row in rows)
    return f"{days_text(total)}: {parts}"
