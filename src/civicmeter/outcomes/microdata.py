"""Reduce resident-survey microdata (one row per respondent) to city indicators with uncertainty.

Survey files code "don't know" as 9 or 99, leave blanks, and sometimes hold stray values; each of
those must become missing *and be counted*, because a share computed with or without "don't know"
in the denominator differs and publishers differ. :func:`summarise_microdata` therefore returns the
estimates together with a per-city cleaning report and notes saying how many answers each rule
removed and which odd values were seen where.

The reduction is a short pipeline, one step per function: read the needed columns
(:mod:`~civicmeter.outcomes.respondents`), classify each distinct answer (:func:`_classify`), sum
respondents into (city, period, answer, weight ok) cells in one row pass (:func:`_tally`), estimate
per group from those sums (:func:`_estimate`), and describe what was dropped (:func:`_notes`).

Speed: the grouping and item columns are integer codes into their distinct texts
(:class:`~civicmeter.outcomes.cells.Coded`), so each distinct answer ("4", "9", "DK") is parsed and
classified once and rows are handled through integer codes and ``np.bincount`` (see
:mod:`civicmeter.outcomes.estimators` for the formulas). The reduction of a large CSV imports no
pandas: DuckDB sums the cells, numpy does the rest, the result builds its data frames when asked
for them and prints and writes its tables through :mod:`~civicmeter.outcomes.plain_table`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from civicmeter.outcomes import plain_table
from civicmeter.outcomes.cells import COUNT, SQUARES, USABLE, Coded, Columns, number_text
from civicmeter.outcomes.errors import OutcomesError, Problem
from civicmeter.outcomes.estimators import GroupEstimates, cell_estimates
from civicmeter.outcomes.microdata_spec import STATISTICS, MicrodataSpec
from civicmeter.outcomes.respondents import EXAMPLE_ROWS, read_respondents
from civicmeter.params import DATA_FRAME, NONE, InstanceOf, validate_params
from civicmeter.provenance import Provenance
from civicmeter.results_protocol import SUMMARY_COLUMNS, write_csv

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["STATISTICS", "MicrodataResult", "MicrodataSpec", "summarise_microdata"]

SMALL_N = 30
#: Distinct odd values named in the notes before "... and N more".
NOTE_VALUES = 20
#: Rows named per odd value (and for bad weights) in the notes.
NOTE_ROWS = 3

E021_NO_VALID = (
    "{path}, column {column!r}: no valid answers on the scale {low:g}-{high:g} "
    "({detail}). Check --scale and --missing-codes."
)
E023_EMPTY_GROUP = (
    "{indicator}: no valid answers for {groups}, so there is no estimate to store. Check --scale "
    "and --missing-codes, or leave those periods out of the file."
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


def plain(value: object) -> str:
    """8.5 -> "8.5", 9.0 -> "9", "DK" -> "DK": numbers as people write them, never np.float64(8.5)."""
    if isinstance(value, (float, np.floating)):
        return f"{float(value):g}"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return str(value)


@dataclass
class MicrodataResult:
    """City (and period) estimates from microdata, their cleaning report and the method used.

    Follows the shared result shape (:mod:`civicmeter.results_protocol`). The estimates and the
    cleaning report are kept as columns (numpy arrays) and become data frames (:attr:`table`,
    :attr:`cleaning`) on first use, so printing and writing them needs no pandas.
    """

    spec: MicrodataSpec
    method: str
    table_columns: dict[str, np.ndarray]
    cleaning_columns: dict[str, np.ndarray]
    notes: list[str] = field(default_factory=list)
    provenance: Provenance = field(default_factory=Provenance)

    @cached_property
    def table(self) -> pd.DataFrame:
        """One row per city and period: city_name, period, indicator, estimate, se, ci_lower,
        ci_upper, n, n_eff."""
        import pandas as pd

        return pd.DataFrame(self.table_columns)

    @cached_property
    def cleaning(self) -> pd.DataFrame:
        """One row per city and period: how many rows each cleaning rule kept or removed."""
        import pandas as pd

        return pd.DataFrame(self.cleaning_columns)

    @property
    def indicator(self) -> str:
        return self.spec.indicator

    @property
    def alpha(self) -> float:
        return self.spec.alpha

    @property
    def interval(self) -> str:
        return self.spec.interval if self.is_share else "t"

    @property
    def is_share(self) -> bool:
        return self.spec.is_share

    def to_frame(self) -> pd.DataFrame:
        """Tidy rows: city_name, period, indicator, estimate, se, ci_lower, ci_upper, n, n_eff."""
        return self.table.copy()

    def to_outcome_frame(
        self, *, country: str = "", region: str = "", unit: str = "", source: str = ""
    ) -> pd.DataFrame:
        """The estimates as outcome rows (:data:`~civicmeter.outcomes.TIDY_COLUMNS`) for storage.

        ``value`` is the estimate (a 0-1 share for shares); ``n`` and ``se`` come along so the
        stored figure keeps its uncertainty. ``unit`` defaults to "share" or "mean". A city and
        period without a valid answer has no estimate, so it is refused (``outcomes.E023``)
        rather than stored as a blank.
        """
        import pandas as pd

        from civicmeter.outcomes.outcome_table import TIDY_COLUMNS

        rows = self.table
        empty = rows[rows["n"] == 0]
        if len(empty):
            groups = ", ".join(
                f"{r.city_name} {r.period}".strip() for r in empty.head(NOTE_VALUES).itertuples()
            )
            more = f" and {len(empty) - NOTE_VALUES} more" if len(empty) > NOTE_VALUES else ""
            message = E023_EMPTY_GROUP.format(indicator=self.indicator, groups=groups + more)
            raise OutcomesError([Problem("outcomes.E023", message)])
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
                "source": source or f"microdata item {self.spec.item}: {self.method}",
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
        """The shared result shape, one row per city and period (the index): ``estimate`` (the mean,
        or the share from 0 to 1), ``se``, ``ci_lower``, ``ci_upper``, ``n`` valid answers, then
        ``n_eff`` and ``reason`` (why a cell is missing, "" when nothing is)."""
        frame = self.table.set_index(["city_name", "period"])[[*SUMMARY_COLUMNS, "n_eff"]]
        return frame.assign(reason=[_reason(*row) for row in frame[list(SUMMARY_COLUMNS)].to_numpy()])

    def to_csv(self, path_or_buffer=None) -> str | None:
        """:meth:`summary_frame` plus the provenance columns; the text when no path is given."""
        return write_csv(self.summary_frame(), self.provenance, path_or_buffer)

    def display_frame(self) -> pd.DataFrame:
        """Estimates with interval headers built from ``alpha`` ("95% CI lower"), for display."""
        lower, upper = self.interval_labels()
        return self.table.rename(columns={"ci_lower": lower, "ci_upper": upper})

    def _display_columns(self) -> dict[str, np.ndarray]:
        """:meth:`display_frame`'s columns, without building the frame."""
        names = dict(zip(("ci_lower", "ci_upper"), self.interval_labels(), strict=True))
        return {names.get(name, name): values for name, values in self.table_columns.items()}

    def write_estimates(self, path: str | Path) -> None:
        """The estimates with the method and alpha in every row, as a CSV (what
        ``outcomes microdata --out`` writes)."""
        rows = len(self.table_columns["estimate"])
        plain_table.write_csv(
            {
                **self.table_columns,
                "method": np.full(rows, self.method, dtype=object),
                "alpha": np.full(rows, self.alpha, dtype=float),
            },
            str(path),
        )

    def numbered_notes(self) -> list[str]:
        return [f"[{i}] {note}" for i, note in enumerate(self.notes, start=1)]

    def to_text(self) -> str:
        spec = self.spec
        lines = [
            f"{spec.indicator}: {spec.statistic} of {spec.item} ({self.method})",
            "; ".join(f"{k}: {v}" for k, v in self.provenance.items()),
            plain_table.text_table(self._display_columns()),
            "",
            "Cleaning report",
            plain_table.text_table(self.cleaning_columns),
            "",
            *self.numbered_notes(),
        ]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()


