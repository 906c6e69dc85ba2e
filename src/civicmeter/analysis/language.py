"""Plain-language sentences for each estimate, written so they cannot be read as causal claims.

The OECD's own wording ("cities with ... have residents who report ...") describes an association
between a city government's capacity and its residents' well-being; the comparison cannot tell
whether capacity improves well-being, whether better-off cities build capacity, or whether a third
factor drives both. Every sentence therefore ends with the same caveat, the only place the word
"causes" may appear, and always negated. Sentences also carry n and the interval, and say so when
the interval includes zero, a group is small, or the capacity data are synthetic.
"""

from __future__ import annotations

import numpy as np

from civicmeter.analysis.results import AdjustedRow, ComparisonRow, ResultTable

CAVEAT = "This is an association, not evidence that {subject} causes a difference in “{name}”."
SYNTHETIC = (
    "The capacity data are synthetic (generated for demonstration), so this says nothing about "
    "real cities."
)


def summarise(
    table: ResultTable, *, survey_indicators: set[str], synthetic: bool
) -> list[tuple[str, str]]:
    """(indicator code, sentence) for every row of a comparison or adjusted table."""
    out = []
    for row in table.rows:
        if isinstance(row, ComparisonRow):
            text = _comparison(table, row, row.outcome in survey_indicators)
        else:
            text = _adjusted(table, row)
        if synthetic:
            text += " " + SYNTHETIC
        out.append((row.outcome, text))
    return out


def _comparison(table: ResultTable, row: ComparisonRow, survey: bool) -> str:
    high, low, name = table.high_label, table.low_label, row.outcome_name
    if np.isnan(row.estimate):
        return f"Cities with {high} and cities with {low} were not compared on “{name}”: {_why(row)}."
    word = "higher" if row.estimate >= 0 else "lower"
    verb = f"have residents who report {word}" if survey else f"score {word} on"
    text = (
        f"Cities with {high} {verb} “{name}” than cities with {low}: {row.mean_high:.1f} vs "
        f"{row.mean_low:.1f} index points, a difference of {row.estimate:+.1f} "
        f"({_interval(table, row)}; n = {row.n_high} and {row.n_low} cities)."
    )
    return " ".join([text, *_qualifiers(table, row), _caveat(high, name)])


def _adjusted(table: ResultTable, row: AdjustedRow) -> str:
    name = row.outcome_name
    dropped = f", {row.n_dropped} left out for missing controls" if row.n_dropped else ""
    if np.isnan(row.estimate):
        return f"No adjusted estimate for “{name}”: {_why(row)}."
    controls = ", ".join(row.controls[:-1]) + (" and " if len(row.controls) > 1 else "")
    controls += row.controls[-1]
    if table.estimate_label == "per index point":
        text = (
            f"Accounting for {controls}, each further point of the {table.sample_label} index goes "
            f"with {row.estimate:+.2f} index points on “{name}” ({_interval(table, row)}; "
            f"n = {row.n} cities{dropped})."
        )
        subject = f"a higher {table.sample_label} index"
    else:
        text = (
            f"Accounting for {controls}, cities with {table.high_label} differ from cities with "
            f"{table.low_label} by {row.estimate:+.1f} index points on “{name}” "
            f"({_interval(table, row)}; n = {row.n} cities{dropped})."
        )
        subject = table.high_label
    return " ".join([text, *_qualifiers(table, row), _caveat(subject, name)])


def _why(row: ComparisonRow | AdjustedRow) -> str:
    """The row's stated reason without its "not estimated: " lead, for use inside a sentence."""
    return row.reason.removeprefix("not estimated: ") or "too few cities"


def _interval(table: ResultTable, row: ComparisonRow | AdjustedRow) -> str:
    if np.isnan(row.ci_lower):
        return f"{table.interval_label} not estimable"
    return f"{table.interval_label} {row.ci_lower:+.1f} to {row.ci_upper:+.1f}"


def _qualifiers(table: ResultTable, row: ComparisonRow | AdjustedRow) -> list[str]:
    out = []
    if not np.isnan(row.ci_lower) and row.ci_lower <= 0 <= row.ci_upper:
        out.append(
            "The interval includes zero, so the data are also consistent with no difference."
        )
    if any(table.notes[i - 1].startswith("Small sample") for i in row.notes):
        out.append("Few cities are behind this figure; read it with caution.")
    if row.reject is not None and not row.reject and row.p_value < table.alpha:
        out.append(
            f"After correcting for the {len(table.rows)} outcomes tested ({table.correction}), "
            "it is not flagged."
        )
    return out


def _caveat(subject: str, name: str) -> str:
    return CAVEAT.format(subject=subject, name=name)
