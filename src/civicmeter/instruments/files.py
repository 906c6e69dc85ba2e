"""Read and write answer tables (CSV or XLSX) safely: encodings, delimiters and formula injection.

People export answers from KoboToolbox, ODK Central or a spreadsheet and bring them back edited, so
reading must cope with a UTF-8 byte-order mark, ``;``-delimited CSV from European Excel and
KoboToolbox, and must say clearly when a file is not UTF-8 instead of silently garbling accents.
Writing follows OWASP's CSV-injection advice: a cell that a spreadsheet would run as a formula
gets a leading apostrophe, which reading removes again, so export -> import -> export gives the
same bytes. The decisions are :mod:`civicmeter.tabular_files`'s, under :data:`RESPONSES`; this
module keeps the answers' error codes and wording.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from civicmeter.instruments.errors import Problem, ResponsesImportError
from civicmeter.params import NONE, InstanceOf, Options, validate_params
from civicmeter.tabular_files import OLD_EXCEL as OLD_EXCEL_KIND
from civicmeter.tabular_files import (
    PLAIN_NUMBER,
    ZIP_MAGIC,
    EncodingPolicy,
    NotUtf8Error,
    ReadPolicy,
    archive_facts,
    cell_text,
    choose_encoding,
    file_kind,
    guess_code_page,
    is_binary,
    long_cell,
    neutralise,
    restore,
    sniff_delimiter,
    workbook_rows,
)

NOT_UTF8 = (
    "the file is not UTF-8 (it looks like {guess}); save it as 'CSV UTF-8' in your spreadsheet "
    "program, or import it again stating its encoding: choose {guess} under 'Encoding' on the web "
    "import page, or add --encoding {guess} to 'civicmeter responses import'"
)
BAD_ENCODING = "the file cannot be decoded as {encoding}: {reason}"
EMPTY_FILE = (
    "the file has no header row; the first row must name the columns (city, city_name, ...)"
)
DUPLICATE_COLUMN = (
    "column '{column}' appears more than once (columns {positions}); keep one of them"
)
BAD_WORKBOOK = "the file looks like an Excel workbook but cannot be opened: {reason}"
CANNOT_READ = "cannot read the file: {reason}"
CELL_TOO_LONG = (
    "a cell holds {length} characters; cells are limited to {limit:,} characters (Excel's own "
    "limit). Shorten the text, or check that the file's quotes are balanced"
)
TOO_BIG_UNPACKED = (
    "the workbook would take {size:,.0f} MB when unpacked; the limit is {limit:,.0f} MB. A sheet of "
    "answers is far smaller: save only the answers sheet, or save it as CSV"
)
NOT_A_TABLE = (
    "the file{named} is {kind}, not a CSV or Excel (.xlsx) table; export the answers from your "
    "spreadsheet program as .xlsx or 'CSV UTF-8' and upload that file"
)
OLD_EXCEL = (
    "the file{named} is an old-format Excel workbook (.xls); open it in your spreadsheet program "
    "and save it as .xlsx or 'CSV UTF-8'"
)
ZIP_NOT_WORKBOOK = (
    "the file{named} is a ZIP archive but not an Excel workbook (it has no workbook inside); save "
    "the answers from your spreadsheet program as .xlsx or 'CSV UTF-8'"
)

#: Longest cell read, in characters: Excel's own cell limit, far above any answer's length limit.
MAX_CELL_CHARS = 32_767
#: Largest unpacked size of an XLSX (its XML parts together). 152 cities x 300 questions take a
#: few MB; a zip bomb of 1.7 MB that unpacks to 490 MB is refused from the zip directory alone.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
#: Answers are re-imported into stored records, so a guessed encoding is refused, not used.
RESPONSES = ReadPolicy(
    encoding=EncodingPolicy.REFUSE_NON_UTF8,
    max_unpacked_bytes=MAX_UNPACKED_BYTES,
    max_cell_chars=MAX_CELL_CHARS,
    delimiters=",;\t",
)


def _source_bytes(source: str | Path | bytes) -> tuple[bytes, str | None]:
    if isinstance(source, bytes):
        return source, None
    try:
        return Path(source).read_bytes(), str(source)
    except OSError as exc:
        problem = Problem("import.E001", CANNOT_READ.format(reason=exc.strerror or exc))
        raise ResponsesImportError([problem], source=str(source)) from exc


def decode(data: bytes, encoding: str | None = None, *, source: str | None = None) -> str:
    """Text of a CSV file: UTF-8 (a BOM allowed), or UTF-16/32 with a BOM, unless ``encoding`` is given."""
    if encoding is not None:
        return _decode_as(data, encoding, encoding, source)
    try:
        chosen = choose_encoding(data, RESPONSES)
        if chosen.startswith("utf-8"):
            return data.decode("utf-8-sig")  # fails only on bad bytes after a UTF-8 BOM
    except (NotUtf8Error, UnicodeDecodeError) as exc:
        guess = exc.guess if isinstance(exc, NotUtf8Error) else _guess(data)
        problem = Problem("import.E001", NOT_UTF8.format(guess=guess))
        raise ResponsesImportError([problem], source=source) from exc
    return _decode_as(data, chosen, chosen.upper(), source)  # Excel's "Unicode text" (UTF-16)


def _guess(data: bytes) -> str:
    return guess_code_page(data, RESPONSES) or "an unknown encoding"


def _decode_as(data: bytes, encoding: str, shown: str, source: str | None) -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        problem = Problem("import.E001", BAD_ENCODING.format(encoding=shown, reason=exc))
        raise ResponsesImportError([problem], source=source) from exc


@validate_params(
    {
        "source": [InstanceOf((str, Path, bytes), "a path or the file bytes")],
        "encoding": [InstanceOf(str, "an encoding name such as 'cp1252'"), NONE],
        "name": [InstanceOf(str, "the file's name"), NONE],
    }
)
def read_table(
    source: str | Path | bytes, encoding: str | None = None, *, name: str | None = None
) -> pd.DataFrame:
    """An answers file (CSV or XLSX, detected from its bytes) as a DataFrame of strings.

    Empty cells are ``""``, never NaN; formula neutralisation is undone. Raises
    :class:`ResponsesImportError` for an undecodable file, a file that is not a table (an image, an
    old .xls, a ZIP that holds no workbook), a workbook too large unpacked, a cell longer than
    :data:`MAX_CELL_CHARS`, a missing header or duplicate columns. ``name`` (the uploaded file's
    name) only makes messages clearer.
    """
    data, label = _source_bytes(source)
    label = label or name
    _refuse_non_tables(data, label)
    if data.startswith(ZIP_MAGIC):
        header, rows = _xlsx_rows(data, label)
    else:
        header, rows = _csv_rows(decode(data, encoding, source=label), label)
    header = [h.strip() for h in header]
    while header and not header[-1]:  # formatted but empty cells after the last column
        header.pop()
    _check_header(header, label)
    width = len(header)
    body = [
        [restore(cell) for cell in (row + [""] * width)[:width]]
        for row in rows
        if any(cell.strip() for cell in row)
    ]
    return pd.DataFrame(body, columns=header, dtype=object)


def _refuse_non_tables(data: bytes, label: str | None) -> None:
    """Name what a file is when it is certainly not a table, before anything tries to decode it."""
    named = f" '{Path(label).name}'" if label else ""
    kind = file_kind(data[:16])
    if kind == OLD_EXCEL_KIND:
        text = OLD_EXCEL.format(named=named)
    elif kind is not None:
        text = NOT_A_TABLE.format(named=named, kind=kind)
    elif is_binary(data):
        text = NOT_A_TABLE.format(named=named, kind="a binary file")
    else:
        return
    raise ResponsesImportError([Problem("import.E018", text)], source=label)


def _csv_rows(text: str, label: str | None) -> tuple[list[str], list[list[str]]]:
    delimiter = sniff_delimiter(text.split("\n", 1)[0], RESPONSES)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    try:
        for record in reader:
            _check_lengths(record, reader.line_num, label)
            records.append(record)
    except csv.Error as exc:  # "field larger than field limit (131072)": a cell we refuse anyway
        if "field limit" not in str(exc):
            problem = Problem("import.E001", CANNOT_READ.format(reason=exc), row=reader.line_num)
            raise ResponsesImportError([problem], source=label) from exc
        length = f"more than {csv.field_size_limit():,}"
        problem = Problem(
            "import.E014",
            CELL_TOO_LONG.format(length=length, limit=MAX_CELL_CHARS),
            row=len(records) + 1,
        )
        raise ResponsesImportError([problem], source=label) from exc
    return (records[0], records[1:]) if records else ([], [])


def _check_lengths(values: list, row: int, label: str | None) -> None:
    index = long_cell(values, RESPONSES)
    if index is not None:
        text = CELL_TOO_LONG.format(length=f"{len(values[index]):,}", limit=MAX_CELL_CHARS)
        column = get_column_letter(index + 1)
        raise ResponsesImportError([Problem("import.E014", text, row=row, column=column)], source=label)


def _xlsx_rows(data: bytes, label: str | None) -> tuple[list[str], list[list[str]]]:
    """The first sheet's cells, after checking the unpacked size from the zip directory."""
    named = f" '{Path(label).name}'" if label else ""
    try:
        facts = archive_facts(data)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        problem = Problem("import.E001", BAD_WORKBOOK.format(reason=exc))
        raise ResponsesImportError([problem], source=label) from exc
    if not facts.has_workbook:
        problem = Problem("import.E018", ZIP_NOT_WORKBOOK.format(named=named))
        raise ResponsesImportError([problem], source=label)
    if facts.too_big(RESPONSES):
        mb = 1024 * 1024
        text = TOO_BIG_UNPACKED.format(size=facts.unpacked / mb, limit=MAX_UNPACKED_BYTES / mb)
        raise ResponsesImportError([Problem("import.E016", text)], source=label)
    try:
        values = []
        for number, row in enumerate(workbook_rows(data), start=1):
            _check_lengths(row, number, label)
            values.append([cell_text(v) for v in row])
    except ResponsesImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure on a damaged workbook is the file's fault
        problem = Problem("import.E001", BAD_WORKBOOK.format(reason=exc or type(exc).__name__))
        raise ResponsesImportError([problem], source=label) from exc
    return (values[0], values[1:]) if values else ([], [])


