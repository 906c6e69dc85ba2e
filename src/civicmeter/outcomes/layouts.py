"""Recognise a city table's layout: which column is the city, the period, and which hold values.

Publishers lay out the same kind of table in four ways (long; one measure; one column per measure;
one column per year). This module finds the columns by their usual headers or the user's mapping and
decides the layout, so :mod:`~civicmeter.outcomes.tables` can turn any of them into tidy rows.
"""

from __future__ import annotations

import difflib
import re

import pandas as pd

from civicmeter.outcomes.catalogue import Catalogue
from civicmeter.outcomes.errors import Problem
from civicmeter.outcomes.files import RawTable, year_columns
from civicmeter.outcomes.outcome_table import MEASURE_FIELDS

#: What a column can be mapped to: the city's identifiers, then the tidy table's measure fields.
ROLES = ("city", "city_code", "country", "region", *MEASURE_FIELDS)


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


def _norm(header: str) -> str:
    return re.sub(r"\s+", " ", str(header).strip().lower())


def _hint(name: str, choices: list[str]) -> str:
    """ " Did you mean 'Gemeinde'?" for a misspelt name, or "" when nothing is close."""
    close = difflib.get_close_matches(name, [str(c) for c in choices], n=3)
    return f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""


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
        problems.append(_no_column(raw, column, role, _hint(column, columns)))
    taken = set(found.values())
    for role, headers in ROLE_HEADERS.items():
        if role in found or role in mapping:
            continue
        for column in columns:
            if column not in taken and _norm(column) in headers and catalogue.resolve(column) is None:
                found[role] = column
                taken.add(column)
                break
    return found, problems


def _numeric_like(series: pd.Series) -> bool:
    text = series.str.strip()
    filled = text[~text.str.lower().isin(MISSING_MARKERS)]
    return len(filled) > 0 and pd.to_numeric(_clean_numbers(filled), errors="coerce").notna().mean() >= 0.5


def _clean_numbers(text: pd.Series, delimiter: str | None = None) -> pd.Series:
    """Strip currency and percent signs and thousands separators; decimal commas in ';' files."""
    text = text.str.strip().str.replace(r"[£$€%\s]", "", regex=True)
    text = text.where(~text.str.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?"), text.str.replace(",", ""))
    if delimiter == ";":
        text = text.str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True)
    return text


def _no_column(raw: RawTable, column: str, role: str, hint: str) -> Problem:
    available = ", ".join(map(repr, raw.frame.columns))
    text = E030_NO_COLUMN.format(path=raw.path, column=column, role=role, hint=hint, available=available)
    return Problem("outcomes.E030", text)


def _no_value_column(raw: RawTable, code: str, candidates: str) -> Problem:
    text = E032_VALUE_COLUMN.format(path=raw.path, code=code, candidates=candidates)
    return Problem("outcomes.E032", text)


#: A decided layout: its name, value column -> indicator code, the ignored columns, the problems.
Layout = tuple[str, dict[str, str], list[str], list[Problem]]


def _layout(name: str, values: dict[str, str], others: list[str]) -> Layout:
    return name, values, [c for c in others if c not in values], []


def _refused(*problems: Problem) -> Layout:
    return "", {}, [], list(problems)


def _value_columns(
    raw: RawTable,
    found: dict[str, str],
    mapping_indicators: dict[str, str],
    indicator: str | None,
    value_column: str | None,
    catalogue: Catalogue,
) -> Layout:
    """Decide the layout and which column holds which indicator's values.

    A named indicator means one measure (or one column per year); an indicator column means a long
    table; mapped or catalogue-named value columns mean one column per measure.
    """
    used = set(found.values())
    others = [c for c in raw.frame.columns if c not in used]
    if indicator is not None:
        return _one_measure(raw, found, others, indicator, value_column, catalogue)
    if "indicator" in found:
        value = value_column or found.get("value")
        if value is None:
            return _refused(_no_value_column(raw, "each indicator", ", ".join(map(repr, others))))
        return _layout("long", {value: ""}, others)
    if mapping_indicators:
        missing = [
            _no_column(raw, column, f"indicator {code}", _hint(column, list(raw.frame.columns)))
            for column, code in mapping_indicators.items()
            if column not in raw.frame.columns
        ]
        return _refused(*missing) if missing else _layout("wide-measures", dict(mapping_indicators), others)
    measures = {c: catalogue.resolve(c) for c in others if catalogue.resolve(c)}
    if measures:
        return _layout("wide-measures", measures, others)
    return _refused(Problem("outcomes.E033", E033_NO_INDICATOR.format(path=raw.path)))


def _one_measure(
    raw: RawTable,
    found: dict[str, str],
    others: list[str],
    indicator: str,
    value_column: str | None,
    catalogue: Catalogue,
) -> Layout:
    """The column holding the one named indicator: given, found, named after it, years, or numeric."""
    code = catalogue.resolve(indicator)
    if code is None:
        hint = _hint(indicator, catalogue.codes())
        return _refused(
            Problem("outcomes.E031", E031_UNKNOWN_INDICATOR.format(path=raw.path, code=indicator, hint=hint))
        )
    if value_column is not None:
        if value_column not in raw.frame.columns:
            return _refused(_no_column(raw, value_column, "the value", ""))
        return _layout("single", {value_column: code}, others)
    if "value" in found:
        return _layout("single", {found["value"]: code}, others)
    named = [c for c in others if catalogue.resolve(c) == code]
    if len(named) == 1:
        return _layout("single", {named[0]: code}, others)
    years = year_columns(others)
    if years and "period" not in found:
        return _layout("wide-years", dict.fromkeys(years, code), others)
    numeric = [c for c in others if _numeric_like(raw.frame[c])]
    if len(numeric) == 1:
        return _layout("single", {numeric[0]: code}, others)
    return _refused(_no_value_column(raw, code, ", ".join(map(repr, numeric or others)) or "none"))
