"""A self-contained HTML page for an :class:`AnalysisReport`.

One file a programme can e-mail or archive: inline CSS, the chart as inline SVG, no script and no
external requests, so it opens the same offline and years later. Every piece of text that came from
the inputs (city and indicator names, provenance) is escaped with ``html.escape``.
"""

from __future__ import annotations

import html

import pandas as pd

from civicmeter.analysis.chart import difference_chart
from civicmeter.analysis.groupings import CLASS_GROUPINGS
from civicmeter.analysis.report import AnalysisReport
from civicmeter.analysis.results import frame_to_html, group_mean, interval_label
from civicmeter.params import InstanceOf, validate_params

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 76rem; color: #222;
       line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; }
.wide { overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
dd { overflow-wrap: anywhere; min-width: 0; }
.wide:focus-visible { outline: 3px solid #1f4e79; outline-offset: 2px; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.85rem; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { border-bottom: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: right; }
th:first-child, td:first-child { text-align: left; min-width: 12rem; }
th { vertical-align: bottom; }
ol.notes { font-size: 0.85rem; color: #444; }
.banner { background: #fff3cd; border: 1px solid #e0c36a; padding: 0.6rem 1rem; }
.caveat { font-style: italic; }
details { margin: 0.6rem 0; } summary { font-weight: bold; cursor: pointer; }
figure { margin: 1rem 0; } figcaption { font-size: 0.85rem; color: #444; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dt { font-weight: bold; }
"""

TITLE = "Innovation capacity, data use and residents' well-being"


@validate_params({"report": [InstanceOf(AnalysisReport, "an AnalysisReport")]})
def render_html(report: AnalysisReport) -> str:
    """The whole report as one HTML document (a string), safe to write to ``report.html``."""
    sections = [
        f"<h1>{html.escape(TITLE)}</h1>",
        _banner(report),
        _chart(report),
        _summaries(report),
        _comparisons(report),
        _adjusted(report),
        _published(report),
        _methods(report),
        _provenance(report),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(TITLE)}</title><style>{STYLE}</style></head><body><main>"
        + "".join(sections)
        + "</main></body></html>\n"
    )


def _banner(report: AnalysisReport) -> str:
    items = "".join(f"<p>{html.escape(text)}</p>" for text in report.notes)
    return f'<section class="banner" aria-label="Read this first">{items}</section>'


def _summaries(report: AnalysisReport) -> str:
    """Sentences grouped by table; the class comparisons open, the rest folded (no script)."""
    class_keys = {f"comparison_{g.key}" for g in CLASS_GROUPINGS}
    caveats = "".join(f"<li>{html.escape(text)}</li>" for text in report.caveats)
    parts = [
        "<section><h2>In plain words</h2>",
        f'<p>Read every sentence below with these caveats:</p><ul class="caveats">{caveats}</ul>',
    ]
    for table in report.tables:
        items = "".join(
            f"<li>{html.escape(text)}</li>"
            for name, _, text in report.summaries
            if name == table.name
        )
        opened = " open" if table.name in class_keys else ""
        parts.append(
            f"<details{opened}><summary>{html.escape(table.title)}</summary><ul>{items}</ul></details>"
        )
    parts.append("</section>")
    return "".join(parts)


def _chart(report: AnalysisReport) -> str:
    class_keys = {f"comparison_{g.key}" for g in CLASS_GROUPINGS}
    tables = [t for t in report.comparisons if t.name in class_keys]
    if not tables:
        return ""
    caption = (
        "Each point is the difference between high- and low-capacity cities' mean outcome, "
        "with its confidence interval, and n is the number of cities in each group; filled points "
        "stay flagged after the multiple-comparison correction. Shares (percentage points) and "
        "min-max rescaled indicators (index points) have separate panels, and so do the PSI and "
        "data-use samples, which are never compared. A row marked 'not estimated' gives its "
        "reason in the tables below."
    )
    return (
        "<section><h2>Differences in index points</h2><figure>"
        f"{difference_chart(tables)}<figcaption>{html.escape(caption)}</figcaption></figure>"
        "</section>"
    )


def _comparisons(report: AnalysisReport) -> str:
    tables = "".join(_scrolling(table.to_html(), table.title) for table in report.comparisons)
    return f"<section><h2>Group comparisons</h2>{tables}</section>"


def _adjusted(report: AnalysisReport) -> str:
    if not report.adjusted:
        return (
            "<section><h2>Adjusted estimates</h2><p>Not computed: no city size and income "
            "figures (population, and GDP per capita or median income) were available, so nothing "
            "could be held fixed.</p></section>"
        )
    tables = "".join(_scrolling(table.to_html(), table.title) for table in report.adjusted)
    return f"<section><h2>Adjusted for city size and economy</h2>{tables}</section>"


def _published(report: AnalysisReport) -> str:
    if report.published.empty:
        return ""
    published = report.published
    ci = interval_label(report.settings.alpha)
    titles = {t.name.removeprefix("comparison_"): t for t in report.comparisons}
    shown = pd.DataFrame(
        {
            "comparison": published["grouping"].map(
                lambda key: f"{titles[key].high_label} vs {titles[key].low_label}"
            ),
            "outcome": published["outcome_name"],
            "OECD high": published["published_high"],
            "OECD low": published["published_low"],
            "OECD difference": published["published_difference"],
            f"ours high ({ci})": _means(published, "high"),
            f"ours low ({ci})": _means(published, "low"),
            "our difference": [
                _estimate(*v)
                for v in zip(
                    published["our_difference"],
                    published["ci_lower"],
                    published["ci_upper"],
                    strict=True,
                )
            ],
            "adjusted difference (size and economy held fixed)": [
                _adjusted_cell(record) for record in published.to_dict("records")
            ],
            "caution": published["caution"].fillna(""),
            "OECD figures": published["figures"],
            "note": published["published_note"],
        }
    )
    caption = "OECD published figures and our estimates"
    intro = (
        "Figures the OECD published (2021, Innovation and Data Use in Cities, and its companion "
        "site) beside ours, for context only: the city samples, sources and years differ, and the "
        "OECD gave no intervals or group sizes. OECD values are shares of residents in % (or "
        "percentage points); ours are index points, which equal % for share indicators. Empty "
        "cells: an outcome this analysis did not include. OECD content quoted with acknowledgement."
    )
    return (
        f"<section><h2>Published OECD figures beside ours</h2><p>{html.escape(intro)}</p>"
        f"{_scrolling(frame_to_html(shown, caption=caption), caption)}</section>"
    )


def _scrolling(table: str, label: str) -> str:
    """A wide table in its own scroll region, focusable so keyboard users can scroll it too."""
    return f'<div class="wide" role="region" tabindex="0" aria-label="{html.escape(label)}">{table}</div>'


def _means(published: pd.DataFrame, group: str) -> list[str]:
    """Our group means with their intervals and n, or empty for an outcome not analysed."""
    return [
        "" if pd.isna(n) else f"{group_mean(mean, lower, upper, int(n))}, n = {n}"
        for mean, lower, upper, n in zip(
            published[f"our_mean_{group}"],
            published[f"our_{group}_ci_lower"],
            published[f"our_{group}_ci_upper"],
            published[f"n_{group}"],
            strict=True,
        )
    ]


def _estimate(value: float, lower: float, upper: float) -> str:
    if pd.isna(value):
        return ""
    if pd.isna(lower):
        return f"{value:+.1f} (no interval)"
    return f"{value:+.1f} ({lower:+.1f} to {upper:+.1f})"


def _adjusted_cell(record: dict) -> str:
    """The adjusted difference with its interval and n, or the stated reason it is missing."""
    if not pd.isna(record["adjusted_difference"]):
        interval = _estimate(
            record["adjusted_difference"], record["adjusted_ci_lower"], record["adjusted_ci_upper"]
        )
        return f"{interval}, n = {record['adjusted_n']}"
    reason = record.get("adjusted_reason")
    return "" if pd.isna(reason) or not reason else str(reason)


def _methods(report: AnalysisReport) -> str:
    items = "".join(
        f"<dt>{html.escape(str(k))}</dt><dd>{html.escape(str(v))}</dd>"
        for k, v in report.settings_items()
    )
    text = (
        "Group differences use Welch's t interval (Welch 1947) or, when a group has fewer cities "
        "than the small-group threshold, a seeded bootstrap interval (Efron & Tibshirani 1993) "
        "with a permutation-test p-value. Adjusted estimates are OLS coefficients with HC3 "
        "standard errors (MacKinnon & White 1985). p-values are corrected across the outcomes of "
        "each table (Benjamini & Hochberg 1995 by default). Outcomes are on 0-100 index points "
        "where higher is better."
    )
    return f"<section><h2>Methods</h2><p>{html.escape(text)}</p><dl>{items}</dl></section>"


def _provenance(report: AnalysisReport) -> str:
    items = "".join(
        f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in report.provenance.items()
    )
    return f"<section><h2>Provenance</h2><dl>{items}</dl></section>"
