"""The tidy result of an outcome import and the report of how it was read.

:class:`OutcomeTable` is what the web import service stores (one row per city, indicator and period,
raw value kept) and :class:`ImportReport` is what it shows the user before storing: what was read,
kept and dropped, and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

#: What each tidy row says about its value (also the roles a column can be mapped to).
MEASURE_FIELDS = ("period", "indicator", "value", "unit", "source", "n", "se")
#: Columns of :attr:`OutcomeTable.data`, in order; ``row`` is the source cell's spreadsheet row.
TIDY_COLUMNS = ["city_name", "country", "region", "city_code", *MEASURE_FIELDS, "row"]


MAX_LISTED = 20


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
        lines.append("Columns: " + ", ".join(f"{role}={col!r}" for role, col in self.columns.items()))
        lines.append("Values: " + ", ".join(f"{col!r} -> {code}" for col, code in self.value_columns.items()))
        lines.append(f"Rows read: {self.rows_read}; values kept: {self.rows_kept}")
        lines += [f"  dropped ({reason}): {count}" for reason, count in self.dropped.items()]
        if self.unknown_indicators:
            lines.append(
                "Indicators not in the catalogue (dropped): "
                + ", ".join(f"{name!r} ({count})" for name, count in self.unknown_indicators.items())
            )
        if self.non_numeric:
            lines.append("Non-numeric values (dropped):")
            lines += [
                f"  row {row}, column {col!r}: {value!r}" for row, col, value in self.non_numeric[:MAX_LISTED]
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
        return names.rename(columns={"city_name": "name", "city_code": "code"}).reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        return self.data.copy()
