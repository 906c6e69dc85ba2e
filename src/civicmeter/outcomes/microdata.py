"""Reduce resident-survey microdata (one row per respondent) to city indicators with uncertainty.

Survey files code "don't know" as 9 or 99, leave blanks, and sometimes hold stray values; each of
those must become missing *and be counted*, because a share computed with or without "don't know"
in the denominator differs and publishers differ. :func:`summarise_microdata` therefore returns the
estimates together with a per-city cleaning report.

Speed: only the needed columns are read, the grouping and item columns as pandas categoricals, so
each distinct answer ("4", "9", "DK") is parsed and classified once and rows are handled through
integer codes and ``np.bincount`` (see :mod:`civicmeter.outcomes.estimators` for the formulas).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path

import numpy as np
import pandas as pd

from civicmeter.outcomes.errors import OutcomesError, Problem
from civicmeter.outcomes.estimators import SHARE_INTERVALS, cell_estimates
from civicmeter.outcomes.outcome_table import TIDY_COLUMNS
from civicmeter.outcomes.respondents import EXAMPLE_ROWS, _read_columns
from civicmeter.params import NONE, InstanceOf, Interval, Options, ParameterError, validate_params

STATISTICS = ("mean", "top2", "share_at_least")
SMALL_N = 30

E021_NO_VALID = (
    "{path}, column {column!r}: no valid answers on the scale {low:g}-{high:g} "
    "({detail}). Check --scale and --missing-codes."
)


class Status(IntEnum):
    """What happened to one respondent's answer; the cleaning report counts each per city."""

    VALID = 0
    BLANK = 1
    MISSING_CODE = 2
    OUT_OF_RANGE = 3
    NON_NUMERIC = 4
    BAD_WEIGHT = 5


CLEANING_COLUMNS = [
    "rows",
    "valid",
    "blank",
    "missing_code",
    "out_of_range",
    "non_numeric",
    "bad_weight",
]


@dataclass
class MicrodataResult:
    """City (and period) estimates from microdata, their cleaning report and the method used."""

    indicator: str
    item: str
    statistic: str
    threshold: float | None
    scale: tuple[float, float]
    missing_codes: tuple[float, ...]
    weighted: bool
    dont_know_in_denominator: bool
    method: str
    interval: str
    alpha: float
    table: pd.DataFrame
    cleaning: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def is_share(self) -> bool:
        return self.statistic != "mean"

    def to_frame(self) -> pd.DataFrame:
        """Tidy rows: city_name, period, indicator, estimate, se, ci_lower, ci_upper, n, n_eff."""
        return self.table.copy()

    def to_outcome_frame(
        self, *, country: str = "", region: str = "", unit: str = "", source: str = ""
    ) -> pd.DataFrame:
        """The estimates as outcome rows (:data:`~civicmeter.outcomes.TIDY_COLUMNS`) for storage.

        ``value`` is the estimate (a 0-1 share for shares); ``n`` and ``se`` come along so the
        stored figure keeps its uncertainty. ``unit`` defaults to "share" or "mean".
        """
        rows = self.table
        frame = pd.DataFrame(
            {
                "city_name": rows["city_name"],
                "country": country.upper(),
                "region": region,
                "city_code": "",
                "period": rows["period"],
                "indicator": self.indicator,
                "value": rows["estimate"],
                "unit": unit or ("share" if self.is_share else "mean"),
                "source": source or f"microdata item {self.item}: {self.method}",
                "n": rows["n"],
                "se": rows["se"],
                "row": pd.NA,
            }
        )
        return frame[TIDY_COLUMNS]

    def interval_labels(self) -> tuple[str, str]:
        level = f"{100 * (1 - self.alpha):g}%"
        return f"{level} CI lower", f"{level} CI upper"

    def summary_frame(self) -> pd.DataFrame:
        """Estimates with interval headers built from ``alpha`` ("95% CI lower"), for display."""
        lower, upper = self.interval_labels()
        return self.table.rename(columns={"ci_lower": lower, "ci_upper": upper})

    def numbered_notes(self) -> list[str]:
        return [f"[{i}] {note}" for i, note in enumerate(self.notes, start=1)]

    def to_text(self) -> str:
        lines = [
            f"{self.indicator}: {self.statistic} of {self.item} ({self.method})",
            self.summary_frame().to_string(index=False),
            "",
            "Cleaning report",
            self.cleaning.to_string(index=False),
            "",
            *self.numbered_notes(),
        ]
        return "\n".join(lines)


