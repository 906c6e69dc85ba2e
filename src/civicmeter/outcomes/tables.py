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

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from civicmeter.outcomes.catalogue import SHARE_UNITS, Catalogue, load_catalogue
from civicmeter.outcomes.errors import Problem, raise_if_any
from civicmeter.outcomes.files import RawTable, read_table, year_columns
from civicmeter.params import NONE, InstanceOf, Interval, ParameterError, validate_params

#: Columns of :attr:`OutcomeTable.data`, in order; ``row`` is the source cell's spreadsheet row.
TIDY_COLUMNS = [
    "city_name",
    "country",
    "region",
    "city_code",
    "period",
    "indicator",
    "value",
    "unit",
    "source",
    "n",
    "se",
    "row",
]
ROLES = (
    "city",
    "city_code",
    "country",
    "region",
    "period",
    "indicator",
    "value",
    "unit",
    "source",
    "n",
    "se",
)
#: Header names recognised for each role when no mapping is given (compared case-insensitively).
ROLE_HEADERS = {
    "city": ("city", "city_name", "city name", "name", "area", "place", "municipality", "town"),
    "city_code": ("area code", "city_code", "city code", "code", "geo_code", "geocode", "fips"),
    "country": ("country", "country_code", "iso2", "cntr_code"),
    "region": ("state", "state_abbr", "region", "province"),
    "period": ("year", "period", "time_period"),
    "indicator": ("indicator", "indicator_code", "measure", "variable"),
    "value": ("value", "obs_value"),
    "unit": ("unit",),
    "source": ("source",),
    "n": ("n", "sample_size", "respondents"),
    "se": ("se", "std_err", "standard_error"),
}
#: Cell texts publishers use for "no value" (suppressed, not available, not applicable).
MISSING_MARKERS = frozenset(
    {
        "",
        "na",
        "n/a",
        "nan",
        "x",
        "..",
        ".",
        ":",
        "-",
        "*",
        "c",
        "z",
        "null",
        "none",
        "#n/a",
        "s",
        "u",
    }
)
MAX_LISTED = 20

E030_NO_COLUMN = "{path}: no column {column!r} for {role}.{hint} Columns in the file: {available}."
E031_UNKNOWN_INDICATOR = (
    "{path}: indicator {code!r} is not in the catalogue.{hint} Use a catalogue code "
    "(`civicmeter outcomes catalogue` lists them) or add it to a programme catalogue."
)
E032_VALUE_COLUMN = (
    "{path}: cannot tell which column holds the values of {code!r} (candidates: {candidates}). "
    "Pass --value-column COLUMN."
)
E033_NO_INDICATOR = (
    "{path}: no indicator found: no 'indicator' column and no column named after a catalogue "
    "indicator. Pass --indicator CODE --value-column COLUMN, or map columns to codes."
)
E034_NO_PERIOD = (
    "{path}: no period: no year/period column and no 'Date:' line. Pass --period (e.g. 2023) "
    "or map the period column."
)
E035_CONFLICT = (
    "{path}: {city!r} has two different values for {indicator} in period {period} "
    "(rows {rows}). Remove the duplicate or add a distinguishing column (region, code)."
)
E036_NO_CITY = (
    "{path}: no city name column found. Map it, e.g. --map city=COLUMN (columns: {available})."
)