def _reason(estimate: float, se: float, lower: float, upper: float, n: float) -> str:
    """Why an estimate, its standard error or its interval is missing ("" when none is)."""
    if n == 0:
        return "no valid answers: no estimate"
    if n == 1:
        return "one valid answer: no standard error or interval"
    if np.isnan(lower) or np.isnan(upper):
        return "a share of 0 or 1: the logit interval is undefined there (the Wilson one is not)"
    return ""


@dataclass(frozen=True)
class Answers:
    """Each distinct answer's value and status; position 0 is the blank cell, then the categories."""

    values: np.ndarray
    status: np.ndarray
    labels: list
    half_point: np.ndarray
    row_codes: np.ndarray
    #: labels are numbers' texts (:attr:`~civicmeter.outcomes.cells.Coded.numeric`)
    numeric: bool = False


def _number(text: str) -> float:
    """A stripped answer or weight as a number as pandas' ``to_numeric`` reads it, NaN if it is
    none (Python's ``float`` would also take "1_000" and non-ASCII digits)."""
    if not text.isascii() or "_" in text:
        return float("nan")
    try:
        return float(text)
    except ValueError:
        return float("nan")


def _folded(labels: list) -> list[str]:
    """Answer texts as missing codes are compared: stripped, lower case."""
    return [str(label).strip().lower() for label in labels]


