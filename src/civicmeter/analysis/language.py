"""Plain-language sentences for each estimate, written so they cannot be read as causal claims.

The OECD's own wording ("cities with ... have residents who report ...") describes an association
between a city government's capacity and its residents' well-being; the comparison cannot tell
whether capacity improves well-being, whether better-off cities build capacity, or whether a third
factor drives both. That caveat, and the others every sentence shares (what an interval through
zero means, small groups, units, synthetic data), are stated once by :func:`shared_caveats`, the
only place the word "causes" may appear, and always negated. Each sentence carries what is its own:
the means, the difference in its unit, the interval, n, and short flags ("The interval includes
zero.", "Few cities.") that the shared caveats explain.
"""

from __future__ import annotations

import numpy as np

from civicmeter.analysis.results import AdjustedRow, ComparisonRow, ResultTable

CAUSATION = (
    "Every sentence describes an association between a city government's capacity and its "
    "residents' outcomes; none is evidence that capacity causes a difference (better-off cities "
    "may build more capacity, or a third factor may drive both)."
)
ZERO = "Where the interval includes zero, the data are also consistent with no difference at all."
FEW = (
    "Where few cities are behind a figure (a group under {small_group} cities), the interval is "
    "wide and may not reach its nominal coverage: read it with caution."
)
UNITS = (
    "Differences in shares of residents are in percentage points; differences in other indicators "
    "are in index points (each rescaled min-max across the cities analysed)."
)
SYNTHETIC = (
    "The capacity data are synthetic (generated for demonstration), so this says nothing about "
    "real cities."
)


def shared_caveats(*, small_group: int, synthetic: bool) -> tuple[str, ...]:
    """The caveats all sentences share, said once above them."""
    caveats = (CAUSATION, ZERO, FEW.format(small_group=small_group), UNITS)
    return ((SYNTHETIC,) if synthetic else ()) + caveats


def summarise(table: ResultTable, *, survey_indicators: set[str]) -> list[tuple[str, str]]:
    """(indicator code, sentence) for every row of a comparison or adjusted table."""
    out = []
    for row in table.rows:
        if isinstance(row, ComparisonRow):
            text = _comparison(table, row, row.outcome in survey_indicators)
        else:
            text = _adjusted(table, row)
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
        f"{row.mean_low:.1f}, a difference of {row.estimate:+.1f} {row.unit} "
        f"({_interval(table, row)}; n = {row.n_high} and {row.n_low} cities)."
    )
    return " ".join([text, *_qualifiers(table, row)])


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
            f"with {row.estimate:+.2f} {row.unit} on “{name}” ({_interval(table, row)}; "
            f"n = {row.n} cities{dropped})."
        )
    else:
        text = (
            f"Accounting for {controls}, cities with {table.high_label} differ from cities with "
            f"{table.low_label} by {row.estimate:+.1f} {row.unit} on “{name}” "
            f"({_interval(table, row)}; n = {row.n} cities{dropped})."
        )
    return " ".join([text, *_qualifiers(table, row)])


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
        out.append("The interval includes zero.")
    if any(table.notes[i - 1].startswith("Small sample") for i in row.notes):
        out.append("Few cities.")
    if row.reject is not None and not row.reject and row.p_value < table.alpha:
        out.append(
            f"After correcting for the {len(table.rows)} outcomes tested ({table.correction}), "
            "it is not flagged."
        )
    return out