def _typed(text: str) -> str | int | float:
    """A number if it reads back (via :func:`~civicmeter.tabular_files.cell_text`) as exactly
    ``text``, else ``text`` itself."""
    if not PLAIN_NUMBER.fullmatch(text):
        return neutralise(text)
    number = int(text) if re.fullmatch(r"-?\d+", text) else float(text)
    return number if cell_text(number) == text else text


def _check_header(header: list[str], label: str | None) -> None:
    if not any(header):
        raise ResponsesImportError([Problem("import.E010", EMPTY_FILE, row=1)], source=label)
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(header, start=1):
        positions.setdefault(name, []).append(index)
    problems = [
        Problem(
            "import.E011",
            DUPLICATE_COLUMN.format(column=name, positions=", ".join(map(str, where))),
            row=1,
            column=name,
        )
        for name, where in positions.items()
        if len(where) > 1
    ]
    if problems:
        raise ResponsesImportError(problems, source=label)


@validate_params(
    {
        "frame": [InstanceOf(pd.DataFrame, "a pandas DataFrame")],
        "delimiter": [Options([",", ";", "\t"])],
    }
)
def to_csv_bytes(frame: pd.DataFrame, delimiter: str = ",") -> bytes:
    """UTF-8 CSV (with a byte-order mark so Excel reads accents) with formula cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(list(frame.columns))
    for row in frame.itertuples(index=False):
        writer.writerow([neutralise(cell_text(v)) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


@validate_params(
    {
        "frame": [InstanceOf(pd.DataFrame, "a pandas DataFrame")],
        "numeric": [InstanceOf((set, frozenset, list, tuple), "a collection of column names")],
    }
)
def to_xlsx_bytes(frame: pd.DataFrame, numeric: set[str] | frozenset[str] | list | tuple = ()) -> bytes:
    """One-sheet workbook, text cells neutralised like the CSV (openpyxl would otherwise store a
    leading ``=`` as a live formula).

    Cells of the ``numeric`` columns are numbers when they read back as the same text (``585708``,
    ``3.5``), so a spreadsheet can sum and sort them; anything else (``3.50``) stays text so the
    round trip is exact.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "answers"
    sheet.append(list(frame.columns))
    numbers = [name in numeric for name in frame.columns]
    for row in frame.itertuples(index=False):
        cells = zip(row, numbers, strict=True)
        sheet.append([_typed(cell_text(v)) if number else neutralise(cell_text(v)) for v, number in cells])
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible(buffer.getvalue())


_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the zip format's epoch
_DOC_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _reproducible(xlsx: bytes) -> bytes:
    """The same workbook bytes for the same cells.

    openpyxl stamps the save time into ``docProps/core.xml`` and every zip entry, which would make
    export -> import -> export differ.
    """
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _DOC_TIMES.sub(rb"\g<1>1980-01-01T00:00:00Z\g<2>", data)
            target.writestr(
                zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()