def _classify(item: Coded, spec: MicrodataSpec) -> Answers:
    """Value and status of each distinct answer ("4", "9", "DK"), done once, not per respondent."""
    text = [str(label).strip() for label in item.labels]
    numbers_ = np.array([_number(t) for t in text], dtype=float)
    low, high = spec.scale
    codes = spec.codes
    numeric_codes = [float(c) for c in codes if not isinstance(c, str)]
    text_codes = {c.strip().lower() for c in codes if isinstance(c, str)}
    is_missing = np.isin(numbers_, numeric_codes) | np.array(
        [t in text_codes for t in _folded(item.labels)], dtype=bool
    )
    in_range = (numbers_ >= low) & (numbers_ <= high)
    whole = numbers_ == np.round(numbers_)
    half = in_range & ~whole & (2 * numbers_ == np.round(2 * numbers_))
    valid = in_range & (whole | (half if spec.half_points == "keep" else False))
    status = np.full(len(text), Status.VALID, dtype=np.int8)
    status[~valid] = Status.OUT_OF_RANGE
    status[np.isnan(numbers_)] = Status.NON_NUMERIC
    status[is_missing] = Status.MISSING_CODE
    status[np.array([t == "" for t in text], dtype=bool)] = Status.BLANK
    dropped_half = half & (status == Status.OUT_OF_RANGE)
    return Answers(
        values=np.concatenate([[np.nan], numbers_]),
        status=np.concatenate([[Status.BLANK], status]).astype(np.int8),
        labels=item.labels,
        half_point=np.concatenate([[False], dropped_half]),
        row_codes=item.codes,
        numeric=item.numeric,
    )


@dataclass
class Tally:
    """Respondent counts and weight sums per (city, period, answer, weight ok) cell.

    Axis 0 of city and period is "blank" (left out); the last axis is 0 for a usable weight and
    1 for a blank, zero or negative one (unweighted files have only slot 0).
    """

    count: np.ndarray
    weight_sum: np.ndarray
    weight_sq_sum: np.ndarray
    city_names: list[str]
    period_names: list[str]
    blank_rows: np.ndarray
    bad_weight_rows: np.ndarray
    blank_count: int = 0
    bad_weight_count: int = 0
    #: answer position -> first rows holding it; None = found from the rows in memory
    example_rows: dict[int, np.ndarray] | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        return self.count.shape

    @property
    def groups(self) -> int:
        return (self.shape[0] - 1) * (self.shape[1] - 1)