@dataclass
class ImportReport:
    """What an import read, kept and dropped, in terms a user can act on."""

    path: str
    layout: str
    encoding: str | None
    delimiter: str | None
    skip_rows: int
    metadata: dict[str, str]
    columns: dict[str, str]
    value_columns: dict[str, str]
    rows_read: int
    rows_kept: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    non_numeric: list[tuple[int, str, str]] = field(default_factory=list)
    unknown_indicators: dict[str, int] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """True when nothing but publisher "no value" markers was dropped."""
        return (
            not self.non_numeric
            and not self.unknown_indicators
            and not (set(self.dropped) - {"missing value marker", "duplicate row"})
        )

    def to_text(self) -> str:
        lines = [
            f"File: {self.path}",
            f"Read as: {self.layout} table; encoding {self.encoding or 'n/a (spreadsheet)'}; "
            f"delimiter {self.delimiter!r}; {self.skip_rows} metadata line(s) skipped",
        ]
        lines += [f"  {key}: {value}" for key, value in self.metadata.items()]
        lines.append(
            "Columns: " + ", ".join(f"{role}={col!r}" for role, col in self.columns.items())
        )
        lines.append(
            "Values: " + ", ".join(f"{col!r} -> {code}" for col, code in self.value_columns.items())
        )
        lines.append(f"Rows read: {self.rows_read}; values kept: {self.rows_kept}")
        lines += [f"  dropped ({reason}): {count}" for reason, count in self.dropped.items()]
        if self.unknown_indicators:
            lines.append(
                "Indicators not in the catalogue (dropped): "
                + ", ".join(
                    f"{name!r} ({count})" for name, count in self.unknown_indicators.items()
                )
            )
        if self.non_numeric:
            lines.append("Non-numeric values (dropped):")
            lines += [
                f"  row {row}, column {col!r}: {value!r}"
                for row, col, value in self.non_numeric[:MAX_LISTED]
            ]
            if len(self.non_numeric) > MAX_LISTED:
                lines.append(f"  ... and {len(self.non_numeric) - MAX_LISTED} more")
        if self.ignored_columns:
            lines.append("Columns ignored: " + ", ".join(repr(c) for c in self.ignored_columns))
        lines += [f"[{i}] {note}" for i, note in enumerate(self.notes, start=1)]
        return "\n".join(lines)


@dataclass
class OutcomeTable:
    """Tidy outcome values (columns :data:`TIDY_COLUMNS`) and the report of how they were read."""

    data: pd.DataFrame
    report: ImportReport

    def city_names(self) -> pd.DataFrame:
        """Distinct (name, country, region, code) rows, the input of ``match_cities``."""
        names = self.data[["city_name", "country", "region", "city_code"]].drop_duplicates()
        return names.rename(columns={"city_name": "name", "city_code": "code"}).reset_index(
            drop=True
        )

    def to_frame(self) -> pd.DataFrame:
        return self.data.copy()


def _norm(header: str) -> str:
    return re.sub(r"\s+", " ", str(header).strip().lower())


def _find_columns(
    raw: RawTable, mapping: dict[str, str], catalogue: Catalogue
) -> tuple[dict[str, str], list[Problem]]:
    columns = list(raw.frame.columns)
    problems = []
    found: dict[str, str] = {}
    for role, column in mapping.items():
        if column in columns:
            found[role] = column
            continue
        close = difflib.get_close_matches(column, columns, n=3)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        problems.append(
            Problem(
                "outcomes.E030",
                E030_NO_COLUMN.format(
                    path=raw.path,
                    column=column,
                    role=role,
                    hint=hint,
                    available=", ".join(map(repr, columns)),
                ),
            )
        )
    taken = set(found.values())
    for role, headers in ROLE_HEADERS.items():
        if role in found or role in mapping:
            continue
        for column in columns:
            if (
                column not in taken
                and _norm(column) in headers
                and catalogue.resolve(column) is None
            ):
                found[role] = column
                taken.add(column)
                break
    return found, problems


def _numeric_like(series: pd.Series) -> bool:
    text = series.str.strip()
    filled = text[~text.str.lower().isin(MISSING_MARKERS)]
    return (
        len(filled) > 0
        and pd.to_numeric(_clean_numbers(filled), errors="coerce").notna().mean() >= 0.5
    )


def _clean_numbers(text: pd.Series, delimiter: str | None = None) -> pd.Series:
    """Strip currency and percent signs and thousands separators; decimal commas in ';' files."""
    text = text.str.strip().str.replace(r"[£$€%\s]", "", regex=True)
    text = text.where(~text.str.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?"), text.str.replace(",", ""))
    if delimiter == ";":
        text = text.str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True)
    return text