def _classify(
    item: pd.Series, scale: tuple[float, float], missing_codes: tuple[float, ...]
) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Numeric value and status of each distinct answer, blank first (index = category code + 1).

    Done once per distinct answer ("4", "9", "DK"), not per respondent.
    """
    categories = item.cat.categories
    text = pd.Index(categories.astype(str)).str.strip()
    numbers_ = pd.to_numeric(pd.Series(text), errors="coerce").to_numpy(dtype=float)
    low, high = scale
    status = np.full(len(categories), Status.VALID, dtype=np.int8)
    numeric_codes = [float(c) for c in missing_codes if not isinstance(c, str)]
    text_codes = {c.strip().lower() for c in missing_codes if isinstance(c, str)}
    is_missing = np.isin(numbers_, numeric_codes) | np.asarray(text.str.lower().isin(text_codes))
    out_of_range = (numbers_ < low) | (numbers_ > high) | (numbers_ != np.round(numbers_))
    status[out_of_range] = Status.OUT_OF_RANGE
    status[np.isnan(numbers_)] = Status.NON_NUMERIC
    status[is_missing] = Status.MISSING_CODE
    status[np.asarray(text == "")] = Status.BLANK
    return (
        np.concatenate([[np.nan], numbers_]),
        np.concatenate([[Status.BLANK], status]).astype(np.int8),
        categories,
    )


def _examples(item_codes: np.ndarray, categories: pd.Index, status: np.ndarray, wanted: Status) -> str:
    """'0' (rows 14, 80), 'DK' (row 3): which odd values were seen, where, for the notes."""
    parts = []
    for index in np.flatnonzero(status == wanted)[:EXAMPLE_ROWS]:
        rows = np.flatnonzero(item_codes == index - 1)[:3] + 2
        if len(rows):
            parts.append(f"{categories[index - 1]!r} (row {', '.join(map(str, rows))})")
    return "; ".join(parts)


@validate_params(
    {
        "path_or_frame": [InstanceOf((str, Path, pd.DataFrame), "a file path or a pandas DataFrame")],
        "city": [InstanceOf(str, "a city name"), NONE],
        "city_column": [InstanceOf(str, "a column name"), NONE],
        "period_column": [InstanceOf(str, "a column name"), NONE],
        "period": [InstanceOf(str, "a period label"), NONE],
        "item": [InstanceOf(str, "a column name")],
        "scale": [InstanceOf(tuple, "a (min, max) tuple of numbers")],
        "missing_codes": [InstanceOf((tuple, list), "a tuple of numeric codes")],
        "weight_column": [InstanceOf(str, "a column name"), NONE],
        "statistic": [Options(STATISTICS)],
        "threshold": [Interval(float, None, None), NONE],
        "dont_know_in_denominator": [InstanceOf(bool, "a bool")],
        "indicator": [InstanceOf(str, "an indicator code")],
        "alpha": [Interval(float, 0, 1, closed="neither")],
        "interval": [Options(SHARE_INTERVALS)],
        "encoding": [InstanceOf(str, "an encoding name"), NONE],
    }
)
def summarise_microdata(
    path_or_frame: str | Path | pd.DataFrame,
    *,
    city: str | None = None,
    city_column: str | None = None,
    period_column: str | None = None,
    period: str | None = None,
    item: str,
    scale: tuple[float, float],
    missing_codes: tuple[float | str, ...] | list[float | str] = (9, 99),
    weight_column: str | None = None,
    statistic: str = "mean",
    threshold: float | None = None,
    dont_know_in_denominator: bool = False,
    indicator: str,
    alpha: float = 0.05,
    interval: str = "wilson",
    encoding: str | None = None,
) -> MicrodataResult:
    """Per city and period: estimate, n, effective n, se and interval of one survey item.

    ``statistic``: ``"mean"`` of the item on its scale; ``"top2"`` share answering one of the two
    highest points (e.g. 4-5 "satisfied" on 1-5); ``"share_at_least"`` share answering at least
    ``threshold``. Values in ``missing_codes`` ("don't know": numbers such as 9, or texts such
    as "DK", compared without case), blanks, non-numbers and values
    outside ``scale`` (or not whole numbers) are dropped and counted per city in ``cleaning``.
    ``dont_know_in_denominator=True`` (shares only) counts "don't know" answers as not satisfied,
    the rule some publishers use. ``weight_column`` holds survey weights meaning "respondents in
    the population this respondent stands for" (any scale; only ratios matter); rows with a blank,
    zero or negative weight are dropped and counted. See :mod:`~civicmeter.outcomes.estimators`
    for the estimator, the variance and the interval methods.
    """
    if period is not None and period_column is not None:
        raise ParameterError(
            "summarise_microdata takes 'period' (one label for the file) or 'period_column', not both",
            parameter="period",
            function="summarise_microdata",
        )
    if (city is None) == (city_column is None):
        raise ParameterError(
            "summarise_microdata needs exactly one of 'city' (a name for the whole file) or 'city_column'",
            parameter="city",
            function="summarise_microdata",
        )
    if len(scale) != 2 or not all(isinstance(v, numbers.Real) for v in scale) or scale[0] >= scale[1]:
        raise ParameterError(
            f"the 'scale' parameter of summarise_microdata must be (min, max) with min < max; got {scale!r}",
            parameter="scale",
            function="summarise_microdata",
        )
    if statistic == "share_at_least" and (threshold is None or not scale[0] < threshold <= scale[1]):
        raise ParameterError(
            f"the 'threshold' parameter of summarise_microdata must be a number in "
            f"({scale[0]:g}, {scale[1]:g}] for statistic 'share_at_least'; got {threshold!r}",
            parameter="threshold",
            function="summarise_microdata",
        )
    if dont_know_in_denominator and statistic == "mean":
        raise ParameterError(
            "the 'dont_know_in_denominator' parameter of summarise_microdata applies to "
            "shares ('top2', 'share_at_least'), not to 'mean'; got True",
            parameter="dont_know_in_denominator",
            function="summarise_microdata",
        )
    columns = {"item": item}
    if city_column is not None:
        columns["city_column"] = city_column
    if period_column is not None:
        columns["period_column"] = period_column
    if weight_column is not None:
        columns["weight"] = weight_column
    frame, label = _read_columns(path_or_frame, columns, encoding)
    notes: list[str] = []

    values_by_cell, status_by_cell, categories = _classify(frame[item], scale, tuple(missing_codes))
    # Row pass: one integer "cell" per respondent = (city, period, answer, weight ok?). Index 0 of
    # each axis is "blank", so pandas' -1 codes need no special case.
    # Arrays are built in place: a ten-million-row file must not cost a copy per step.
    item_codes = frame[item].cat.codes.to_numpy()
    city_index, city_names = _group_codes(frame, city_column, city)
    period_index, period_names = _group_codes(frame, period_column, period or "")
    shape = (
        len(city_names) + 1,
        len(period_names) + 1,
        len(values_by_cell),
        2 if weight_column is not None else 1,
    )
    cell = city_index.astype(np.int64)
    blank_group = city_index == 0
    del city_index
    cell *= shape[1]
    cell += period_index
    blank_group |= period_index == 0
    del period_index
    cell *= shape[2]
    cell += item_codes
    cell += 1
    size = int(np.prod(shape))
    if weight_column is not None:
        weights = frame[weight_column].to_numpy(dtype=float)
        cell *= 2
        cell += ~(weights > 0)  # blank (NaN), zero or negative weights go to the second slot
        weight_sum = np.bincount(cell, weights=weights, minlength=size).reshape(shape)
        squares = np.square(weights)
        weight_sq_sum = np.bincount(cell, weights=squares, minlength=size).reshape(shape)
        del squares
    count = np.bincount(cell, minlength=size).reshape(shape)
    del cell
    if weight_column is None:
        weight_sum = weight_sq_sum = count.astype(float)

    unassigned = int(count[0].sum() + count[1:, 0].sum())
    if unassigned:
        rows = ", ".join(str(i + 2) for i in np.flatnonzero(blank_group)[:EXAMPLE_ROWS])
        notes.append(f"{unassigned} row(s) with a blank city or period were left out (rows {rows}).")

    share = statistic != "mean"
    counted = status_by_cell == Status.VALID
    if dont_know_in_denominator:
        counted |= status_by_cell == Status.MISSING_CODE
    if statistic == "top2":
        y = (values_by_cell >= scale[1] - 1).astype(float)
    elif statistic == "share_at_least":
        y = (values_by_cell >= threshold).astype(float)
    else:
        y = values_by_cell.copy()
    y[~counted | (status_by_cell == Status.MISSING_CODE)] = 0.0
    groups = (shape[0] - 1) * (shape[1] - 1)
    used = np.where(counted, 1, 0)

    def per_group(table: np.ndarray) -> np.ndarray:
        """Assigned groups x answer cells, weight-ok slot only, counted answers only."""
        return (table[1:, 1:, :, 0] * used).reshape(groups, shape[2])

    estimates = cell_estimates(
        per_group(count).astype(float),
        per_group(weight_sum),
        per_group(weight_sq_sum),
        y,
        share=share,
        alpha=alpha,
        interval=interval,
    )

    status_table = np.repeat(status_by_cell[:, None], shape[3], axis=1)
    if weight_column is not None:
        status_table[counted, 1] = Status.BAD_WEIGHT
    by_group = count[1:, 1:].reshape(groups, shape[2], shape[3])
    tally = np.stack([(by_group * (status_table == s)).sum(axis=(1, 2)) for s in Status], axis=1)
    present = np.flatnonzero(tally.sum(axis=1) > 0)
    city_of = present // (shape[1] - 1)
    period_of = present % (shape[1] - 1)
    identity = {
        "city_name": np.asarray(city_names, dtype=object)[city_of],
        "period": np.asarray(period_names, dtype=object)[period_of],
    }
    table = pd.DataFrame(
        {
            **identity,
            "indicator": indicator,
            "estimate": estimates.estimate[present],
            "se": estimates.se[present],
            "ci_lower": estimates.ci_lower[present],
            "ci_upper": estimates.ci_upper[present],
            "n": estimates.n[present],
            "n_eff": estimates.n_eff[present],
        }
    )
    cleaning = pd.DataFrame(
        {
            **identity,
            "rows": tally[present].sum(axis=1),
            **{name: tally[present, s] for name, s in zip(CLEANING_COLUMNS[1:], Status, strict=True)},
        }
    )

    if int(estimates.n.sum()) == 0:
        detail = ", ".join(f"{c}: {int(cleaning[c].sum())}" for c in CLEANING_COLUMNS[2:])
        raise OutcomesError(
            [
                Problem(
                    "outcomes.E021",
                    E021_NO_VALID.format(path=label, column=item, low=scale[0], high=scale[1], detail=detail),
                )
            ]
        )
    notes += _method_notes(
        statistic,
        threshold,
        scale,
        missing_codes,
        dont_know_in_denominator,
        weight_column,
        interval,
    )
    for wanted, what in (
        (Status.OUT_OF_RANGE, "out-of-range"),
        (Status.NON_NUMERIC, "non-numeric"),
    ):
        seen = _examples(item_codes, categories, status_by_cell, wanted)
        if seen:
            notes.append(f"{what} values dropped: {seen}.")
    small = table.loc[table["n"] < SMALL_N, "city_name"].astype(str).unique()
    if len(small):
        notes.append(
            f"fewer than {SMALL_N} valid answers (estimates unstable) in: "
            f"{', '.join(small[:10])}{' ...' if len(small) > 10 else ''}."
        )
    kind = "share" if share else "mean"
    method = (
        f"weighted ratio {kind}, linearisation (Taylor) variance, with-replacement"
        if weight_column
        else f"unweighted {kind}, variance s^2/n"
    )
    method += f"; {interval} interval" if share else "; t interval"
    return MicrodataResult(
        indicator=indicator,
        item=item,
        statistic=statistic,
        threshold=threshold,
        scale=(float(scale[0]), float(scale[1])),
        missing_codes=tuple(missing_codes),
        weighted=weight_column is not None,
        dont_know_in_denominator=dont_know_in_denominator,
        method=method,
        interval=interval if share else "t",
        alpha=alpha,
        table=table,
        cleaning=cleaning,
        notes=notes,
    )


def _group_codes(
    frame: pd.DataFrame, column: str | None, constant: str | None
) -> tuple[np.ndarray, list[str]]:
    """1-based group indexes (0 = blank) and names for a grouping column, or one constant group."""
    if column is None:
        return np.ones(len(frame), dtype=np.int16), [constant or ""]
    categorical = frame[column]
    names = [str(c).strip() for c in categorical.cat.categories]
    codes = categorical.cat.codes.to_numpy()
    # " Kansas City" and "Kansas City" are one city, and a blank name is no city: merge categories
    # after stripping spaces and send blanks to 0 (pandas codes empty cells -1).
    merged = [n for n in dict.fromkeys(names) if n]
    index = codes.astype(np.int32)
    index += 1
    if merged == names:
        return index, names
    position = {name: i + 1 for i, name in enumerate(merged)}
    remap = np.array([0] + [position.get(n, 0) for n in names], dtype=np.int32)
    return remap[index], merged


def _method_notes(
    statistic: str,
    threshold: float | None,
    scale: tuple[float, float],
    missing_codes: tuple[float, ...] | list[float],
    dont_know_in_denominator: bool,
    weight_column: str | None,
    interval: str,
) -> list[str]:
    low, high = scale
    if statistic == "top2":
        what = f"share answering {high - 1:g} or {high:g} (top-2 box) on {low:g}-{high:g}"
    elif statistic == "share_at_least":
        what = f"share answering at least {threshold:g} on {low:g}-{high:g}"
    else:
        what = f"mean on the {low:g}-{high:g} scale"
    codes = ", ".join(c if isinstance(c, str) else f"{c:g}" for c in missing_codes) or "none"
    rule = (
        "counted in the denominator as not satisfied"
        if dont_know_in_denominator
        else "excluded from the denominator"
    )
    notes = [f"estimate: {what}.", f'missing codes ({codes}, e.g. "don\'t know"): {rule}.']
    notes.append(
        f"weights from column {weight_column!r}; n is the unweighted count, n_eff Kish's "
        "effective sample size."
        if weight_column
        else "unweighted: every respondent counts once."
    )
    return notes
