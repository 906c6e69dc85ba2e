"""Read a large respondent CSV as per-cell sums with DuckDB, and find example rows on demand.

The reduction needs, per (city, period, answer text, usable weight?) cell, only the number of
respondents and the sums of their weights and squared weights (see
:mod:`~civicmeter.outcomes.estimators`). DuckDB's multi-threaded CSV reader computes exactly those
in one streaming ``GROUP BY`` whose memory is the number of cells, not of rows, so a 100-million-row
file is reduced in bounded memory. Every cleaning rule (blank, missing code, scale, half points,
bad weight) is then applied to the few thousand cells by the same code as for a pandas frame.

Row numbers for the notes (where an odd value or a bad weight first occurs) are not kept by a
``GROUP BY``; :func:`locate_rows` finds them afterwards by reading the file row by row (the csv
module, as fast here as pandas' chunks and without its start-up) and stopping as soon as every
example is found, which for real files is within the first rows.

Used for UTF-8 CSV files only; other encodings, spreadsheets and data frames take the pandas path.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: The texts pandas reads as missing by default, so both paths call the same cells blank.
NA_TEXTS = (
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
)  # fmt: skip
ENCODINGS = ("utf-8", "utf-8-sig", "ascii")
#: Extra columns of a grouped frame: respondents per cell, usable-weight flag, squared weights.
COUNT, USABLE, SQUARES = "__n", "__usable", "__w2"


@dataclass(frozen=True)
class Coded:
    """A text column as each row's position among its sorted distinct labels (-1 = blank).

    What a pandas categorical holds (``cat.codes``, ``cat.categories``), built here without pandas
    so a command reducing a large file does not pay pandas' start-up (see
    ``benchmarks/bench_outcomes.py``).
    """

    codes: np.ndarray
    labels: list
    #: the labels are numbers DuckDB parsed, written as :func:`number_text` writes them, so a
    #: file's text matches a label through its number ("4.50" is "4.5")
    numeric: bool = False


#: Respondent rows or summed cells, by column: grouping and item columns :class:`Coded`, weights
#: and the cell columns (:data:`COUNT`, :data:`USABLE`, :data:`SQUARES`) numeric arrays.
Columns = dict[str, "Coded | np.ndarray"]


def coded(values: np.ndarray) -> Coded:
    """Texts (None or a missing-value text = blank) as :class:`Coded`, labels sorted as pandas does."""
    data = np.array(["" if v is None else v for v in values.tolist()], dtype=object)
    present = ~np.isin(data, NA_TEXTS)
    labels, inverse = np.unique(data[present], return_inverse=True)
    codes = np.full(len(data), -1, dtype=np.int32)
    codes[present] = inverse.ravel()
    return Coded(codes, labels.tolist())


def number_text(number: float) -> str:
    """A parsed answer as a file most likely wrote it: 4.0 -> "4", 4.5 -> "4.5"."""
    return str(int(number)) if number.is_integer() else repr(number)


def coded_numbers(values: np.ndarray) -> Coded:
    """Numbers (None or NaN = blank) as :class:`Coded`, labelled by :func:`number_text` and in
    numeric order, as pandas gives a column whose answers all read as numbers."""
    data = np.array([np.nan if v is None else v for v in values.tolist()], dtype=float)
    present = ~np.isnan(data)
    numbers, inverse = np.unique(data[present], return_inverse=True)
    codes = np.full(len(data), -1, dtype=np.int32)
    codes[present] = inverse.ravel()
    return Coded(codes, [number_text(n) for n in numbers.tolist()], numeric=True)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def grouped_cells(
    path: Path, columns: dict[str, str], delimiter: str, progress: Callable[[float], None] | None = None
) -> Columns | None:
    """One row per cell: the grouping and item columns (:class:`Coded`), the weight sum, and the
    cell's count (:data:`COUNT`), usable flag (:data:`USABLE`) and squared-weight sum
    (:data:`SQUARES`). None when a weight is not a number: the pandas path then reports those
    cells by row (``outcomes.E022``).

    The item is read as DuckDB's sniffer types it: an all-number item parses and groups about 15%
    faster as numbers than as text (``benchmarks/bench_outcomes.py``), and every cleaning rule
    looks at an answer's number anyway. Where the guess fails further down the file (a "DK" past
    the sniffer's sample) or is not a number, the item is read again as text.
    """
    import duckdb

    weight = columns.get("weight")
    groups = list(dict.fromkeys(c for role, c in columns.items() if role != "weight"))
    item = columns["item"]
    connection = duckdb.connect()
    try:
        connection.execute(f"SET enable_progress_bar = {'true' if progress else 'false'}")
        for item_type in (None, "VARCHAR"):
            query = _cells_query(path, groups, item_type, weight, delimiter)
            try:
                if progress:
                    cells = _with_progress(connection, query, progress)
                else:
                    cells = _fetch(connection.execute(query))
            except (duckdb.ConversionException, duckdb.InvalidInputException) as exc:
                if item_type is None:
                    continue
                if isinstance(exc, duckdb.ConversionException) or (weight and "DOUBLE" in str(exc)):
                    return None
                raise
            if _kind(cells[item]) is not None:
                break
    finally:
        connection.close()
    for name in (COUNT, "__n_ok"):
        if name in cells:
            cells[name] = cells[name].astype(np.int64)
    if weight is not None:
        cells = _split_usable(cells, weight)
    return {name: _coded(cells[name]) if name in groups else cells[name] for name in cells}


def _fetch(result) -> dict[str, np.ndarray]:
    """A result's columns as object arrays, None for NULL. ``fetchall``, not ``fetchnumpy``, whose
    masked arrays for columns with NULLs cost importing ``numpy.ma`` (30 ms) for a few thousand
    rows."""
    names = [column[0] for column in result.description]
    rows = result.fetchall()
    columns = zip(*rows, strict=True) if rows else ([] for _ in names)
    return {name: np.array(values, dtype=object) for name, values in zip(names, columns, strict=True)}


def _kind(values: np.ndarray) -> str | None:
    """ "text" or "number" for a column DuckDB gave as strings or numbers, None for anything else
    (a sniffed BOOLEAN or DATE item is read again as text)."""
    kinds = {type(v) for v in values.tolist() if v is not None}
    if kinds <= {str}:
        return "text"
    if kinds <= {int, float}:
        return "number"
    return None


def _coded(values: np.ndarray) -> Coded:
    return coded(values) if _kind(values) == "text" else coded_numbers(values)


def _cells_query(
    path: Path, groups: list[str], item_type: str | None, weight: str | None, delimiter: str
) -> str:
    """The one GROUP BY: the item (``groups[0]``) as ``item_type`` (None: as sniffed), the
    grouping columns as text, the weight as a number."""
    types = {c: "VARCHAR" for c in groups[1:]}
    if item_type is not None:
        types[groups[0]] = item_type
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
    return (
        f"SELECT {', '.join(select + aggregates)} "  # noqa: S608
        f"FROM read_csv({_literal(str(path))}, {', '.join(options)}) GROUP BY ALL"
    )


def _split_usable(cells: dict[str, np.ndarray], weight: str) -> dict[str, np.ndarray]:
    """Each cell as up to two rows: respondents with a usable weight, then the others."""
    usable = cells.pop("__n_ok")
    others = cells[COUNT] - usable
    rows = np.concatenate([np.arange(len(usable)), np.flatnonzero(others > 0)])
    split = {name: values[rows] for name, values in cells.items()}
    second = slice(len(usable), None)
    split[COUNT] = np.concatenate([usable, others[rows[second]]])
    split[USABLE] = np.arange(len(rows)) < len(usable)
    for name in (weight, SQUARES):
        split[name] = np.asarray(split[name], dtype=float)
        split[name][second] = 0.0
    return split


def _with_progress(connection, query: str, progress: Callable[[float], None]) -> dict[str, np.ndarray]:
    """Run ``query`` in a thread and report DuckDB's own progress (0-100) while it reads."""
    import threading

    import duckdb

    result: dict[str, object] = {}

    def work() -> None:
        try:
            result["cells"] = _fetch(connection.execute(query))
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
    return result["cells"]  # type: ignore[return-value]


