"""Read only the columns of a respondent file that a reduction needs, in compact types.

A ten-million-row survey file must not be loaded whole: the city, period and item columns are read
as integer codes into their distinct texts (:class:`~civicmeter.outcomes.cells.Coded`, each text
parsed once) and the weight as float64. A missing column or a non-numeric weight is reported with
the fix. A large UTF-8 CSV never loads pandas (DuckDB sums it into cells); other files are read
with pandas, imported then.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from civicmeter.outcomes.cells import (
    ENCODINGS,
    NA_TEXTS,
    Coded,
    Columns,
    grouped_cells,
    locate_rows,
    read_header,
)
from civicmeter.outcomes.errors import OutcomesError, Problem
from civicmeter.outcomes.files import EXCEL_SUFFIXES, csv_dialect

if TYPE_CHECKING:
    import pandas as pd

EXAMPLE_ROWS = 5


E020_MISSING_COLUMN = (
    "{path}: no column {column!r} (given as {role}).{hint} Columns in the file: {available}."
)


E022_BAD_WEIGHTS = (
    "{path}, column {column!r}: {count} non-numeric weight(s), first at row(s) {rows} "
    "(e.g. {example!r}). Weights must be numbers; fix or blank those cells."
)


#: Files at least this large are summed by DuckDB into cells (:mod:`~civicmeter.outcomes.cells`);
#: smaller ones are read into memory, where DuckDB's start-up would cost more than it saves.
DUCKDB_MIN_BYTES = 8 * 1024 * 1024


def read_respondents(
    source: str | Path | pd.DataFrame,
    columns: dict[str, str],
    encoding: str | None,
    progress: Callable[[float], None] | None = None,
) -> tuple[Columns, str, Callable | None]:
    """The needed columns, as respondent rows or as cells already summed, plus a row locator.

    A large UTF-8 CSV goes through DuckDB (one streaming ``GROUP BY``, memory bounded by the
    number of cells); the locator then finds example rows for the notes. Anything else, or a file
    with non-numeric weights (reported by row, ``outcomes.E022``), is read with pandas and the
    locator is None (the rows are in memory).
    """
    path = Path(source) if isinstance(source, (str, Path)) else None
    if path is not None and path.suffix.lower() not in EXCEL_SUFFIXES and _duckdb_available():
        if path.exists() and path.stat().st_size >= DUCKDB_MIN_BYTES:
            used_encoding, delimiter = csv_dialect(path, encoding)
            if used_encoding in ENCODINGS:
                _require_columns(str(path), columns, read_header(path, delimiter))
                cells = grouped_cells(path, columns, delimiter, progress)
                if cells is not None:
                    return cells, str(path), partial(locate_rows, path, delimiter=delimiter)
    frame, label = _read_columns(source, columns, encoding)
    return _coded_columns(frame, columns), label, None


def _duckdb_available() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


def _missing_columns(label: str, columns: dict[str, str], available: list) -> list[Problem]:
    problems = []
    for role, column in columns.items():
        if column not in available:
            close = difflib.get_close_matches(column, [str(a) for a in available], n=3)
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            problems.append(
                Problem(
                    "outcomes.E020",
                    E020_MISSING_COLUMN.format(
                        path=label,
                        column=column,
                        role=role,
                        hint=hint,
                        available=", ".join(str(a) for a in available[:30]),
                    ),
                )
            )
    return problems


def _read_columns(
    source: str | Path | pd.DataFrame, columns: dict[str, str], encoding: str | None
) -> tuple[pd.DataFrame, str]:
    """The needed columns only: grouping and item columns as categoricals, weights as floats."""
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        label = "the data frame"
        _require_columns(label, columns, list(source.columns))
        frame = source[list(dict.fromkeys(columns.values()))].copy()
    elif Path(source).suffix.lower() in EXCEL_SUFFIXES:
        label = str(source)
        frame = _workbook_columns(Path(source), columns, label)
    else:
        label = str(source)
        frame = _read_csv_columns(Path(source), columns, encoding)
    for column in (c for role, c in columns.items() if role != "weight"):
        if not isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype("category")
    weight = columns.get("weight")
    if weight is not None and not pd.api.types.is_numeric_dtype(frame[weight]):
        frame[weight] = _numeric_weights(frame[weight], label, weight)
    return frame, label


def _coded_columns(frame: pd.DataFrame, columns: dict[str, str]) -> Columns:
    """The frame's categoricals as :class:`Coded` and its weights as an array: the form both
    paths hand to the reduction."""
    weight = columns.get("weight")
    coded = {
        c: Coded(frame[c].cat.codes.to_numpy(), list(frame[c].cat.categories))
        for role, c in columns.items()
        if role != "weight"
    }
    if weight is not None:
        coded[weight] = frame[weight].to_numpy(dtype=float)
    return coded


def _workbook_columns(path: Path, columns: dict[str, str], label: str) -> pd.DataFrame:
    """The needed columns of the first sheet, read by the shared workbook reader, as text with
    blank and missing-value cells ("NA", "null", ...) as missing, as pandas reads a CSV."""
    import pandas as pd

    from civicmeter.outcomes.files import open_workbook, unique_headers

    grid = open_workbook(path, None)
    header = unique_headers(grid.iloc[0].tolist()) if len(grid) else []
    _require_columns(label, columns, header)
    frame = pd.DataFrame(grid.iloc[1:].to_numpy(), columns=header)[list(dict.fromkeys(columns.values()))]
    return frame.where(~frame.isin(NA_TEXTS)).reset_index(drop=True)


def _require_columns(label: str, columns: dict[str, str], available: list) -> None:
    problems = _missing_columns(label, columns, available)
    if problems:
        raise OutcomesError(problems)


def _read_csv_columns(path: Path, columns: dict[str, str], encoding: str | None) -> pd.DataFrame:
    """The needed CSV columns in compact types; a non-numeric weight column is read as text."""
    import pandas as pd

    used_encoding, delimiter = csv_dialect(path, encoding)
    available = list(pd.read_csv(path, nrows=0, encoding=used_encoding, sep=delimiter).columns)
    _require_columns(str(path), columns, available)
    dtypes = {c: "category" for role, c in columns.items() if role != "weight"}
    weight = columns.get("weight")
    if weight is not None:
        dtypes[weight] = "float64"
    wanted = list(dict.fromkeys(columns.values()))
    read = partial(pd.read_csv, path, usecols=wanted, encoding=used_encoding, sep=delimiter, engine="c")
    try:
        return read(dtype=dtypes)
    except ValueError:
        # A non-numeric weight: read it as text so the bad cells can be reported by row.
        return read(dtype={**dtypes, weight: "str"})


def _numeric_weights(values: pd.Series, label: str, column: str) -> pd.Series:
    """Weights as floats; any cell that is neither blank nor a number is reported by row (E022)."""
    import pandas as pd

    as_text = values.astype("string").str.strip()
    numeric = pd.to_numeric(as_text, errors="coerce")
    bad = np.flatnonzero(numeric.isna() & as_text.fillna("").ne(""))
    if len(bad):
        rows = ", ".join(str(i + 2) for i in bad[:EXAMPLE_ROWS])
        text = E022_BAD_WEIGHTS.format(
            path=label, column=column, count=len(bad), rows=rows, example=str(as_text.iloc[bad[0]])
        )
        raise OutcomesError([Problem("outcomes.E022", text)])
    return numeric.astype(float)
