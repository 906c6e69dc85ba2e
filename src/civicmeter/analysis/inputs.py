"""Checking and shaping the plain tables the analysis takes.

Inputs are ordinary DataFrames so the same code serves the web service (which reads them from the
database), the CLI (which reads CSV files) and a researcher's notebook. Each check reports every
problem it finds at once, with the table, row and column, and how to fix it.

Outcome values are on the common 0-100 "index points" scale produced by the outcomes package
(min-max across the cities in scope with the indicator's direction applied, or the share itself for
percentages), so "higher" always means "better" here; raw values travel alongside untouched.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from civicmeter.analysis.errors import (
    BAD_OUTCOME_VALUE,
    DUPLICATE_CITY,
    DUPLICATE_OUTCOME,
    UNKNOWN_NAME,
    Problem,
    plain,
    raise_if,
    shown,
)
from civicmeter.analysis.results import NoteBook
from civicmeter.analysis.settings import ComparisonSettings
from civicmeter.provenance import Provenance

CAPACITY_COLUMNS = ("city", "psi_index", "psi_class")
OUTCOME_COLUMNS = ("city", "indicator", "value")
CONTROL_COLUMNS = ("city", "population")
ECONOMY_COLUMNS = ("gdp_per_capita", "median_income")
CATALOGUE_COLUMNS = ("code", "name")
SYNTHETIC_COLUMN = "synthetic"


@dataclass(frozen=True)
class Prepared:
    """Inputs checked once and shared by every table of a report.

    ``capacity`` is indexed by city slug; ``outcomes`` holds one value per city and indicator;
    ``codes`` are the indicators to analyse, ``names`` their reader-facing names, and ``notes``
    what the checks set aside (each table repeats them).
    """

    capacity: pd.DataFrame
    outcomes: pd.DataFrame
    codes: tuple[str, ...]
    names: dict[str, str]
    notes: tuple[str, ...]
    provenance: Provenance
    #: Indicators listed in the input that cannot be estimated at all, with the reason.
    unusable: dict[str, str] = field(default_factory=dict)
    #: The unit of a difference per indicator (see :func:`catalogue_units`).
    units: dict[str, str] = field(default_factory=dict)

    def notebook(self, sample_label: str) -> NoteBook:
        """The notes a table of one sample opens with: what the checks set aside, then that the PSI
        and data-use samples are never mixed."""
        notes = NoteBook()
        for text in self.notes:
            notes.add(text)
        notes.add(
            f"Only cities in the {sample_label} sample are used; the PSI and data-use samples are "
            "never pooled or compared with each other."
        )
        return notes


@dataclass(frozen=True)
class Controls:
    """The controls table indexed by city, and notes naming the cities whose values were unusable."""

    frame: pd.DataFrame
    notes: tuple[str, ...] = ()


def prepare(
    capacity: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    catalogue: pd.DataFrame | None,
    settings: ComparisonSettings,
    provenance: Provenance | None,
) -> Prepared:
    """Check the capacity and outcome tables and pick the indicators ``settings`` ask for."""
    table = check_capacity(capacity)
    long, notes = check_outcomes(outcomes, period=settings.period)
    unusable = unusable_indicators(outcomes, long, period=settings.period)
    listed = [c for c in dict.fromkeys(_stripped(outcomes["indicator"])) if c != "nan"]
    codes = select_indicators(listed, list(settings.indicators) if settings.indicators else None)
    provenance = provenance or Provenance()
    if not provenance.periods:
        provenance = dataclasses.replace(provenance, periods=periods_used(long, codes))
    return Prepared(
        capacity=table,
        outcomes=long,
        codes=tuple(codes),
        names=catalogue_names(catalogue, codes),
        notes=tuple(notes),
        provenance=provenance,
        unusable={code: reason for code, reason in unusable.items() if code in codes},
        units=catalogue_units(catalogue, codes),
    )


def periods_used(outcomes: pd.DataFrame, codes: list[str]) -> tuple[str, ...]:
    """"code period[, period...]" per analysed indicator: the periods whose values were used."""
    out = []
    for code in codes:
        periods = outcomes.loc[outcomes["indicator"] == code, "period"].dropna().unique()
        if len(periods):
            out.append(f"{code} {', '.join(plain(p) for p in sorted(periods, key=str))}")
    return tuple(out)


def unusable_indicators(
    outcomes: pd.DataFrame, usable: pd.DataFrame, *, period: int | None
) -> dict[str, str]:
    """Indicators the input lists but that have no usable value, each with the reason why.

    A constant raw indicator has no index points (min-max of one value is undefined), so its
    rows arrive empty; saying "all values equal" tells the reader more than "no value".
    """
    indicators = _stripped(outcomes["indicator"])
    have = set(usable["indicator"])
    out = {}
    for code in dict.fromkeys(indicators):
        if code in have or code == "nan":
            continue
        rows = outcomes[indicators == code]
        if period is not None and "period" in rows.columns:
            rows = rows[pd.to_numeric(rows["period"], errors="coerce") == period]
        raw = pd.to_numeric(rows.get("raw_value", pd.Series(dtype=float)), errors="coerce").dropna()
        if len(raw) > 1 and raw.nunique() == 1:
            out[code] = (
                f"not estimated: all values equal ({plain(raw.iloc[0])} for every city), so they "
                "cannot be rescaled to index points"
            )
        elif period is not None:
            out[code] = f"not estimated: no city has a value in period {period}"
        else:
            out[code] = "not estimated: no city has a value"
    return out


def check_capacity(capacity: pd.DataFrame) -> pd.DataFrame:
    """The capacity table indexed by city slug; refuses duplicated cities (``analysis.E002``)."""
    return _by_city(capacity, "capacity table")


CONTROL_NAMES = {
    "population": "population",
    "gdp_per_capita": "GDP per capita",
    "median_income": "median income",
}


def check_controls(controls: pd.DataFrame) -> Controls:
    """The controls indexed by city slug; a size or income that is not a positive number is
    treated as missing, and the city is named in the notes.

    Population and income enter the regression as logarithms, so zero, a negative number or text
    cannot be used. One bad value must not stop the whole analysis: the city is left out of the
    adjusted estimates (and counted in ``n dropped``), and the note says which value to correct.
    """
    table = _by_city(controls, "controls table")
    notes = []
    for column in ("population", *ECONOMY_COLUMNS):
        if column not in table.columns:
            continue
        numeric = pd.to_numeric(table[column], errors="coerce")
        bad = (table[column].notna() & numeric.isna()) | (numeric <= 0)
        label = CONTROL_NAMES[column]
        notes += [
            f"City {city!r} is left out of the adjusted estimates: its {label} is "
            f"{shown(table.at[city, column])}, not a positive number (it enters as a logarithm). "
            f"Correct the city's {label} to include it."
            for city in table.index[bad]
        ]
        table[column] = numeric.where(~bad)
    return Controls(table, tuple(notes))


def check_outcomes(outcomes: pd.DataFrame, *, period: int | None) -> tuple[pd.DataFrame, list[str]]:
    """One outcome value per city and indicator, plus notes on what was set aside.

    With ``period`` given, only that period is used; otherwise each city's latest period for each
    indicator, which is the value a reader of the city's page would see. Values must be numbers
    in [0, 100] (``analysis.E003``); a repeated (city, indicator, period) is refused
    (``analysis.E004``).
    """
    table = outcomes.reset_index(drop=True)
    table["city"] = table["city"].astype(str).str.strip()
    table["indicator"] = table["indicator"].astype(str).str.strip()
    if "period" not in table.columns:
        table["period"] = np.nan
    periods = pd.to_numeric(table["period"], errors="coerce")
    if periods.notna().sum() == table["period"].notna().sum():
        table["period"] = periods  # years read from CSV as text still sort as numbers
    values = pd.to_numeric(table["value"], errors="coerce")
    bad = table["value"].notna() & (values.isna() | (values < 0) | (values > 100))
    problems = [
        Problem(
            BAD_OUTCOME_VALUE,
            f"outcomes table, row {row + 2}, city {table.at[row, 'city']!r}, "
            f"indicator {table.at[row, 'indicator']!r}",
            f"value {shown(table.at[row, 'value'])} is not a number in [0, 100] index points",
            "rescale the indicator to index points with the outcomes package (raw values go in "
            "raw_value)",
        )
        for row in np.flatnonzero(bad.to_numpy())
    ]
    table["value"] = values
    duplicated = table.duplicated(["city", "indicator", "period"], keep="first")
    problems += [
        Problem(
            DUPLICATE_OUTCOME,
            f"outcomes table, row {row + 2}",
            f"city {table.at[row, 'city']!r}, indicator {table.at[row, 'indicator']!r}, period "
            f"{shown(table.at[row, 'period'])} appears more than once",
            "keep one value per city, indicator and period",
        )
        for row in np.flatnonzero(duplicated.to_numpy())
    ]
    raise_if(problems)
    notes = []
    table = table[table["value"].notna()]
    if period is not None:
        table = table[table["period"] == period]
        notes.append(f"Outcomes from period {period} only.")
    elif table.groupby(["city", "indicator"]).size().max() > 1:
        notes.append(
            "Where a city has an indicator for several periods, its latest period is used."
        )
    first_seen = {code: i for i, code in enumerate(dict.fromkeys(table["indicator"]))}
    table = table.sort_values("period", na_position="first", kind="stable")
    table = table.drop_duplicates(["city", "indicator"], keep="last").sort_index()
    # Indicators keep the order in which the input first lists them (tables and chart follow it).
    table = table.sort_values("indicator", key=lambda s: s.map(first_seen), kind="stable")
    return table.reset_index(drop=True), notes


def select_indicators(present: list[str], codes: list[str] | None) -> list[str]:
    """Indicator codes to analyse, in the order given (``present``'s order when ``codes`` is
    None); ``present`` lists every indicator of the outcomes table, usable or not."""
    if codes is None:
        return present
    unknown = [c for c in codes if c not in present]
    raise_if(
        [
            Problem(
                UNKNOWN_NAME,
                "outcomes filter",
                f"indicator {code!r} is not in the outcomes table",
                "use one of " + ", ".join(present),
            )
            for code in unknown
        ]
    )
    return list(dict.fromkeys(codes))


def catalogue_names(catalogue: pd.DataFrame | None, codes: list[str]) -> dict[str, str]:
    """Reader-facing name per indicator code: the catalogue name when given, else the code."""
    names = {}
    if catalogue is not None:
        names = dict(zip(catalogue["code"].astype(str), catalogue["name"], strict=True))
    return {code: _text(names.get(code), code) for code in codes}


def is_synthetic(capacity: pd.DataFrame) -> bool:
    """True when any capacity row is flagged synthetic (demo or simulated data)."""
    if SYNTHETIC_COLUMN not in capacity.columns:
        return False
    flags = capacity[SYNTHETIC_COLUMN].map(lambda v: str(v).strip().lower() in {"1", "true", "yes"})
    return bool(flags.any())


def catalogue_units(catalogue: pd.DataFrame | None, codes: list[str]) -> dict[str, str]:
    """The unit a difference is in, per indicator: a share indicator (catalogue column ``rescale``
    = ``share``) differs in percentage points; a min-max rescaled one in index points."""
    rules = {}
    if catalogue is not None and "rescale" in catalogue.columns:
        rules = dict(zip(catalogue["code"].astype(str), catalogue["rescale"], strict=True))
    return {
        code: "percentage points" if rules.get(code) == "share" else "index points"
        for code in codes
    }


def _stripped(column: pd.Series) -> pd.Series:
    return column.astype(str).str.strip()


def _text(value: object, default: str) -> str:
    return (
        default if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
    )


def _by_city(table: pd.DataFrame, label: str) -> pd.DataFrame:
    table = table.copy()
    table["city"] = table["city"].astype(str).str.strip()
    duplicated = table["city"][table["city"].duplicated()].unique()
    raise_if(
        [
            Problem(
                DUPLICATE_CITY,
                f"{label}, city {city!r}",
                "the city appears on more than one row",
                "keep one row per city",
            )
            for city in duplicated
        ]
    )
    return table.set_index("city")
