"""Published OECD figures, shown beside Civicmeter's own estimates for context.

The OECD (2021, *Innovation and Data Use in Cities*) published a handful of group comparisons, such
as 86% vs 82% of residents satisfied with their city in high vs low PSI-capacity cities. The figures
and their sources ship as package content (``content/reference/``, see its README for the licence);
a mapping file links each comparative figure to one of our groupings and an indicator code of the
default outcome catalogue. Published values are context, never targets: the samples, outcome sources
and years differ, and the OECD did not publish intervals or group sizes.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

from civicmeter.analysis.results import AdjustedRow, ComparisonRow, ResultTable

_REFERENCE = "content/reference"
COLUMNS = (
    "grouping",
    "indicator",
    "outcome_name",
    "published_high",
    "published_low",
    "published_difference",
    "figures",
    "published_note",
    "our_mean_high",
    "our_mean_low",
    "our_difference",
    "ci_lower",
    "ci_upper",
    "n_high",
    "n_low",
    "adjusted_difference",
    "adjusted_ci_lower",
    "adjusted_ci_upper",
    "adjusted_n",
    "our_high_ci_lower",
    "our_high_ci_upper",
    "our_low_ci_lower",
    "our_low_ci_upper",
    "adjusted_p",
    "adjusted_reason",
    "caution",
)
CAUTION = (
    "Caution: the raw difference's interval excludes zero, but the adjusted difference does not "
    "reach significance (p = {p}); city size and economy may account for part of the gap."
)


def published_figures() -> pd.DataFrame:
    """The OECD figures table as shipped (figure_id, publication, measure, value, source_url...)."""
    with resources.files("civicmeter").joinpath(_REFERENCE, "oecd_published_figures.csv").open() as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


#: Our comparison row's fields beside the published figures: column -> ComparisonRow field.
OUR_COLUMNS = {
    "our_mean_high": "mean_high",
    "our_mean_low": "mean_low",
    "our_difference": "estimate",
    "ci_lower": "ci_lower",
    "ci_upper": "ci_upper",
    "n_high": "n_high",
    "n_low": "n_low",
    "our_high_ci_lower": "high_ci_lower",
    "our_high_ci_upper": "high_ci_upper",
    "our_low_ci_lower": "low_ci_lower",
    "our_low_ci_upper": "low_ci_upper",
}
#: The adjusted model's row: column -> AdjustedRow field.
ADJUSTED_COLUMNS = {
    "adjusted_difference": "estimate",
    "adjusted_ci_lower": "ci_lower",
    "adjusted_ci_upper": "ci_upper",
    "adjusted_n": "n",
    "adjusted_p": "p_value",
    "adjusted_reason": "reason",
}


def _columns(row: object, columns: dict[str, str]) -> dict[str, object]:
    return {column: getattr(row, name) for column, name in columns.items()}


def published_mapping() -> pd.DataFrame:
    """Which figure belongs to which grouping, indicator and role (high, low or difference)."""
    with resources.files("civicmeter").joinpath(_REFERENCE, "oecd_published_mapping.csv").open() as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


def published_beside(
    tables: list[ResultTable],
    names: dict[str, str] | None = None,
    adjusted: list[ResultTable] | None = None,
) -> pd.DataFrame:
    """One row per (grouping, indicator) the OECD published, for the groupings in ``tables``.

    Published values stay as printed (text such as "almost 10"); ours are the group means and the
    difference in index points, which equal percentages for share indicators. ``names`` gives
    reader-facing names for indicators we did not analyse (their columns stay empty). ``adjusted``
    tables with the class dummy (named ``adjusted_<grouping>``) add our size- and economy-adjusted
    difference, the counterpart of the OECD's "holds when accounting for city size and economy".
    """
    names = names or {}
    adjusted_by_grouping = {t.name.removeprefix("adjusted_"): t for t in adjusted or []}
    figures = published_figures().set_index("figure_id")
    mapping = published_mapping()
    by_grouping = {table.name.removeprefix("comparison_"): table for table in tables}
    records = []
    for (grouping, indicator), rows in mapping.groupby(["grouping", "indicator"], sort=False):
        table = by_grouping.get(grouping)
        if table is None:
            continue
        record: dict[str, object] = {"grouping": grouping, "indicator": indicator}
        for role in ("high", "low", "difference"):
            ids = rows.loc[rows["role"] == role, "figure_id"]
            record[f"published_{role}"] = "; ".join(_value(figures.loc[i]) for i in ids)
        record["figures"] = "; ".join(dict.fromkeys(rows["figure_id"]))
        record["published_note"] = "; ".join(dict.fromkeys(n for n in rows["note"] if n))
        ours = next((r for r in table.rows if r.outcome == indicator), None)
        record["outcome_name"] = ours.outcome_name if ours else names.get(indicator, indicator)
        if isinstance(ours, ComparisonRow):
            record |= _columns(ours, OUR_COLUMNS)
        fitted = adjusted_by_grouping.get(grouping)
        row = next((r for r in fitted.rows if r.outcome == indicator), None) if fitted else None
        if isinstance(row, AdjustedRow):
            record |= _columns(row, ADJUSTED_COLUMNS)
        elif isinstance(ours, ComparisonRow):
            record["adjusted_reason"] = (
                "not estimated: no controls were given (population and GDP per capita or median income)"
                if not adjusted
                else "not estimated: only the class comparisons (with the class dummy) are adjusted"
            )
        record["caution"] = _caution(ours, row, table.alpha)
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    return frame.astype({"n_high": "Int64", "n_low": "Int64", "adjusted_n": "Int64"})


def _caution(ours: object, adjusted: object, alpha: float) -> str:
    """A warning when the raw interval excludes zero but the adjusted p-value is above alpha."""
    if not (isinstance(ours, ComparisonRow) and isinstance(adjusted, AdjustedRow)):
        return ""
    excludes_zero = ours.ci_lower > 0 or ours.ci_upper < 0
    if excludes_zero and adjusted.p_value > alpha:
        return CAUTION.format(p=f"{adjusted.p_value:.2f}")
    return ""


def _value(figure: pd.Series) -> str:
    unit = {"%": "%", "percentage points": " points"}.get(figure["unit"], "")
    return f"{figure['value']}{unit}" if unit else figure["value"]