def _tally(frame: Columns, spec: MicrodataSpec, answers: Answers) -> Tally:
    """The one pass over the rows: an integer cell per respondent, then ``np.bincount``.

    Index 0 of each axis is "blank", so pandas' -1 codes need no special case. Arrays are built
    in place: a ten-million-row file must not cost a copy per step. A frame of cells already
    summed by DuckDB (:mod:`~civicmeter.outcomes.cells`) passes through the same code, each row
    weighted by its respondent count.
    """
    grouped = COUNT in frame
    rows = len(answers.row_codes)
    city_index, city_names = _group_codes(frame, rows, spec.city_column, spec.city)
    period_index, period_names = _group_codes(frame, rows, spec.period_column, spec.period or "")
    weighted = spec.weight_column is not None
    shape = (len(city_names) + 1, len(period_names) + 1, len(answers.values), 2 if weighted else 1)
    cell = city_index.astype(np.int64)
    blank_group = city_index == 0
    del city_index
    cell *= shape[1]
    cell += period_index
    blank_group |= period_index == 0
    del period_index
    cell *= shape[2]
    cell += answers.row_codes
    cell += 1
    size = int(np.prod(shape))
    bad_weight_rows = np.empty(0, dtype=np.int64)
    if weighted:
        weights = np.asarray(frame[spec.weight_column], dtype=float)
        # blank (NaN), zero or negative weights go to the second slot
        unusable = ~np.asarray(frame[USABLE], dtype=bool) if grouped else ~(weights > 0)
        cell *= 2
        cell += unusable
        weight_sum = np.bincount(cell, weights=weights, minlength=size).reshape(shape)
        squares = np.asarray(frame[SQUARES], dtype=float) if grouped else np.square(weights)
        weight_sq_sum = np.bincount(cell, weights=squares, minlength=size).reshape(shape)
        del squares
        if not grouped:
            candidates = np.flatnonzero(unusable)
            answered = _counted(answers.status, spec)[answers.row_codes[candidates] + 1]
            bad_weight_rows = candidates[answered & ~blank_group[candidates]]
    if grouped:
        multiplicity = np.asarray(frame[COUNT], dtype=float)
        count = (
            np.rint(np.bincount(cell, weights=multiplicity, minlength=size)).astype(np.int64).reshape(shape)
        )
    else:
        count = np.bincount(cell, minlength=size).reshape(shape)
    del cell
    if not weighted:
        weight_sum = weight_sq_sum = count.astype(float)
    blank_rows = np.empty(0, dtype=np.int64) if grouped else np.flatnonzero(blank_group)
    tally = Tally(count, weight_sum, weight_sq_sum, city_names, period_names, blank_rows, bad_weight_rows)
    tally.blank_count = int(count[0].sum() + count[1:, 0].sum())
    if weighted:
        counted = _counted(answers.status, spec)
        tally.bad_weight_count = int(count[1:, 1:][:, :, counted, 1].sum())
    return tally


def _counted(status: np.ndarray, spec: MicrodataSpec) -> np.ndarray:
    """Which answers enter the denominator: valid ones, and "don't know" when the spec says so."""
    counted = status == Status.VALID
    if spec.dont_know_in_denominator:
        counted |= status == Status.MISSING_CODE
    return counted


def _estimate(tally: Tally, answers: Answers, spec: MicrodataSpec) -> GroupEstimates:
    """Per-group estimates from the cell sums (formulas in :mod:`~civicmeter.outcomes.estimators`)."""
    status, values = answers.status, answers.values
    counted = _counted(status, spec)
    high = spec.scale[1]
    if spec.statistic == "top2":
        y = (values >= high - 1).astype(float)
    elif spec.statistic == "share_at_least":
        y = (values >= spec.threshold).astype(float)
    else:
        y = values.copy()
    y[~counted | (status == Status.MISSING_CODE)] = 0.0
    used = np.where(counted, 1, 0)
    cells = tally.shape[2]

    def per_group(table: np.ndarray) -> np.ndarray:
        """Assigned groups x answer cells, weight-ok slot only, counted answers only."""
        return (table[1:, 1:, :, 0] * used).reshape(tally.groups, cells)

    return cell_estimates(
        per_group(tally.count).astype(float),
        per_group(tally.weight_sum),
        per_group(tally.weight_sq_sum),
        y,
        share=spec.is_share,
        alpha=spec.alpha,
        interval=spec.interval,
    )


