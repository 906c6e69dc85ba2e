"""KPI values in a table: read a CSV or XLSX of ``indicator, period, value[, note]`` rows, and write
the same columns back (with ``name`` and ``unit`` to read by, ignored on import).

Reading goes through the shared tabular reader (``civicmeter.tabular_files``) under this file's own
policy: spreadsheets saved on Windows come in a code page, so the encoding is detected rather than
refused (values are numbers and codes, which a wrong Western code page cannot garble). Every bad
cell is reported with its row (as a spreadsheet numbers it, the header being row 1) and column.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from civicmeter.params import InstanceOf, validate_params
from civicmeter.tabular_files import (
    ZIP_MAGIC,
    EncodingPolicy,
    ReadPolicy,
    archive_facts,
    choose_encoding,
    file_kind,
    is_binary,
    long_cell,
    neutralise,
    restore,
    sniff_delimiter,
    workbook_rows,
)

from . import errors as e
from .errors import ValueProblem, ValuesFileError
from .indicators import Frequency
from .periods import Period, parse_period

VALUES = ReadPolicy(encoding=EncodingPolicy.DETECT, max_unpacked_bytes=20 * 2**20, max_cell_chars=2_000)
REQUIRED = ("indicator", "period", "value")
#: Written by the export for a person to read by; accepted and ignored on import.
INFORMATIVE = ("name", "unit")
COLUMNS = ("indicator", "name", "unit", "period", "value", "note")


@dataclass(frozen=True)
class ValueRow:
    indicator: str
    period: Period
    value: float
    note: str
    row: int


@validate_params(
    {
        "content": [InstanceOf(bytes, "bytes")],
        "frequencies": [InstanceOf(Mapping, "a mapping of indicator code to Frequency")],
    }
)
def read_values(content: bytes, frequencies: Mapping[str, Frequency]) -> list[ValueRow]:
    """The rows of a values file for indicators ``frequencies`` (code -> reporting frequency).

    Raises :class:`ValuesFileError` with every problem found; returns only when all rows are good.
    """
    header, rows = _table(content)
    names = [str(h or "").strip().lower() for h in header]
    problems = [
        ValueProblem("goals.E003", e.MISSING_COLUMN.format(column=c)) for c in REQUIRED if c not in names
    ]
    known = (*REQUIRED, "note", *INFORMATIVE)
    problems += [
        ValueProblem("goals.E004", e.UNKNOWN_COLUMN.format(column=n, known=", ".join(known)))
        for n in names
        if n and n not in known
    ]
    if problems:
        raise ValuesFileError(problems)
    found, seen = [], {}
    for number, cells in enumerate(rows, start=2):
        record = {n: _text(cells[i]) if i < len(cells) else "" for i, n in enumerate(names) if n}
        if not any(record.values()):
            continue
        row, row_problems = _row(record, number, frequencies, seen)
        if (at := long_cell(list(record.values()), VALUES)) is not None:
            column = list(record)[at]
            row_problems.append(
                ValueProblem("goals.E012", e.LONG_CELL.format(limit=VALUES.max_cell_chars), number, column)
            )
        problems += row_problems
        if row is not None and not row_problems:
            found.append(row)
    if not found and not problems:
        problems.append(ValueProblem("goals.E005", e.NO_ROWS))
    if problems:
        raise ValuesFileError(problems)
    return found


def _row(record: dict[str, str], number: int, frequencies, seen: dict) -> tuple[ValueRow | None, list]:
    problems = [ValueProblem("goals.E006", e.EMPTY_CELL, number, c) for c in REQUIRED if not record.get(c)]
    code = record.get("indicator", "")
    period = value = None
    if code and code not in frequencies:
        codes = ", ".join(sorted(frequencies)) or "(none yet: add an indicator first)"
        problems.append(
            ValueProblem(
                "goals.E007", e.UNKNOWN_INDICATOR.format(value=code, codes=codes), number, "indicator"
            )
        )
    elif code and record.get("period"):
        try:
            period = parse_period(record["period"], frequencies[code])
        except ValueError as exc:
            problems.append(ValueProblem("goals.E008", e.BAD_PERIOD.format(detail=exc), number, "period"))
    if record.get("value"):
        value = _number(record["value"])
        if value is None:
            problems.append(
                ValueProblem("goals.E009", e.NOT_A_NUMBER.format(value=record["value"]), number, "value")
            )
    if period is not None:
        key = (code, period.start)
        if key in seen:
            detail = e.DUPLICATE.format(indicator=code, period=period.label, first=seen[key])
            problems.append(ValueProblem("goals.E010", detail, number, "period"))
        else:
            seen[key] = number
    if problems or period is None or value is None:
        return None, problems
    return ValueRow(code, period, value, record.get("note", ""), number), problems


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return restore(str(cell).strip())


def _table(content: bytes) -> tuple[list, list]:
    """The header and the rows of a CSV or XLSX file, refusing what is no table (``goals.E001``/``E002``)."""
    kind = file_kind(content[:16]) or ("a binary file" if is_binary(content) else None)
    if kind is not None:
        raise ValuesFileError([ValueProblem("goals.E001", e.NOT_A_TABLE.format(kind=kind))])
    if content.startswith(ZIP_MAGIC):
        try:
            facts = archive_facts(content)
        except zipfile.BadZipFile:
            facts = None
        if facts is None or not facts.has_workbook:
            raise ValuesFileError([ValueProblem("goals.E001", e.NOT_A_TABLE.format(kind="a ZIP archive"))])
        if facts.too_big(VALUES):
            size, limit = facts.unpacked // 2**20, VALUES.max_unpacked_bytes // 2**20
            raise ValuesFileError([ValueProblem("goals.E002", e.TOO_BIG.format(size=size, limit=limit))])
        rows = list(workbook_rows(content))
    else:
        text = content.decode(choose_encoding(content, VALUES))
        delimiter = sniff_delimiter(text, VALUES)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows or not any(str(c or "").strip() for c in rows[0]):
        raise ValuesFileError([ValueProblem("goals.E011", e.NO_HEADER)])
    return list(rows[0]), rows[1:]


def write_values(rows: list[dict[str, object]]) -> str:
    """CSV text with :data:`COLUMNS` (missing keys empty), formula-looking cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([neutralise(_cell(row.get(c, ""))) for c in COLUMNS])
    return buffer.getvalue()


def _cell(value: object) -> str:
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    if isinstance(value, Period):
        return value.label
    return "" if value is None else str(value)
