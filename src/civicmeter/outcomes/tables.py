"""Import city outcome tables (long, one-measure, wide-by-measure, wide-by-year) as one tidy shape.

Whatever the publisher's layout, the result is an :class:`OutcomeTable`: one row per city, period
and catalogue indicator with the raw value, plus an :class:`ImportReport` saying what was read,
kept and dropped and why. Structural problems (a missing column, an unknown indicator code, no
period) stop the import with every problem listed; cell-level problems (a non-number, a
suppressed value, a name not in the catalogue) drop the row and are listed in the report, so a
user sees the whole picture in one run. Nothing here stores anything: the web service calls this,
matches the names with :func:`~civicmeter.outcomes.matching.match_cities` and writes in one
transaction.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from civicmeter.outcomes.catalogue import SHARE_UNITS, Catalogue, load_catalogue
from civicmeter.outcomes.countries import country_codes
from civicmeter.outcomes.errors import Problem, raise_if_any
from civicmeter.outcomes.files import RawTable, read_table
from civicmeter.outcomes.import_spec import ImportSpec
from civicmeter.outcomes.layouts import (
    E031_UNKNOWN_INDICATOR,
    MISSING_MARKERS,
    ROLES,
    _clean_numbers,
    _find_columns,
    _value_columns,
)
from civicmeter.outcomes.outcome_table import TIDY_COLUMNS, ImportReport, OutcomeTable
from civicmeter.params import NONE, InstanceOf, ParameterError, validate_params

E034_NO_PERIOD = (
    "{path}: no period: no year/period column and no 'Date:' line. Pass --period (e.g. 2023) "
    "or map the period column."
)
E035_CONFLICT = (
    "{path}: {city!r} has two different values for {indicator} in period {period} "
    "(rows {rows}). Remove the duplicate or add a distinguishing column (region, code)."
)
E036_NO_CITY = "{path}: no city name column found. Map it, e.g. --map city=COLUMN (columns: {available})."


def _column_or(frame: pd.DataFrame, found: dict[str, str], role: str, default: str) -> pd.Series:
    if role in found:
        return frame[found[role]].str.strip()
    return pd.Series(default, index=frame.index, dtype=object)


@dataclass(frozen=True)
class _Plan:
    """How a table is laid out: the columns found per role and which columns hold values."""

    found: dict[str, str]
    layout: str
    value_columns: dict[str, str]
    ignored: list[str]
    #: The period for every row when the file has no period column (given, or its 'Date:' line).
    period: str | None


@validate_params(
    {
        "path": [InstanceOf((str, Path), "a file path")],
        "spec": [InstanceOf(ImportSpec, "an ImportSpec"), NONE],
        "catalogue": [InstanceOf(Catalogue, "a Catalogue"), NONE],
    }
)
def read_outcome_table(
    path: str | Path,
    spec: ImportSpec | None = None,
    *,
    catalogue: Catalogue | None = None,
    **options: object,
) -> OutcomeTable:
    """Read a city outcome table into tidy rows checked against the catalogue.

    The reading options are an :class:`~civicmeter.outcomes.import_spec.ImportSpec`, passed whole
    or as its keyword options. ``mapping`` maps roles (``city``, ``city_code``, ``country``,
    ``region``, ``period``, ``indicator``, ``value``, ``unit``, ``source``, ``n``, ``se``) to column
    names; unmapped roles are found by their usual headers. ``mapping["indicators"]`` may map
    several value columns to catalogue codes (a wide table). ``indicator`` + ``value_column`` pick
    one measure. ``period``, ``country`` and ``source`` fill a column the file lacks; without a
    period column or ``period``, a ``Date:`` metadata line above the header is used. A country
    column may hold ISO codes or English country names ("Germany" -> DE).
    """
    if spec is None:
        spec = ImportSpec(**options)
    elif options:
        raise TypeError("read_outcome_table takes an ImportSpec or its options, not both")
    mapping, mapping_indicators = _checked_mapping(spec)
    catalogue = catalogue if catalogue is not None else load_catalogue()
    raw = read_table(path, encoding=spec.encoding, skip_rows=spec.skip_rows, sheet=spec.sheet)
    plan = _plan(raw, spec, mapping, mapping_indicators, catalogue)
    report = _report(raw, plan, spec)
    data = _clean_values(_value_rows(raw, plan, spec), catalogue, raw, report)
    _note_odd_countries(data, report)
    report.rows_kept = len(data)
    return OutcomeTable(data=data, report=report)


def _checked_mapping(spec: ImportSpec) -> tuple[dict[str, str], dict[str, str]]:
    """The role mapping and the value-column-to-indicator mapping, with unknown roles refused."""
    mapping = dict(spec.mapping or {})
    mapping_indicators = mapping.pop("indicators", {}) or {}
    unknown_roles = set(mapping) - set(ROLES)
    if unknown_roles or not isinstance(mapping_indicators, dict):
        raise ParameterError(
            f"the 'mapping' parameter of read_outcome_table accepts the roles "
            f"{', '.join(ROLES)} and 'indicators' (a dict); got {sorted(unknown_roles)}",
            parameter="mapping",
            function="read_outcome_table",
        )
    return mapping, mapping_indicators


def _plan(
    raw: RawTable,
    spec: ImportSpec,
    mapping: dict[str, str],
    mapping_indicators: dict[str, str],
    catalogue: Catalogue,
) -> _Plan:
    """Find the columns, the layout and the period; every structural problem is raised at once."""
    found, problems = _find_columns(raw, mapping, catalogue)
    if "city" not in found and "city" not in mapping:
        available = ", ".join(map(repr, raw.frame.columns))
        problems.append(Problem("outcomes.E036", E036_NO_CITY.format(path=raw.path, available=available)))
    layout, value_columns, ignored, layout_problems = _value_columns(
        raw, found, mapping_indicators, spec.indicator, spec.value_column, catalogue
    )
    problems += layout_problems
    if layout == "wide-measures":
        problems += [
            Problem("outcomes.E031", E031_UNKNOWN_INDICATOR.format(path=raw.path, code=code, hint=""))
            for code in value_columns.values()
            if catalogue.resolve(code) is None
        ]
    period = None if spec.period is None else str(spec.period)
    if period is None and "period" not in found and layout != "wide-years":
        period = raw.metadata.get("Date")
        if period is None:
            problems.append(Problem("outcomes.E034", E034_NO_PERIOD.format(path=raw.path)))
    raise_if_any(problems)
    return _Plan(found, layout, value_columns, ignored, period)


def _report(raw: RawTable, plan: _Plan, spec: ImportSpec) -> ImportReport:
    """What was detected and decided, before any row is dropped."""
    report = ImportReport(
        path=raw.path,
        layout=plan.layout,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        skip_rows=raw.skip_rows,
        metadata=raw.metadata,
        columns=plan.found,
        value_columns={c: code or "(indicator column)" for c, code in plan.value_columns.items()},
        rows_read=len(raw.frame),
        ignored_columns=[c for c in plan.ignored if not c.startswith("Unnamed:")],
    )
    if plan.period is not None and spec.period is None and "period" not in plan.found:
        report.notes.append(f"period {plan.period!r} taken from the file's 'Date:' line.")
    return report


def _value_rows(raw: RawTable, plan: _Plan, spec: ImportSpec) -> pd.DataFrame:
    """One row per value cell, with its city, period and indicator still as text."""
    frame, found = raw.frame, plan.found
    base = pd.DataFrame(
        {
            "city_name": _column_or(frame, found, "city", ""),
            "country": country_codes(_column_or(frame, found, "country", spec.country or "")),
            "region": _column_or(frame, found, "region", ""),
            "city_code": _column_or(frame, found, "city_code", ""),
            "period": _column_or(frame, found, "period", plan.period or ""),
            "unit": _column_or(frame, found, "unit", ""),
            "source": _column_or(frame, found, "source", spec.source or ""),
            "n": _column_or(frame, found, "n", ""),
            "se": _column_or(frame, found, "se", ""),
            "row": [raw.spreadsheet_row(int(i)) for i in frame.index],
        },
        index=frame.index,
    )
    parts = []
    for column, code in plan.value_columns.items():
        part = base.copy()
        part["value_text"] = frame[column].astype(str)
        part["value_column"] = column
        if plan.layout == "long":
            part["indicator_name"] = frame[found["indicator"]].str.strip()
        else:
            part["indicator_name"] = code
        if plan.layout == "wide-years":
            part["period"] = column.strip()[:4]
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _note_odd_countries(data: pd.DataFrame, report: ImportReport) -> None:
    odd = sorted({c for c in data["country"].unique() if c and not re.fullmatch(r"[A-Z]{2}", c)})
    if odd:
        report.notes.append(
            f"country values are neither ISO 3166 alpha-2 codes nor country names (e.g. {odd[0]!r}); "
            "city matching compares codes such as 'GB': map a code column or pass --country."
        )


def _drop(report: ImportReport, reason: str, count: int) -> None:
    if count:
        report.dropped[reason] = report.dropped.get(reason, 0) + int(count)


def _clean_values(
    long: pd.DataFrame, catalogue: Catalogue, raw: RawTable, report: ImportReport
) -> pd.DataFrame:
    """Resolve indicators, parse numbers and drop what cannot be used, recording every reason."""
    blank_city = long["city_name"].eq("")
    _drop(report, "blank city name", blank_city.sum())
    long = long.loc[~blank_city]

    long = long.assign(indicator=long["indicator_name"].map(lambda n: catalogue.resolve(n) or ""))
    unknown = long["indicator"].eq("")
    report.unknown_indicators = dict(Counter(long.loc[unknown, "indicator_name"]))
    _drop(report, "indicator not in the catalogue", unknown.sum())
    long = long.loc[~unknown]

    text = long["value_text"].str.strip()
    marker = text.str.lower().isin(MISSING_MARKERS)
    _drop(report, "missing value marker", marker.sum())
    long, text = long.loc[~marker], text[~marker]
    values = pd.to_numeric(_clean_numbers(text, raw.delimiter), errors="coerce")
    bad = values.isna()
    report.non_numeric = list(
        zip(long.loc[bad, "row"], long.loc[bad, "value_column"], text[bad], strict=True)
    )
    _drop(report, "non-numeric value", bad.sum())
    long = long.loc[~bad].assign(value=values[~bad].astype(float))

    unit = long["indicator"].map(lambda c: catalogue[c].unit)
    long = long.assign(
        unit=long["unit"].where(long["unit"].ne(""), unit),
        source=long["source"].where(
            long["source"].ne(""), long["indicator"].map(lambda c: catalogue[c].source)
        ),
    )
    upper = long["unit"].map(lambda u: 100.0 / SHARE_UNITS[u] if u in SHARE_UNITS else np.inf)
    outside = (long["value"] < 0) & upper.lt(np.inf) | (long["value"] > upper)
    if outside.any():
        rows = ", ".join(str(r) for r in long.loc[outside, "row"].head(5))
        report.notes.append(
            f"{int(outside.sum())} share/percent value(s) outside their range were "
            f"dropped (rows {rows}); a 0-1 share given as a percentage?"
        )
    _drop(report, "value outside the unit's range", outside.sum())
    long = long.loc[~outside]

    for column in ("n", "se"):
        long[column] = pd.to_numeric(long[column].where(long[column].ne("")), errors="coerce")
    key = ["city_name", "country", "region", "city_code", "period", "indicator"]
    duplicated = long.duplicated(key, keep=False)
    problems = []
    for _, group in long.loc[duplicated].groupby(key, sort=False):
        if group["value"].nunique() > 1:
            first = group.iloc[0]
            problems.append(
                Problem(
                    "outcomes.E035",
                    E035_CONFLICT.format(
                        path=raw.path,
                        city=first["city_name"],
                        indicator=first["indicator"],
                        period=first["period"],
                        rows=", ".join(map(str, group["row"])),
                    ),
                )
            )
    raise_if_any(problems)
    repeated = long.duplicated(key, keep="first")
    _drop(report, "duplicate row", repeated.sum())
    long = long.loc[~repeated]
    return long[TIDY_COLUMNS].reset_index(drop=True)