def _value_columns(
    raw: RawTable,
    found: dict[str, str],
    mapping_indicators: dict[str, str],
    indicator: str | None,
    value_column: str | None,
    catalogue: Catalogue,
) -> tuple[str, dict[str, str], list[str], list[Problem]]:
    """Decide the layout and which column holds which indicator's values."""
    path, frame = raw.path, raw.frame
    used = set(found.values())
    others = [c for c in frame.columns if c not in used]
    if indicator is not None:
        code = catalogue.resolve(indicator)
        if code is None:
            close = difflib.get_close_matches(indicator, catalogue.codes(), n=3)
            hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
            return (
                "",
                {},
                [],
                [
                    Problem(
                        "outcomes.E031",
                        E031_UNKNOWN_INDICATOR.format(path=path, code=indicator, hint=hint),
                    )
                ],
            )
        if value_column is not None:
            if value_column not in frame.columns:
                return (
                    "",
                    {},
                    [],
                    [
                        Problem(
                            "outcomes.E030",
                            E030_NO_COLUMN.format(
                                path=path,
                                column=value_column,
                                role="the value",
                                hint="",
                                available=", ".join(map(repr, frame.columns)),
                            ),
                        )
                    ],
                )
            return "single", {value_column: code}, [c for c in others if c != value_column], []
        if "value" in found:
            return "single", {found["value"]: code}, others, []
        named = [c for c in others if catalogue.resolve(c) == code]
        if len(named) == 1:
            return "single", {named[0]: code}, [c for c in others if c != named[0]], []
        if year_columns(others) and "period" not in found:
            return (
                "wide-years",
                {c: code for c in year_columns(others)},
                [c for c in others if c not in year_columns(others)],
                [],
            )
        numeric = [c for c in others if _numeric_like(frame[c])]
        if len(numeric) == 1:
            return "single", {numeric[0]: code}, [c for c in others if c != numeric[0]], []
        return (
            "",
            {},
            [],
            [
                Problem(
                    "outcomes.E032",
                    E032_VALUE_COLUMN.format(
                        path=path,
                        code=code,
                        candidates=", ".join(map(repr, numeric or others)) or "none",
                    ),
                )
            ],
        )
    if "indicator" in found:
        value = value_column or found.get("value")
        if value is None:
            return (
                "",
                {},
                [],
                [
                    Problem(
                        "outcomes.E032",
                        E032_VALUE_COLUMN.format(
                            path=path,
                            code="each indicator",
                            candidates=", ".join(map(repr, others)),
                        ),
                    )
                ],
            )
        return "long", {value: ""}, [c for c in others if c != value], []
    if mapping_indicators:
        return (
            "wide-measures",
            dict(mapping_indicators),
            [c for c in others if c not in mapping_indicators],
            [],
        )
    measures = {c: catalogue.resolve(c) for c in others if catalogue.resolve(c)}
    if measures:
        return "wide-measures", measures, [c for c in others if c not in measures], []
    return "", {}, [], [Problem("outcomes.E033", E033_NO_INDICATOR.format(path=path))]


def _column_or(frame: pd.DataFrame, found: dict[str, str], role: str, default: str) -> pd.Series:
    if role in found:
        return frame[found[role]].str.strip()
    return pd.Series(default, index=frame.index, dtype=object)