def _frames(
    tally: Tally, answers: Answers, estimates: GroupEstimates, spec: MicrodataSpec
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The estimates table and the cleaning report as columns, one row per city and period present."""
    shape = tally.shape
    status_table = np.repeat(answers.status[:, None], shape[3], axis=1)
    if shape[3] == 2:
        status_table[_counted(answers.status, spec), 1] = Status.BAD_WEIGHT
    by_group = tally.count[1:, 1:].reshape(tally.groups, shape[2], shape[3])
    tally_by_status = np.stack([(by_group * (status_table == s)).sum(axis=(1, 2)) for s in Status], axis=1)
    present = np.flatnonzero(tally_by_status.sum(axis=1) > 0)
    identity = {
        "city_name": np.asarray(tally.city_names, dtype=object)[present // (shape[1] - 1)],
        "period": np.asarray(tally.period_names, dtype=object)[present % (shape[1] - 1)],
    }
    table = dict(
        {
            **identity,
            "indicator": np.full(len(present), spec.indicator, dtype=object),
            "estimate": estimates.estimate[present],
            "se": estimates.se[present],
            "ci_lower": estimates.ci_lower[present],
            "ci_upper": estimates.ci_upper[present],
            "n": estimates.n[present],
            "n_eff": estimates.n_eff[present],
        }
    )
    cleaning = dict(
        {
            **identity,
            "rows": tally_by_status[present].sum(axis=1),
            **{
                name: tally_by_status[present, s]
                for name, s in zip(CLEANING_COLUMNS[1:], Status, strict=True)
            },
        }
    )
    return table, cleaning


@validate_params(
    {
        "path_or_frame": [InstanceOf((str, Path), "a file path"), DATA_FRAME],
        "spec": [InstanceOf(MicrodataSpec, "a MicrodataSpec"), NONE],
        "progress": [InstanceOf(Callable, "a function taking the percentage read"), NONE],
    }
)
def summarise_microdata(
    path_or_frame: str | Path | pd.DataFrame,
    spec: MicrodataSpec | None = None,
    *,
    progress: Callable[[float], None] | None = None,
    **options: object,
) -> MicrodataResult:
    """Per city and period: estimate, n, effective n, se and interval of one survey item.

    The settings are a :class:`~civicmeter.outcomes.microdata_spec.MicrodataSpec`, passed whole or
    as its keyword options (``item=..., scale=(1, 5), indicator=...``). ``statistic``: ``"mean"``
    of the item on its scale; ``"top2"`` share answering one of the two highest points (e.g. 4-5
    "satisfied" on 1-5); ``"share_at_least"`` share answering at least ``threshold``. Missing codes
    ("don't know": numbers such as 99, or texts such as "DK", compared without case), blanks,
    non-numbers and values outside ``scale`` (or not whole numbers) are dropped and counted per
    city in ``cleaning``; the notes say how many answers each rule removed.
    ``dont_know_in_denominator=True`` (shares only) counts "don't know" answers as not satisfied,
    the rule some publishers use. ``weight_column`` holds survey weights meaning "respondents in
    the population this respondent stands for" (any scale; only ratios matter); rows with a blank,
    zero or negative weight are dropped, counted and named. See
    :mod:`~civicmeter.outcomes.estimators` for the estimator, the variance and the intervals.
    Large UTF-8 CSV files are summed by DuckDB in bounded memory; ``progress`` then receives the
    percentage read as it goes (for a progress bar).
    """
    if spec is None:
        if "missing_codes" in options and isinstance(options["missing_codes"], list):
            options["missing_codes"] = tuple(options["missing_codes"])
        spec = MicrodataSpec(**options)
    elif options:
        raise TypeError("summarise_microdata takes a MicrodataSpec or its options, not both")
    frame, label, locate = read_respondents(path_or_frame, spec.columns(), spec.encoding, progress)
    answers = _classify(frame[spec.item], spec)
    tally = _tally(frame, spec, answers)
    del frame
    if locate is not None:
        _find_examples(tally, answers, spec, locate)
    estimates = _estimate(tally, answers, spec)
    table, cleaning = _frames(tally, answers, estimates, spec)
    if int(estimates.n.sum()) == 0:
        detail = ", ".join(f"{c}: {int(cleaning[c].sum())}" for c in CLEANING_COLUMNS[2:])
        low, high = spec.scale
        message = E021_NO_VALID.format(path=label, column=spec.item, low=low, high=high, detail=detail)
        raise OutcomesError([Problem("outcomes.E021", message)])
    method = _method(spec)
    periods = tuple(f"{spec.indicator} {p}" for p in dict.fromkeys(table["period"]) if str(p))
    return MicrodataResult(
        spec=spec,
        method=method,
        table_columns=table,
        cleaning_columns=cleaning,
        notes=_notes(spec, tally, answers, table),
        provenance=Provenance(
            recipe_version=f"microdata {spec.statistic} of {spec.item}: {method}",
            sources=(str(path_or_frame),) if isinstance(path_or_frame, (str, Path)) else (),
            periods=periods,
        ),
    )


def _group_codes(
    frame: Columns, rows: int, column: str | None, constant: str | None
) -> tuple[np.ndarray, list[str]]:
    """1-based group indexes (0 = blank) and names for a grouping column, or one constant group."""
    if column is None:
        return np.ones(rows, dtype=np.int16), [constant or ""]
    coded = frame[column]
    names = [str(c).strip() for c in coded.labels]
    codes = coded.codes
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


def _method(spec: MicrodataSpec) -> str:
    kind = "share" if spec.is_share else "mean"
    method = (
        f"weighted ratio {kind}, linearisation (Taylor) variance, with-replacement"
        if spec.weight_column
        else f"unweighted {kind}, variance s^2/n"
    )
    return method + (f"; {spec.interval} interval" if spec.is_share else "; t interval")


def _rows_text(rows: np.ndarray, total: int | None = None) -> str:
    """Spreadsheet row numbers (header = row 1), at most :data:`EXAMPLE_ROWS`, "..." for more."""
    listed = rows[:EXAMPLE_ROWS]
    shown = ", ".join(str(int(i) + 2) for i in listed)
    total = len(rows) if total is None else total
    return shown + (f" and {total - len(listed)} more" if total > len(listed) else "")


def _notes(spec: MicrodataSpec, tally: Tally, answers: Answers, table: dict[str, np.ndarray]) -> list[str]:
    """What the estimate is, then what each cleaning rule removed and where the odd values are."""
    notes = []
    if tally.blank_count:
        notes.append(
            f"{tally.blank_count} row(s) with a blank city or period were left out "
            f"(rows {_rows_text(tally.blank_rows, tally.blank_count)})."
        )
    notes += _method_notes(spec)
    per_answer = tally.count[1:, 1:].sum(axis=(0, 1))  # assigned rows only, per answer x weight slot
    notes.append(_removed_note(spec, answers, per_answer, tally.bad_weight_count))
    notes += _odd_value_notes(spec, answers, per_answer.sum(axis=1), tally.example_rows)
    if tally.bad_weight_count:
        notes.append(
            f"{tally.bad_weight_count} answer(s) dropped for a blank, zero or negative weight in "
            f"column {spec.weight_column!r} "
            f"(rows {_rows_text(tally.bad_weight_rows, tally.bad_weight_count)})."
        )
    small = list(dict.fromkeys(str(name) for name in table["city_name"][table["n"] < SMALL_N]))
    if len(small):
        notes.append(
            f"fewer than {SMALL_N} valid answers (estimates unstable) in: "
            f"{', '.join(small[:10])}{' ...' if len(small) > 10 else ''}."
        )
    return notes


def _removed_note(spec: MicrodataSpec, answers: Answers, per_answer: np.ndarray, bad_weights: int) -> str:
    """'answers removed by each rule: blank 3; missing code 99: 12; ...' (every rule, zeros too)."""
    totals = per_answer.sum(axis=1)
    status = answers.status
    parts = [f"blank: {int(totals[status == Status.BLANK].sum())}"]
    folded = np.array(_folded(answers.labels), dtype=object)
    for code in spec.codes:
        if isinstance(code, str):
            hit = folded == code.strip().lower()
        else:
            hit = answers.values[1:] == float(code)
        hit = np.concatenate([[False], hit]) & (status == Status.MISSING_CODE)
        parts.append(f"missing code {plain(code)}: {int(totals[hit].sum())}")
    half = int(totals[answers.half_point].sum())
    outside = int(totals[status == Status.OUT_OF_RANGE].sum()) - half
    parts.append(f"out of range: {outside}")
    if spec.half_points == "drop":
        parts.append(f"half-point: {half}")
    parts.append(f"non-numeric: {int(totals[status == Status.NON_NUMERIC].sum())}")
    if spec.weight_column is not None:
        parts.append(f"bad weight: {bad_weights}")
    note = "answers removed by each rule: " + "; ".join(parts) + "."
    if spec.dont_know_in_denominator:
        note += " Missing-code answers stay in the denominator as not satisfied."
    return note


def _odd_kinds(spec: MicrodataSpec, answers: Answers) -> list[tuple[np.ndarray, str, str]]:
    """(which answers, what the note calls them, advice) for each kind of odd value."""
    low, high = spec.scale
    out_of_range = (answers.status == Status.OUT_OF_RANGE) & ~answers.half_point
    kinds = [
        (out_of_range, "out-of-range values dropped", ""),
        (
            answers.half_point,
            f"half-point answers dropped (the {low:g}-{high:g} scale takes whole numbers)",
            " Pass --half-points keep (half_points='keep') to count them as given.",
        ),
        (answers.status == Status.NON_NUMERIC, "non-numeric values dropped", ""),
    ]
    return kinds


def _shown_odd_values(spec: MicrodataSpec, answers: Answers, totals: np.ndarray) -> list[np.ndarray]:
    """Per kind of odd value, the answer positions named in the notes (at most NOTE_VALUES)."""
    return [np.flatnonzero(wanted & (totals > 0))[:NOTE_VALUES] for wanted, _, _ in _odd_kinds(spec, answers)]


def _odd_value_notes(
    spec: MicrodataSpec, answers: Answers, totals: np.ndarray, example_rows: dict | None
) -> list[str]:
    """Name every odd value (up to :data:`NOTE_VALUES`, then how many more) with count and rows."""
    notes = []
    for wanted, what, advice in _odd_kinds(spec, answers):
        positions = np.flatnonzero(wanted & (totals > 0))
        if not len(positions):
            continue
        shown = positions[:NOTE_VALUES]
        rows = _first_rows(answers.row_codes, shown) if example_rows is None else example_rows
        parts = [
            f"{plain(answers.labels[p - 1])!r} ({int(totals[p])}x, row {_rows_text(rows[p], int(totals[p]))})"
            for p in shown
        ]
        more = len(positions) - len(shown)
        tail = f"; and {more} more distinct value(s)" if more else ""
        notes.append(f"{what}: {'; '.join(parts)}{tail}.{advice}")
    return notes


def _first_rows(row_codes: np.ndarray, positions: np.ndarray) -> dict[int, np.ndarray]:
    """The first few rows holding each wanted answer, found in one pass over the rows."""
    wanted = np.zeros(int(row_codes.max(initial=-1)) + 2, dtype=bool)
    wanted[positions] = True
    rows = np.flatnonzero(wanted[row_codes + 1])
    codes = row_codes[rows] + 1
    return {int(p): rows[codes == p][:NOTE_ROWS] for p in positions}


def _method_notes(spec: MicrodataSpec) -> list[str]:
    low, high = spec.scale
    if spec.statistic == "top2":
        what = f"share answering {high - 1:g} or {high:g} (top-2 box) on {low:g}-{high:g}"
    elif spec.statistic == "share_at_least":
        what = f"share answering at least {spec.threshold:g} on {low:g}-{high:g}"
    else:
        what = f"mean on the {low:g}-{high:g} scale"
    codes = ", ".join(plain(c) for c in spec.codes) or "none"
    rule = (
        "counted in the denominator as not satisfied"
        if spec.dont_know_in_denominator
        else "excluded from the denominator"
    )
    notes = [f"estimate: {what}.", f'missing codes ({codes}, e.g. "don\'t know"): {rule}.']
    if spec.unused_defaults:
        unused = ", ".join(plain(c) for c in spec.unused_defaults)
        notes.append(
            f"the usual missing code(s) {unused} are valid answers on the {low:g}-{high:g} scale, "
            "so they were kept as answers; pass --missing-codes to name the file's own codes."
        )
    notes.append(
        f"weights from column {spec.weight_column!r}; n is the unweighted count, n_eff Kish's "
        "effective sample size."
        if spec.weight_column
        else "unweighted: every respondent counts once."
    )
    return notes


def _find_examples(tally: Tally, answers: Answers, spec: MicrodataSpec, locate) -> None:
    """For cells summed without their rows: find the first rows of each example the notes name
    (odd values, blank groups, bad weights) with one early-stopping read."""
    totals = tally.count[1:, 1:].sum(axis=(0, 1, 3))
    positions = np.concatenate(_shown_odd_values(spec, answers, totals))
    keys = {answers.labels[p - 1]: str(p) for p in positions}
    counted = _counted(answers.status, spec)
    counted_labels = {label for p, label in enumerate(answers.labels, start=1) if counted[p]}
    # the notes name an answer's first rows in the whole file, blank cities and periods included
    in_file = tally.count.sum(axis=(0, 1, 3))
    need = {str(p): min(NOTE_ROWS, int(in_file[p])) for p in positions}
    need["blank"] = min(EXAMPLE_ROWS, tally.blank_count)
    need["bad_weight"] = min(EXAMPLE_ROWS, tally.bad_weight_count)
    groups = [c for c in (spec.city_column, spec.period_column) if c is not None]
    weighted = spec.weight_column is not None

    def examples(row: list[str | None]) -> list[str]:
        """Which examples a row is: row = [answer, *grouping texts, weight] (None = missing)."""
        answer = row[0]
        if answers.numeric and answer is not None:
            answer = number_text(_number(answer.strip()))
        found = [keys[answer]] if answer in keys else []
        if any(text is None or not text.strip() for text in row[1 : 1 + len(groups)]):
            found.append("blank")
        elif weighted and answer in counted_labels:
            weight = row[-1]
            if weight is None or not _number(weight.strip()) > 0:
                found.append("bad_weight")
        return found

    if not any(need.values()):
        tally.example_rows = {}
        return
    columns = [spec.item, *groups, *([spec.weight_column] if weighted else [])]
    found = locate(columns, examples=examples, need=need)
    as_index = {key: np.asarray(rows, dtype=np.int64) - 2 for key, rows in found.items()}
    tally.example_rows = {int(p): as_index.get(str(p), np.empty(0, np.int64))[:NOTE_ROWS] for p in positions}
    tally.blank_rows = as_index.get("blank", np.empty(0, np.int64))
    tally.bad_weight_rows = as_index.get("bad_weight", np.empty(0, np.int64))
