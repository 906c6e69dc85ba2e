"""The "differences in index points" chart as inline SVG, one panel per capacity sample.

The OECD (2021) drew high-minus-low differences as bars; we draw each outcome's difference as a
point with its confidence interval as a whisker, around a zero line, so a reader sees at once which
gaps are distinguishable from none; the cities behind each point (n per group) stand at the right.
The PSI and data-use samples get separate panels with their own axes, since the two indexes must
never be read against each other, and so do the two units: differences in shares are percentage
points, differences in min-max rescaled indicators are index points, and one axis never mixes them.
Labels wrap rather than being cut. Plain SVG with ``<title>`` and
``<desc>`` for screen readers and a ``<title>`` per whisker as a hover label; no script, no fonts or
files fetched.
"""

from __future__ import annotations

import html
import math
import textwrap

import numpy as np

from civicmeter.analysis.results import ComparisonRow, ResultTable, Row

WIDTH = 760
LABEL_WIDTH = 250
#: Characters per label line at 12 px: labels wrap onto more lines instead of being cut.
LABEL_CHARS = 34
N_WIDTH = 96
RIGHT_MARGIN = 16
LINE_HEIGHT = 14
ROW_PADDING = 12
PANEL_HEADER = 44
AXIS_HEIGHT = 34
UNIT_TITLES = {
    "percentage points": "Shares (differences in percentage points)",
    "index points": "Indicators rescaled min-max across the cities (differences in index points)",
}


def difference_chart(tables: list[ResultTable], *, chart_id: str = "differences") -> str:
    """An ``<svg>`` element with one panel per table and unit (one row per outcome).

    Shares (differences in percentage points) and min-max rescaled indicators (differences in
    index points) never share an axis: a point of one is not a point of the other.
    """
    panels, y = [], 0
    for number, (table, unit, rows) in enumerate(_panels(tables)):
        panel, height = _panel(table, unit, rows, y, f"{chart_id}-{number}")
        panels.append(panel)
        y += height + 16
    title = "Differences between high- and low-capacity cities, by unit"
    desc = "; ".join(_describe(table) for table in tables)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{y}" '
        f'viewBox="0 0 {WIDTH} {y}" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{html.escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{html.escape(desc)}</desc>' + "".join(panels) + "</svg>"
    )


def _panels(tables: list[ResultTable]) -> list[tuple[ResultTable, str, list[Row]]]:
    """(table, unit, rows) for every table and every unit its rows use, in order of appearance."""
    out = []
    for table in tables:
        units = list(dict.fromkeys(row.unit for row in table.rows))
        out += [(table, unit, [r for r in table.rows if r.unit == unit]) for unit in units]
    return out


def wrap_label(text: str) -> list[str]:
    """The label in lines of at most :data:`LABEL_CHARS` characters, breaking between words."""
    return textwrap.wrap(text, LABEL_CHARS, break_long_words=True) or [""]


