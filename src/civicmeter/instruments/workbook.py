"""Read the sheets of an XLSForm workbook as rows of normalised column names, keeping row numbers.

pyxform's parsed JSON loses the spreadsheet row a question came from, and our messages must point
authors at the exact cell, so we read the workbook ourselves (openpyxl) and only lean on pyxform
for the XLSForm rules it already enforces (:mod:`civicmeter.instruments.xform`).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from openpyxl import load_workbook

from civicmeter.instruments.errors import InstrumentError, Problem

NOT_A_WORKBOOK = (
    "the file is not an Excel .xlsx workbook ({reason}); save the XLSForm as .xlsx and try again"
)

#: Column spellings XLSForm tools accept, mapped to the one we use.
_ALIASES = {
    "constraint message": "constraint_message",
    "constraint_msg": "constraint_message",
    "list name": "list_name",
    "choice filter": "choice_filter",
    "required message": "required_message",
}
_LANG_CODE = re.compile(r"\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\)\s*$")


@dataclass(frozen=True)
class Column:
    """A header cell split into its base name and optional language (``label::Español (es)``)."""

    header: str
    base: str
    language: str | None


@dataclass(frozen=True)
class Row:
    number: int  # spreadsheet row number, header = 1
    cells: dict[str, str]  # header -> stripped text, empty cells left out


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def translated(self, row: Row, base: str) -> dict[str, str]:
        """``{language name: text}`` for one base column; an untranslated column is keyed ``""``."""
        out: dict[str, str] = {}
        for column in self.columns:
            if column.base == base and row.cells.get(column.header):
                out[column.language or ""] = row.cells[column.header]
        return out

    def value(self, row: Row, base: str) -> str:
        for column in self.columns:
            if column.base == base and column.language is None:
                return row.cells.get(column.header, "")
        return ""

    def header_of(self, base: str) -> str:
        """The header as the author wrote it, for messages (``base`` when the column is absent)."""
        return next((c.header for c in self.columns if c.base == base), base)


def language_code(name: str) -> str:
    """``"Español (es)"`` -> ``"es"``; a name without a code is used as it is."""
    match = _LANG_CODE.search(name)
    return match.group(1) if match else name.strip()


def split_header(header: str) -> Column:
    base, _, language = header.partition("::")
    base = base.strip().lower()
    base = _ALIASES.get(base, base)
    return Column(header=header, base=base, language=language.strip() or None)


def read_workbook(data: bytes) -> dict[str, Sheet]:
    """All sheets by lower-cased name; raise ``instrument.E001`` if the bytes are not a workbook."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        reason = "not a zip archive" if isinstance(exc, zipfile.BadZipFile) else str(exc)
        raise InstrumentError(
            [Problem("instrument.E001", NOT_A_WORKBOOK.format(reason=reason))]
        ) from exc
    sheets: dict[str, Sheet] = {}
    for worksheet in book.worksheets:
        # Some tools store a wrong sheet size; read-only mode would trust it and cut rows off.
        worksheet.reset_dimensions()
        rows = list(worksheet.iter_rows(values_only=True))
        if not rows:
            sheets[worksheet.title.lower()] = Sheet(worksheet.title, (), ())
            continue
        headers = [_text(v) for v in rows[0]]
        columns = tuple(split_header(h) for h in headers if h)
        body: list[Row] = []
        for number, values in enumerate(rows[1:], start=2):
            cells = {h: _text(v) for h, v in zip(headers, values, strict=False) if h and _text(v)}
            if cells:
                body.append(Row(number, cells))
        sheets[worksheet.title.lower()] = Sheet(worksheet.title, columns, tuple(body))
    book.close()
    return sheets


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
