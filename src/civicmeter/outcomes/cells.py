"""Read a large respondent CSV as per-cell sums with DuckDB, and find example rows on demand.

The reduction needs, per (city, period, answer text, usable weight?) cell, only the number of
respondents and the sums of their weights and squared weights (see
:mod:`~civicmeter.outcomes.estimators`). DuckDB's multi-threaded CSV reader computes exactly those
in one streaming ``GROUP BY`` whose memory is the number of cells, not of rows, so a 100-million-row
file is reduced in bounded memory. Every cleaning rule (blank, missing code, scale, half points,
bad weight) is then applied to the few thousand cells by the same code as for a pandas frame.

Row numbers for the notes (where an odd value or a bad weight first occurs) are not kept by a
``GROUP BY``; :func:`locate_rows` finds them afterwards by reading the file in chunks and stopping as
soon as every example is found, which for real files is within the first chunks.

Used for UTF-8 CSV files only; other encodings, spreadsheets and data frames take the pandas path.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

#: The texts pandas reads as missing by default, so both paths call the same cells blank.
NA_TEXTS = (
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
)  # fmt: skip
ENCODINGS = ("utf-8", "utf-8-sig", "ascii")
LOCATE_CHUNK = 50_000
#: Extra columns of a grouped frame: respondents per cell, usable-weight flag, squared weights.
COUNT, USABLE, SQUARES = "__n", "__usable", "__w2"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def grouped_cells(
    path: Path, columns: dict[str, str], delimiter: str, progress: Callable[[float], None] | None = None
) -> pd.DataFrame | None:
    """One row per cell: the grouping and item columns as text (NULL for blank), the weight sum,
    and the cell's count (:data:`COUNT`), usable flag (:data:`USABLE`) and squared-weight sum
    (:data:`SQUARES`). None when a weight is not a number: the pandas path then reports those
    cells by row (``outcomes.E022``)."""
    import duckdb

    weight = columns.get("weight")
    groups = list(dict.fromkeys(c for role, c in columns.items() if role != "weight"))
    types = {c: "VARCHAR" for c in groups}
    if weight is not None:
        types[weight] = "DOUBLE"
    options = [
        "header = true",
        f"delim = {_literal(delimiter)}",
        "types = {" + ", ".join(f"{_literal(c)}: {_literal(t)}" for c, t in types.items()) + "}",
    ]
    # Grouping keys cost most, so the usable-weight split is done with FILTER, not as a key, and
    # pandas' missing-value texts ("NA", "null") are mapped to blank afterwards on the small table.
    select = [_quote(c) for c in groups]
    aggregates = [f"count(*) AS {COUNT}"]
    if weight is not None:
        w = _quote(weight)
        aggregates += [
            f"count(*) FILTER (WHERE {w} > 0) AS __n_ok",
            f"coalesce(sum({w}) FILTER (WHERE {w} > 0), 0) AS {w}",
            f"coalesce(sum({w} * {w}) FILTER (WHERE {w} > 0), 0) AS {SQUARES}",
        ]
    # identifiers are quoted and literals escaped above; the user supplies no SQL
    query = (
        f"SELECT {', '.join(select + aggregates)} "  # noqa: S608
        f"FROM read_csv({_literal(str(path))}, {', '.join(options)}) GROUP BY ALL"
    )
    connection = duckdb.connect()
    try:
        connection.execute(f"SET enable_progress_bar = {'true' if progress else 'false'}")
        frame = _with_progress(connection, query, progress) if progress else connection.execute(query).df()
    except duckdb.ConversionException:
        return None
    except duckdb.InvalidInputException as exc:
        if weight is not None and "DOUBLE" in str(exc):
            return None
        raise
    finally:
        connection.close()
    for column in groups:
        frame[column] = frame[column].where(~frame[column].isin(NA_TEXTS))
    if weight is not None:
        frame = _split_usable(frame, weight)
    for column in groups:
        frame[column] = frame[column].astype("category")
    return frame


def _split_usable(frame: pd.DataFrame, weight: str) -> pd.DataFrame:
    """Each cell as up to two rows: respondents with a usable weight, and the others."""
    usable = frame.assign(**{COUNT: frame["__n_ok"], USABLE: True})
    others = frame.assign(**{COUNT: frame[COUNT] - frame["__n_ok"], USABLE: False, weight: 0.0, SQUARES: 0.0})
    both = pd.concat([usable, others[others[COUNT] > 0]], ignore_index=True)
    return both.drop(columns="__n_ok")


def _with_progress(connection, query: str, progress: Callable[[float], None]) -> pd.DataFrame:
    """Run ``query`` in a thread and report DuckDB's own progress (0-100) while it reads."""
    import threading

    import duckdb

    result: dict[str, object] = {}

    def work() -> None:
        try:
            result["frame"] = connection.execute(query).df()
        except duckdb.Error as exc:  # re-raised in the caller's thread
            result["error"] = exc

    connection.execute("SET enable_progress_bar_print = false")
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.2)
        done = connection.query_progress()
        if done >= 0:
            progress(float(done))
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    progress(100.0)
    return result["frame"]  # type: ignore[return-value]


def locate_rows(
    path: Path,
    columns: dict[str, str],
    delimiter: str,
    wanted: Callable[[pd.DataFrame], dict[str, np.ndarray]],
    enough: Callable[[dict[str, list[int]]], bool],
) -> dict[str, list[int]]:
    """Spreadsheet rows (header = 1) of the examples ``wanted`` picks from each chunk, until
    ``enough`` says every example has been found (or the file ends)."""
    found: dict[str, list[int]] = {}
    usecols = list(dict.fromkeys(columns.values()))
    reader = pd.read_csv(
        path, usecols=usecols, dtype=str, sep=delimiter, chunksize=LOCATE_CHUNK, encoding="utf-8-sig"
    )
    with reader:
        for chunk in reader:
            for key, positions in wanted(chunk).items():
                rows = found.setdefault(key, [])
                rows.extend(int(i) + 2 for i in chunk.index[positions])
            if enough(found):
                break
    return found