@validate_params(
    {
        "path": [InstanceOf((str, Path), "a file path")],
        "mapping": [InstanceOf(dict, "a dict of role -> column"), NONE],
        "indicator": [InstanceOf(str, "an indicator code"), NONE],
        "value_column": [InstanceOf(str, "a column name"), NONE],
        "period": [InstanceOf((str, int), "a period such as 2023"), NONE],
        "country": [InstanceOf(str, "an ISO 3166 alpha-2 code such as 'GB'"), NONE],
        "source": [InstanceOf(str, "a source description"), NONE],
        "catalogue": [InstanceOf(Catalogue, "a Catalogue"), NONE],
        "encoding": [InstanceOf(str, "an encoding name"), NONE],
        "skip_rows": [Interval(int, 0, None), NONE],
        "sheet": [InstanceOf((str, int), "a sheet name or index"), NONE],
    }
)
def read_outcome_table(
    path: str | Path,
    *,
    mapping: dict | None = None,
    indicator: str | None = None,
    value_column: str | None = None,
    period: str | int | None = None,
    country: str | None = None,
    source: str | None = None,
    catalogue: Catalogue | None = None,
    encoding: str | None = None,
    skip_rows: int | None = None,
    sheet: str | int | None = None,
) -> OutcomeTable:
    """Read a city outcome table into tidy rows checked against the catalogue.

    ``mapping`` maps roles (``city``, ``city_code``, ``country``, ``region``, ``period``,
    ``indicator``, ``value``, ``unit``, ``source``, ``n``, ``se``) to column names; unmapped roles
    are found by their usual headers. ``mapping["indicators"]`` may map several value columns to
    catalogue codes (a wide table). ``indicator`` + ``value_column`` pick one measure. ``period``,
    ``country`` and ``source`` fill a column the file lacks; without a period column or
    ``period``, a ``Date:`` metadata line above the header is used.
    """
    mapping = dict(mapping or {})
    mapping_indicators = mapping.pop("indicators", {}) or {}
    unknown_roles = set(mapping) - set(ROLES)
    if unknown_roles or not isinstance(mapping_indicators, dict):
        raise ParameterError(
            f"the 'mapping' parameter of read_outcome_table accepts the roles "
            f"{', '.join(ROLES)} and 'indicators' (a dict); got {sorted(unknown_roles)}",
            parameter="mapping",
            function="read_outcome_table",
        )
    catalogue = catalogue if catalogue is not None else load_catalogue()
    raw = read_table(path, encoding=encoding, skip_rows=skip_rows, sheet=sheet)
    found, problems = _find_columns(raw, mapping, catalogue)
    if "city" not in found and "city" not in mapping:
        problems.append(
            Problem(
                "outcomes.E036",
                E036_NO_CITY.format(
                    path=raw.path, available=", ".join(map(repr, raw.frame.columns))
                ),
            )
        )
    layout, value_columns, ignored, layout_problems = _value_columns(
        raw, found, mapping_indicators, indicator, value_column, catalogue
    )
    problems += layout_problems
    for code in value_columns.values():
        if layout == "wide-measures" and catalogue.resolve(code) is None:
            problems.append(
                Problem(
                    "outcomes.E031",
                    E031_UNKNOWN_INDICATOR.format(path=raw.path, code=code, hint=""),
                )
            )
    period_text = None if period is None else str(period)
    if period_text is None and "period" not in found and layout != "wide-years":
        period_text = raw.metadata.get("Date")
        if period_text is None:
            problems.append(Problem("outcomes.E034", E034_NO_PERIOD.format(path=raw.path)))
    raise_if_any(problems)

    report = ImportReport(
        path=raw.path,
        layout=layout,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        skip_rows=raw.skip_rows,
        metadata=raw.metadata,
        columns=found,
        value_columns={c: code or "(indicator column)" for c, code in value_columns.items()},
        rows_read=len(raw.frame),
        ignored_columns=[c for c in ignored if not c.startswith("Unnamed:")],
    )
    if period_text is not None and period is None and "period" not in found:
        report.notes.append(f"period {period_text!r} taken from the file's 'Date:' line.")
    frame = raw.frame
    base = pd.DataFrame(
        {
            "city_name": _column_or(frame, found, "city", ""),
            "country": _column_or(frame, found, "country", (country or "").upper()),
            "region": _column_or(frame, found, "region", ""),
            "city_code": _column_or(frame, found, "city_code", ""),
            "period": _column_or(frame, found, "period", period_text or ""),
            "unit": _column_or(frame, found, "unit", ""),
            "source": _column_or(frame, found, "source", source or ""),
            "n": _column_or(frame, found, "n", ""),
            "se": _column_or(frame, found, "se", ""),
            "row": [raw.spreadsheet_row(i) for i in range(len(frame))],
        },
        index=frame.index,
    )
    parts = []
    for column, code in value_columns.items():
        part = base.copy()
        part["value_text"] = frame[column].astype(str)
        part["value_column"] = column
        if layout == "long":
            part["indicator_name"] = frame[found["indicator"]].str.strip()
        else:
            part["indicator_name"] = code
        if layout == "wide-years":
            part["period"] = column.strip()[:4]
        parts.append(part)
    long = pd.concat(parts, ignore_index=True)
    data = _clean_values(long, catalogue, raw, report)
    odd = sorted({c for c in data["country"].unique() if c and not re.fullmatch(r"[A-Z]{2}", c)})
    if odd:
        report.notes.append(
            f"country values are not ISO 3166 alpha-2 codes (e.g. {odd[0]!r}); city matching "
            "compares codes such as 'GB': map a code column or pass --country."
        )
    report.rows_kept = len(data)
    return OutcomeTable(data=data, report=report)


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
