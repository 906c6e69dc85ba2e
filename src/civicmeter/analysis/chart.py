"""The "differences in index points" chart as inline SVG, one panel per capacity sample.

The OECD (2021) drew high-minus-low differences as bars; we draw each outcome's difference as a
point with its confidence interval as a whisker, around a zero line, so a reader sees at once which
gaps are distinguishable from none. The PSI and data-use samples get separate panels with their own
axes, since the two indexes must never be read against each other. Plain SVG with ``<title>`` and
``<desc>`` for screen readers and a ``<title>`` per whisker as a hover label; no script, no fonts or
files fetched.
"""

from __future__ import annotations

import html
import math

import numpy as np

from civicmeter.analysis.results import ResultTable

WIDTH = 760
LABEL_WIDTH = 280
RIGHT_MARGIN = 30
ROW_HEIGHT = 26
PANEL_HEADER = 30
AXIS_HEIGHT = 34


def difference_chart(tables: list[ResultTable], *, chart_id: str = "differences") -> str:
    """An ``<svg>`` element with one panel per table (one row per outcome)."""
    panels, y = [], 0
    for number, table in enumerate(tables):
        panel, height = _panel(table, y, f"{chart_id}-{number}")
        panels.append(panel)
        y += height + 16
    title = "Differences in index points between high- and low-capacity cities"
    desc = "; ".join(_describe(table) for table in tables)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{y}" '
        f'viewBox="0 0 {WIDTH} {y}" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{html.escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{html.escape(desc)}</desc>' + "".join(panels) + "</svg>"
    )


def _panel(table: ResultTable, top: float, panel_id: str) -> tuple[str, float]:
    rows = table.rows
    low, high = _extent(table)
    ticks = _ticks(low, high)
    low, high = min(low, ticks[0]), max(high, ticks[-1])
    plot_left, plot_right = LABEL_WIDTH, WIDTH - RIGHT_MARGIN

    def x(value: float) -> float:
        return plot_left + (value - low) / (high - low) * (plot_right - plot_left)

    body_top = top + PANEL_HEADER
    body_bottom = body_top + ROW_HEIGHT * len(rows)
    parts = [
        f'<g class="panel" id="{panel_id}">',
        f'<text x="0" y="{top + 18}" class="panel-title" font-weight="bold">'
        f"{html.escape(table.title)} ({html.escape(table.interval_label)})</text>",
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
        'font-size="11">difference in index points (high minus low)</text>'
    )
    for i, row in enumerate(rows):
        mid = body_top + ROW_HEIGHT * (i + 0.5)
        parts.append(
            f'<text x="{plot_left - 8}" y="{mid + 4}" text-anchor="end" font-size="12">'
            f"{html.escape(_shorten(row.outcome_name))}</text>"
        )
        if np.isnan(row.estimate) or np.isnan(row.ci_lower):
            parts.append(
                f'<text x="{x(0) + 6:.1f}" y="{mid + 4}" font-size="11" fill="#666">'
                "not estimated</text>"
            )
            continue
        flagged = bool(row.reject)
        label = (
            f"{row.outcome_name}: {row.estimate:+.1f} ({table.interval_label} "
            f"{row.ci_lower:+.1f} to {row.ci_upper:+.1f}; n = {row.n})"
        )
        parts.append(
            f'<g class="whisker"><title>{html.escape(label)}</title>'
            f'<line x1="{x(row.ci_lower):.1f}" x2="{x(row.ci_upper):.1f}" y1="{mid}" y2="{mid}" '
            'stroke="#1f4e79" stroke-width="2"/>'
            f'<line x1="{x(row.ci_lower):.1f}" x2="{x(row.ci_lower):.1f}" y1="{mid - 5}" '
            f'y2="{mid + 5}" stroke="#1f4e79" stroke-width="2"/>'
            f'<line x1="{x(row.ci_upper):.1f}" x2="{x(row.ci_upper):.1f}" y1="{mid - 5}" '
            f'y2="{mid + 5}" stroke="#1f4e79" stroke-width="2"/>'
            f'<circle cx="{x(row.estimate):.1f}" cy="{mid}" r="5" stroke="#1f4e79" '
            f'stroke-width="2" fill="{"#1f4e79" if flagged else "#fff"}"/></g>'
        )
    parts.append("</g>")
    return "".join(parts), PANEL_HEADER + ROW_HEIGHT * len(rows) + AXIS_HEIGHT


def _extent(table: ResultTable) -> tuple[float, float]:
    values = [0.0]
    for row in table.rows:
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


def _shorten(text: str, limit: int = 42) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(table: ResultTable) -> str:
    shown = [
        f"{row.outcome_name} {row.estimate:+.1f} ({row.ci_lower:+.1f} to {row.ci_upper:+.1f})"
        for row in table.rows
        if np.isfinite(row.estimate) and np.isfinite(row.ci_lower)
    ]
    return f"{table.title}, {table.interval_label}: " + (", ".join(shown) or "nothing estimated")