def _panel(
    table: ResultTable, unit: str, rows: list[Row], top: float, panel_id: str
) -> tuple[str, float]:
    low, high = _extent(rows)
    ticks = _ticks(low, high)
    low, high = min(low, ticks[0]), max(high, ticks[-1])
    plot_left, plot_right = LABEL_WIDTH, WIDTH - RIGHT_MARGIN - N_WIDTH

    def x(value: float) -> float:
        return plot_left + (value - low) / (high - low) * (plot_right - plot_left)

    labels = [wrap_label(row.outcome_name) for row in rows]
    heights = [len(lines) * LINE_HEIGHT + ROW_PADDING for lines in labels]
    body_top = top + PANEL_HEADER
    body_bottom = body_top + sum(heights)
    unit_title = UNIT_TITLES.get(unit, unit)
    parts = [
        f'<g class="panel" id="{panel_id}">',
        f'<text x="0" y="{top + 16}" class="panel-title" font-weight="bold" font-size="14">'
        f"{html.escape(table.title)}</text>",
        f'<text x="0" y="{top + 34}" class="panel-unit" font-size="12">{html.escape(unit_title)}, '
        f"{html.escape(table.interval_label)}</text>",
        f'<text x="{WIDTH - RIGHT_MARGIN}" y="{top + 34}" text-anchor="end" font-size="11" '
        'class="n-header">n (high | low)</text>',
    ]
    for tick in ticks:
        parts.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{body_top}" y2="{body_bottom}" '
            'stroke="#ddd"/>'
            f'<text x="{x(tick):.1f}" y="{body_bottom + 16}" text-anchor="middle" '
            f'font-size="11">{_tick_label(tick)}</text>'
        )
    parts.append(
        f'<line class="zero" x1="{x(0):.1f}" x2="{x(0):.1f}" y1="{body_top}" y2="{body_bottom}" '
        'stroke="#333" stroke-dasharray="4 3"/>'
        f'<text x="{(plot_left + plot_right) / 2}" y="{body_bottom + 30}" text-anchor="middle" '
        f'font-size="11" class="axis-title">difference in {html.escape(unit)} (high minus low)'
        "</text>"
    )
    row_top = body_top
    for row, lines, height in zip(rows, labels, heights, strict=True):
        mid = row_top + height / 2
        first = mid - (len(lines) - 1) * LINE_HEIGHT / 2 + 4
        spans = "".join(
            f'<tspan x="{plot_left - 8}" dy="{0 if i == 0 else LINE_HEIGHT}">{html.escape(line)}'
            "</tspan>"
            for i, line in enumerate(lines)
        )
        parts.append(
            f'<text class="label" x="{plot_left - 8}" y="{first:.1f}" text-anchor="end" '
            f'font-size="12">{spans}</text>'
            f'<text class="n" x="{WIDTH - RIGHT_MARGIN}" y="{mid + 4:.1f}" text-anchor="end" '
            f'font-size="11">{_sizes(row)}</text>'
        )
        row_top += height
        if np.isnan(row.estimate) or np.isnan(row.ci_lower):
            parts.append(
                f'<text x="{x(0) + 6:.1f}" y="{mid + 4:.1f}" font-size="11" fill="#595959">'
                f"not estimated<title>{html.escape(row.reason or 'no interval')}</title></text>"
            )
            continue
        parts.append(_whisker(table, row, x, mid))
    parts.append("</g>")
    return "".join(parts), PANEL_HEADER + sum(heights) + AXIS_HEIGHT


def _whisker(table: ResultTable, row: Row, x, mid: float) -> str:
    label = (
        f"{row.outcome_name}: {row.estimate:+.1f} {row.unit} ({table.interval_label} "
        f"{row.ci_lower:+.1f} to {row.ci_upper:+.1f}; {_sizes(row)})"
    )
    colour = "#1f4e79"
    return (
        f'<g class="whisker"><title>{html.escape(label)}</title>'
        f'<line x1="{x(row.ci_lower):.1f}" x2="{x(row.ci_upper):.1f}" y1="{mid}" y2="{mid}" '
        f'stroke="{colour}" stroke-width="2"/>'
        f'<line x1="{x(row.ci_lower):.1f}" x2="{x(row.ci_lower):.1f}" y1="{mid - 5}" '
        f'y2="{mid + 5}" stroke="{colour}" stroke-width="2"/>'
        f'<line x1="{x(row.ci_upper):.1f}" x2="{x(row.ci_upper):.1f}" y1="{mid - 5}" '
        f'y2="{mid + 5}" stroke="{colour}" stroke-width="2"/>'
        f'<circle cx="{x(row.estimate):.1f}" cy="{mid}" r="5" stroke="{colour}" '
        f'stroke-width="2" fill="{colour if bool(row.reject) else "#fff"}"/></g>'
    )


def _sizes(row: Row) -> str:
    """n per group for a comparison ("n = 15 | 12"), n used for an adjusted estimate."""
    if isinstance(row, ComparisonRow):
        return f"n = {row.n_high} | {row.n_low}"
    return f"n = {row.n}"


def _extent(rows: list[Row]) -> tuple[float, float]:
    values = [0.0]
    for row in rows:
        values += [v for v in (row.estimate, row.ci_lower, row.ci_upper) if np.isfinite(v)]
    low, high = min(values), max(values)
    if high - low < 1e-9:
        return low - 1, high + 1
    return low, high


def _ticks(low: float, high: float) -> list[float]:
    """About five round tick values covering [low, high] (1, 2 or 5 times a power of ten)."""
    raw = (high - low) / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    count = math.ceil((high - first) / step) + 1
    return [round(first + i * step, 10) for i in range(count)]


def _tick_label(tick: float) -> str:
    return "0" if tick == 0 else f"{tick:+g}"


def _describe(table: ResultTable) -> str:
    shown = [
        f"{row.outcome_name} {row.estimate:+.1f} ({row.ci_lower:+.1f} to {row.ci_upper:+.1f})"
        for row in table.rows
        if np.isfinite(row.estimate) and np.isfinite(row.ci_lower)
    ]
    return f"{table.title}, {table.interval_label}: " + (", ".join(shown) or "nothing estimated")
