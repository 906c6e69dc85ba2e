"""Columns as the text and CSV pandas writes for them, without importing pandas.

``civicmeter outcomes microdata`` prints its estimates and cleaning report and writes a CSV; on a
large file everything else runs in DuckDB and numpy, and importing pandas only to lay out a thousand
rows of text costs more start-up than the reduction's own Python work (see
``benchmarks/bench_outcomes.py``). :func:`text_table` lays columns out exactly as
``DataFrame.to_string(index=False)`` does with the default display options, and :func:`write_csv`
writes what ``DataFrame.to_csv(index=False)`` writes; ``tests/outcomes/test_plain_table.py`` holds
both to pandas.

A column is a numpy array: float columns are laid out with six decimals (scientific notation when a
value would show as 0 or a large one makes the column too wide), trailing zeros trimmed alike down
to one decimal; integer and text columns as they are.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping

import numpy as np

#: pandas' ``display.precision``.
DIGITS = 6
_DECIMAL_NUMBER = re.compile(r"^\s*[\+-]?[0-9]+\.[0-9]*$")


def _trim_zeros(texts: list[str]) -> list[str]:
    """Drop trailing zeros while every plain decimal ends in one, keeping one after the point."""

    def plain(text: str) -> bool:
        return _DECIMAL_NUMBER.match(text) is not None

    while (numbers := [t for t in texts if plain(t)]) and all(t.endswith("0") for t in numbers):
        texts = [t[:-1] if plain(t) else t for t in texts]
    return [t + "0" if plain(t) and t.endswith(".") else t for t in texts]


def _float_texts(values: np.ndarray) -> list[str]:
    def written(style: str) -> list[str]:
        return _trim_zeros(["NaN" if np.isnan(v) else format(v, f".{DIGITS}{style}") for v in values])

    texts = written("f")
    size = np.abs(values)
    too_long = max(map(len, texts), default=0) > DIGITS + 6
    if ((size < 10**-DIGITS) & (size > 0)).any() or (too_long and (size > 1e6).any()):
        texts = written("e")
    return texts


def _texts(values: np.ndarray) -> list[str]:
    if values.dtype.kind == "f":
        return _float_texts(values)
    if values.dtype.kind in "iub":
        return [str(v) for v in values.tolist()]
    return [
        "NaN" if v is None else str(v).replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")
        for v in values.tolist()
    ]


def text_table(columns: Mapping[str, np.ndarray]) -> str:
    """The columns laid out as ``DataFrame(columns).to_string(index=False)`` lays them out."""
    blocks = []
    for name, values in columns.items():
        numeric = values.dtype.kind in "fiub"
        cells = [(" " if numeric else "") + str(name), *_texts(values)]
        width = max(map(len, cells))
        blocks.append([cell.rjust(width) for cell in cells])
    return "\n".join(" ".join(line) for line in zip(*blocks, strict=True))


def write_csv(columns: Mapping[str, np.ndarray], path: str) -> None:
    """Write the columns as ``DataFrame(columns).to_csv(path, index=False)`` does: numbers in
    their shortest exact form, NaN and None as empty cells, quotes only where needed."""

    def cell(value: object) -> object:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return ""
        return value

    rows = zip(*(values.tolist() for values in columns.values()), strict=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([cell(v) for v in row] for row in rows)
