"""Charts drawn on the server as SVG, readable without JavaScript.

Each function turns figures into a ``Chart``: a list of plain shapes (rect,
text, line, circle) that ``templates/portfolio/includes/chart.html`` writes out
as ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that states the
figures in words. Pages always show the same figures in a table beneath.
Colours are GOV.UK colours with at least 3:1 contrast against white.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

PALETTE = ["#1d70b8", "#00703c", "#4c2c92", "#d4351c", "#003078", "#912b88", "#505a5f", "#6f72af", "#0b0c0c"]
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
AXIS = "#505a5f"
LABEL_CHARS = 30
Number = int | float | Decimal


@dataclass
class Chart:
    slug: str
    title: str
    desc: str
    width: int
    height: int
    shapes: list[dict] = field(default_factory=list)

    def rect(self, x, y, w, h, fill) -> None:
        self.shapes.append({"kind": "rect", "x": _r(x), "y": _r(y), "w": _r(max(w, 0)), "h": _r(max(h, 0)), "fill": fill})

    def text(self, x, y, text, *, anchor="start", bold=False, size=14, rotate=False, fill=TEXT) -> None:
        self.shapes.append({"kind": "text", "x": _r(x), "y": _r(y), "text": str(text), "anchor": anchor,
                            "bold": bold, "size": size, "rotate": rotate, "fill": fill})

    def line(self, x1, y1, x2, y2, *, stroke=GRID, dashed=False) -> None:
        self.shapes.append({"kind": "line", "x1": _r(x1), "y1": _r(y1), "x2": _r(x2), "y2": _r(y2), "stroke": stroke,
                            "dashed": dashed})

    def circle(self, cx, cy, r, fill) -> None:
        self.shapes.append({"kind": "circle", "cx": _r(cx), "cy": _r(cy), "r": _r(r), "fill": fill})

    @property
    def empty(self) -> bool:
        return not any(s["kind"] in ("rect", "circle") for s in self.shapes)


def _r(value) -> float:
    return round(float(value), 1)


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def nice_max(value: Number) -> float:
    """A round number at or above ``value`` for the end of an axis."""
    value = float(value)
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def money_short(value: Number) -> str:
    """A short axis label ("£250k", "-£1.5m"): not for figures people read in full (see core.money)."""
    value = float(value)
    sign, size = ("-" if value < 0 else ""), abs(value)
    if round(size) >= 999_500:
        text = f"£{size / 1_000_000:.1f}m".replace(".0m", "m")
    elif round(size) >= 1_000:
        text = f"£{size / 1_000:.0f}k"
    else:
        text = f"£{size:,.0f}"
    return f"{sign}{text}" if text not in ("£0", "£0k") else "£0"


def count_text(value: Number) -> str:
    return f"{float(value):,.0f}"


def days_text(value: Number) -> str:
    return f"{float(value):,.1f} days"


def _describe(pairs: Sequence[tuple[str, str]], limit: int = 20) -> str:
    shown = [f"{label}: {text}" for label, text in pairs[:limit]]
    more = len(pairs) - limit
    if more > 0:
        shown.append(f"and {more} more in the table below")
    return "; ".join(shown) + "." if shown else "No figures for these filters."


def horizontal_bars(
    slug: str, title: str, rows: Sequence[tuple[str, Number]], *, fmt: Callable[[Number], str] = count_text,
    colour: str = PALETTE[0], centred: bool = False, width: int = 720,
) -> Chart:
    """One bar per row. ``centred`` draws a funnel: bars centred on one axis."""
    label_w, value_w, bar_h, gap, top = 240, 90, 26, 10, 10
    height = top + len(rows) * (bar_h + gap) + 10
    chart = Chart(slug, title, _describe([(label, fmt(value)) for label, value in rows]), width, max(height, 60))
    plot_w = width - label_w - value_w
    top_value = nice_max(max((float(v) for _, v in rows), default=0))
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar_h + gap)
        bar_w = plot_w * float(value) / top_value
        x = label_w + (plot_w - bar_w) / 2 if centred else label_w
        chart.text(label_w - 8, y + bar_h * 0.68, _short(label), anchor="end")
        chart.rect(x, y, bar_w, bar_h, colour)
        chart.text(x + bar_w + 6 if not centred else label_w + plot_w + 6, y + bar_h * 0.68, fmt(value))
    if not centred:
        chart.line(label_w, top - 4, label_w, top + len(rows) * (bar_h + gap) - gap + 4, stroke=AXIS)
    return chart


def grouped_bars(
    slug: str, title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[Number]]], *,
    fmt: Callable[[Number], str] = count_text, stacked: bool = False, width: int = 720,
) -> Chart:
    """Horizontal bars per category, one per series side by side (or stacked end to end), with a legend."""
    label_w, value_w, gap, legend_h = 240, 100, 14, 34
    bar_h = 20 if not stacked else 24
    group_h = bar_h * (1 if stacked else len(series))
    height = legend_h + len(categories) * (group_h + gap) + 10
    pairs = []
    for index, category in enumerate(categories):
        parts = ", ".join(f"{name} {fmt(values[index])}" for name, values in series)
        pairs.append((category, parts))
    chart = Chart(slug, title, _describe(pairs), width, max(height, 70))
    _legend(chart, [name for name, _ in series], y=8, per_row=max(len(series), 1))
    plot_w = width - label_w - value_w
    if stacked:
        top_value = nice_max(max((sum(float(v[i]) for _, v in series) for i in range(len(categories))), default=0))
    else:
        top_value = nice_max(max((float(x) for _, values in series for x in values), default=0))
    for index, category in enumerate(categories):
        y = legend_h + index * (group_h + gap)
        chart.text(label_w - 8, y + group_h / 2 + 5, _short(category), anchor="end")
        x = label_w
        for s_index, (_, values) in enumerate(series):
            bar_w = plot_w * float(values[index]) / top_value
            colour = PALETTE[s_index % len(PALETTE)]
            if stacked:
                chart.rect(x, y, bar_w, bar_h, colour)
                x += bar_w
            else:
                by = y + s_index * bar_h
                chart.rect(label_w, by, bar_w, bar_h - 2, colour)
                chart.text(label_w + bar_w + 6, by + bar_h * 0.7, fmt(values[index]), size=12)
        if stacked:
            chart.text(x + 6, y + bar_h * 0.7, fmt(sum(float(v[index]) for _, v in series)))
    chart.line(label_w, legend_h - 4, label_w, legend_h + len(categories) * (group_h + gap) - gap + 4, stroke=AXIS)
    return chart


def stacked_columns(
    slug: str, title: str, columns: Sequence[str], series: Sequence[tuple[str, Sequence[Number]]], *,
    width: int = 720, height: int = 320,
) -> Chart:
    """Vertical columns (for example one per month), each stacked from several series, with a legend."""
    left, right, bottom = 50, 10, 40
    legend_rows = math.ceil(len(series) / 3) if series else 1
    top = 14 + legend_rows * 22
    totals = [sum(float(values[i]) for _, values in series) for i in range(len(columns))]
    pairs = []
    for index, column in enumerate(columns):
        parts = [f"{name} {count_text(values[index])}" for name, values in series if values[index]]
        pairs.append((column, f"{count_text(totals[index])} in all" + (f" ({', '.join(parts)})" if parts else "")))
    chart = Chart(slug, title, _describe(pairs, limit=36), width, height + top)
    _legend(chart, [name for name, _ in series], y=8, per_row=3)
    plot_h = height - bottom
    plot_w = width - left - right
    top_value = max(nice_max(max(totals, default=0)), 4.0)  # whole numbers on the axis for small counts
    for tick in range(5):
        value = top_value * tick / 4
        y = top + plot_h - plot_h * tick / 4
        chart.line(left, y, left + plot_w, y, dashed=tick > 0)
        chart.text(left - 6, y + 5, count_text(value) if value == int(value) else f"{value:.1f}", anchor="end", size=12)
    slot = plot_w / max(len(columns), 1)
    col_w = min(slot * 0.7, 48)
    every = max(1, math.ceil(len(columns) / 12))
    for index, column in enumerate(columns):
        x = left + slot * index + (slot - col_w) / 2
        y = top + plot_h
        for s_index, (_, values) in enumerate(series):
            h = plot_h * float(values[index]) / top_value
            y -= h
            chart.rect(x, y, col_w, h, PALETTE[s_index % len(PALETTE)])
        if index % every == 0:
            chart.text(x + col_w / 2, top + plot_h + 18, column, anchor="middle", size=12)
    return chart


def scatter(
    slug: str, title: str, points: Sequence[tuple[str, Number, Number]], *, x_label: str, y_label: str,
    x_fmt: Callable[[Number], str] = money_short, y_max: float = 5.0, width: int = 720, height: int = 420,
) -> Chart:
    """Numbered points (label, x, y): value (y) against effort (x). Numbers match the table's rank column."""
    left, right, top, bottom = 60, 20, 20, 50
    described = [(f"{label}", f"score {float(y):.2f}, cost {x_fmt(x)}") for label, x, y in points]
    chart = Chart(slug, title, _describe(described, limit=25), width, height)
    plot_w, plot_h = width - left - right, height - top - bottom
    x_max = nice_max(max((float(x) for _, x, _ in points), default=0))
    for tick in range(5):
        x_value = x_max * tick / 4
        x = left + plot_w * tick / 4
        chart.line(x, top, x, top + plot_h, dashed=tick > 0)
        chart.text(x, top + plot_h + 18, x_fmt(x_value), anchor="middle", size=12)
    for tick in range(int(y_max) + 1):
        y = top + plot_h - plot_h * tick / y_max
        chart.line(left, y, left + plot_w, y, dashed=tick > 0)
        chart.text(left - 8, y + 5, str(tick), anchor="end", size=12)
    chart.text(left + plot_w / 2, height - 6, x_label, anchor="middle", bold=True)
    chart.text(16, top + plot_h / 2, y_label, anchor="middle", bold=True, size=13, rotate=True)
    # Where the "high value, low cost" corner is, in words, not only by position.
    chart.text(left + 8, top + 16, "Higher value, lower cost", size=12)
    for label, x_value, y_value in points:
        cx = left + plot_w * float(x_value) / x_max
        cy = top + plot_h - plot_h * float(y_value) / y_max
        chart.circle(cx, cy, 11, PALETTE[0])
        chart.text(cx, cy + 4, label, anchor="middle", bold=True, size=11, fill="#ffffff")
    return chart


def _legend(chart: Chart, names: Sequence[str], *, y: float, per_row: int = 4) -> None:
    col_w = (chart.width - 20) / per_row
    for index, name in enumerate(names):
        row, col = divmod(index, per_row)
        x = 10 + col * col_w
        top = y + row * 22
        chart.rect(x, top, 14, 14, PALETTE[index % len(PALETTE)])
        chart.text(x + 20, top + 12, _short(name, int((col_w - 26) / 7)), size=13)