def read_header(path: Path, delimiter: str) -> list[str]:
    """The header row's names (the first non-blank line), read without pandas."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle, delimiter=delimiter):
            if not _blank_line(row):
                return row
    return []


def _blank_line(row: list[str]) -> bool:
    """A line pandas skips (``skip_blank_lines``): empty or only spaces, so row numbers agree."""
    return len(row) <= 1 and not "".join(row).strip()


def locate_rows(
    path: Path,
    columns: list[str],
    delimiter: str,
    examples: Callable[[list[str | None]], list[str]],
    need: dict[str, int],
) -> dict[str, list[int]]:
    """Spreadsheet rows (header = 1) of the first ``need[key]`` rows that ``examples`` files under
    each key, given a row's ``columns`` as text (None for a missing-value text); reading stops as
    soon as every key has its rows. Rows are numbered as pandas numbers them (blank lines skipped)."""
    found: dict[str, list[int]] = {key: [] for key in need}
    wanting = {key for key, n in need.items() if n > 0}
    missing = frozenset(NA_TEXTS)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = (row for row in csv.reader(handle, delimiter=delimiter) if not _blank_line(row))
        header = next(reader, [])
        positions = [header.index(c) for c in columns]
        for number, row in enumerate(reader, start=2):
            if not wanting:
                break
            values = [row[i] if i < len(row) and row[i] not in missing else None for i in positions]
            for key in wanting.intersection(examples(values)):
                found[key].append(number)
                if len(found[key]) >= need[key]:
                    wanting.discard(key)
    return found
