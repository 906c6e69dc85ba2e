"""Render an :class:`~civicmeter.indexing.audit.AuditResult` as one self-contained HTML page.

Why self-contained: the report is mailed around and opened offline, so CSS is inline, there is no
script and no external asset. Every text from the data (codes, details) goes through
:func:`html.escape`, since codes and names come from user files.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from civicmeter.indexing.audit import AuditResult

CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:72rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.2rem .45rem;text-align:right}
th{background:#f3f3f3}td.code,th.code{text-align:left}
.muted{color:#666}.heat td{min-width:3rem;text-align:center}
"""


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.3g}"
    return _esc(value)


def _table(frame: pd.DataFrame, text_columns: tuple[str, ...] = ()) -> str:
    head = "".join(
        f'<th class="code">{_esc(c)}</th>' if c in text_columns else f"<th>{_esc(c)}</th>"
        for c in frame.columns
    )
    body = []
    for row in frame.itertuples(index=False):
        cells = "".join(
            f'<td class="code">{_esc(v)}</td>' if c in text_columns else f"<td>{_fmt(v)}</td>"
            for c, v in zip(frame.columns, row, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _colour(r: float) -> str:
    """Diverging colour: blue for positive, red for negative, white at zero."""
    if math.isnan(r):
        return "#eee"
    strength = int(255 - 155 * min(1.0, abs(r)))
    return f"rgb({strength},{strength},255)" if r >= 0 else f"rgb(255,{strength},{strength})"


def _heatmaps(correlations: pd.DataFrame) -> str:
    """One matrix per aggregate: its children's Pearson correlations, and each child with it."""
    parts = []
    siblings = correlations[correlations["relation"] == "sibling"]
    parents = correlations[correlations["relation"] == "parent"]
    for aggregate, pairs in siblings.groupby("aggregate", sort=False):
        kids = list(dict.fromkeys(list(pairs["iCode"]) + list(pairs["other"])))
        lookup = {(r.iCode, r.other): r.pearson for r in pairs.itertuples(index=False)}
        with_parent = {r.iCode: r.pearson for r in parents.itertuples() if r.other == aggregate}
        head = "".join(f"<th>{_esc(k)}</th>" for k in kids) + f"<th>{_esc(aggregate)}</th>"
        rows = []
        for a in kids:
            cells = []
            for b in kids + [aggregate]:
                if a == b:
                    r = 1.0
                elif b == aggregate:
                    r = with_parent.get(a, float("nan"))
                else:
                    r = lookup.get((a, b), lookup.get((b, a), float("nan")))
                cells.append(f'<td style="background:{_colour(r)}">{_fmt(float(r))}</td>')
            rows.append(f'<tr><th class="code">{_esc(a)}</th>{"".join(cells)}</tr>')
        parts.append(
            f'<h3>{_esc(aggregate)}</h3><table class="heat"><thead><tr><th></th>{head}</tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table>"
        )
    return "".join(parts)


def render_audit_html(result: AuditResult) -> str:
    """The whole report as a string: summary, flags, statistics, heat-maps, alpha and PCA."""
    pca_summary = result.pca.drop_duplicates("aggregate")[
        ["aggregate", "level", "k", "n", "variance_explained"]
    ]
    notes = "".join(f"<li>{_esc(n)}</li>" for n in result.notes) or "<li>none</li>"
    provenance = "".join(
        f"<li>{_esc(k)}: {_esc(v)}</li>" for k, v in sorted(result.provenance.items())
    )
    thresholds = ", ".join(f"{_esc(k)} = {v}" for k, v in result.thresholds.items())
    flagged = result.flags["iCode"].nunique() if len(result.flags) else 0
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Index audit</title>
<style>{CSS}</style></head><body>
<h1>Index audit</h1>
<p>{result.n} units, {len(result.stats)} indicators, {flagged} code(s) flagged.
<span class="muted">Thresholds: {thresholds}.</span></p>
<p class="muted">Method: {_esc(result.method)}.</p>
<h2>Notes</h2><ol>{notes}</ol>
<h2>Provenance</h2><ul>{provenance or "<li>not recorded</li>"}</ul>
<h2>Flags</h2>{_table(result.flags, ("iCode", "flag", "detail"))}
<h2>Indicator statistics (raw data)</h2>{_table(result.stats, ("iCode",))}
<h2>Correlations within aggregates (Pearson)</h2>
<p class="muted">Rows and columns are an aggregate's children; the last column is the
aggregate.</p>
{_heatmaps(result.correlations)}
<h2>Cronbach's alpha</h2>{_table(result.cronbach, ("aggregate",))}
<h2>Principal components (first component)</h2>{_table(pca_summary, ("aggregate",))}
</body></html>
"""
