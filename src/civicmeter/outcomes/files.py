"""Reading the files people actually have: unknown encodings, metadata above the header, XLSX.

Published city tables are rarely clean CSV. The ONS subnational files carry five metadata lines
("Indicator:", "Date:", ...) before the header, Windows tools write cp1252, Excel adds a UTF-8 BOM,
and European exports use ``;``. :func:`read_table` handles these once, returns every cell as text
(so importers can report unparseable cells with their row instead of losing them to NaN), and
records what it decided in :class:`RawTable` so the import report can show it. What a file really
is, its encoding and its delimiter are decided by :mod:`civicmeter.tabular_files` under
:data:`OUTCOMES`; this module keeps the outcome tables' error codes and wording.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from civicmeter.outcomes.errors import OutcomesError, Problem
from civicmeter.params import DATA_FRAME, NONE, InstanceOf, Interval, validate_params
from civicmeter.tabular_files import (
    OLD_EXCEL,
    EncodingPolicy,
    ReadPolicy,
    SheetNotFound,
    archive_facts,
    cell_text,
    choose_encoding,
    file_kind,
    looks_like_text,
    sniff_delimiter,
    workbook_rows,
)

if TYPE_CHECKING:  # pandas is imported by the readers that build frames, so that a microdata
    import pandas as pd  # reduction needing only csv_dialect does not pay its start-up

#: Bytes looked at to decide the encoding and the layout; enough for any header block.
SAMPLE_BYTES = 1 << 20
#: Encodings charset-normalizer may choose between when a file is not UTF-8.
FALLBACK_ENCODINGS = ["cp1252", "iso8859_15", "cp1250", "latin_1"]
DELIMITERS = ",;\t|"
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
#: A metadata label such as "Indicator:" or "Date: " in the first cell of a line above the header.
METADATA_LABEL = re.compile(r"^\s*[^\d\W][\w ()/.-]*:\s*$")
YEAR_COLUMN = re.compile(r"^\s*((?:19|20)\d{2})(?:\.0)?\s*$")
MAX_METADATA_LINES = 30
#: Lines the delimiter is sniffed from: past any metadata block, into the data.
SNIFF_LINES = MAX_METADATA_LINES + 20

E010_NOT_FOUND = "{path}: file not found. Check the path."
E011_UNDECODABLE = (
    "{path}: cannot decode the file as {encoding} ({reason}). "
    "Pass the right encoding, e.g. --encoding cp1252 or --encoding utf-8."
)
E012_EMPTY = "{path}: no header row and data found{where}. Check the file, or pass --skip-rows N."
E013_UNREADABLE = "{path}: cannot parse the file ({reason}). Save it as CSV (UTF-8) or XLSX and retry."
E014_NOT_A_WORKBOOK = (
    "{path}: not an Excel workbook although it is named {suffix} (the file looks like {kind}). "
    "Save it from the spreadsheet program as .xlsx, or give a CSV file its .csv name."
)
E015_NO_SHEET = "{path}: no sheet {sheet!r}. Sheets in the workbook: {sheets}."
E016_INFLATES = (
    "{path}: the workbook unpacks to {size} MB, above the {limit} MB that outcome tables may use. "
    "Remove unused sheets, formatting or rows, or export the table as CSV."
)
#: A workbook may unpack to this many bytes (XML inside the zip) before it is refused unread.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: Published tables come as they are: a non-UTF-8 file is read in its likeliest code page.
OUTCOMES = ReadPolicy(
    encoding=EncodingPolicy.DETECT,
    max_unpacked_bytes=MAX_UNPACKED_BYTES,
    max_cell_chars=None,
    delimiters=DELIMITERS,
    code_pages=tuple(FALLBACK_ENCODINGS),
)


@dataclass
class RawTable:
    """A file's cells as text, with what was detected to read it."""

    frame: pd.DataFrame
    path: str
    encoding: str | None
    delimiter: str | None
    skip_rows: int
    metadata: dict[str, str] = field(default_factory=dict)

    def spreadsheet_row(self, index: int) -> int:
        """The row number a user sees in a spreadsheet for data row ``index`` (0-based)."""
        return self.skip_rows + 2 + index


@validate_params(
    {
        "path": [InstanceOf((str, Path), "a file path")],
        "declared": [InstanceOf(str, "an encoding name"), NONE],
    }
)
def detect_encoding(path: str | Path, declared: str | None = None) -> str:
    """The encoding to read ``path`` with: ``declared`` if given, else BOM, UTF-8, or a guess.

    UTF-8 is tried first because it almost never decodes text written in another encoding by
    accident; only then is charset-normalizer asked to choose among Western/Central European code
    pages (the ones city and statistics-office exports use), with cp1252 as the last resort.
    """
    if declared:
        try:
            return codecs.lookup(declared).name
        except LookupError as exc:
            raise OutcomesError(
                [
                    Problem(
                        "outcomes.E011",
                        E011_UNDECODABLE.format(path=path, encoding=declared, reason="unknown encoding name"),
                    )
                ]
            ) from exc
    try:
        with open(path, "rb") as handle:
            sample = handle.read(SAMPLE_BYTES)
            complete = not handle.read(1)
    except FileNotFoundError as exc:
        raise OutcomesError([Problem("outcomes.E010", E010_NOT_FOUND.format(path=path))]) from exc
    # Short samples often fit several code pages equally well; ties go to the commonest (cp1252).
    return choose_encoding(sample, OUTCOMES, complete=complete)


def csv_dialect(path: Path, declared: str | None = None) -> tuple[str, str]:
    """The encoding and delimiter of a large CSV file, from its first bytes only."""
    used_encoding = detect_encoding(path, declared)
    with open(path, encoding=used_encoding, errors="replace") as handle:
        sample = handle.read(SAMPLE_BYTES // 16)
    return used_encoding, sniff_delimiter(sample, OUTCOMES, lines=SNIFF_LINES)


def _is_metadata_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    return len(filled) <= 1 or bool(METADATA_LABEL.match(cells[0]))


def detect_skip_rows(rows: list[list[str]]) -> int:
    """How many leading rows are metadata: blank, single-cell titles, or ``Label:`` lines."""
    for index, cells in enumerate(rows[:MAX_METADATA_LINES]):
        if not _is_metadata_row(cells):
            return index
    return 0


def _metadata(rows: list[list[str]]) -> dict[str, str]:
    found = {}
    for cells in rows:
        if cells and METADATA_LABEL.match(cells[0]):
            rest = [c.strip() for c in cells[1:] if c.strip()]
            found[cells[0].strip().rstrip(":").strip()] = rest[0] if rest else ""
    return found


def unique_headers(cells: list) -> list[str]:
    """Header names as pandas makes them for CSV: blanks become "Unnamed: i", repeats get ".1"."""
    seen: dict[str, int] = {}
    names = []
    for index, cell in enumerate(cells):
        name = str(cell).strip() or f"Unnamed: {index}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        seen.setdefault(name, 0)
        names.append(name)
    return names


def _looks_like(head: bytes) -> str:
    kind = file_kind(head)
    if kind is not None:
        return kind
    return "text (perhaps a CSV)" if looks_like_text(head) else "some other kind of file"


def check_workbook(path: Path) -> bool:
    """Refuse, before it is parsed, a file named .xlsx that is no workbook or unpacks too far;
    True for an old binary .xls (which only pandas and xlrd read), False for a checked .xlsx.

    A PNG renamed .xlsx or a CSV saved with the wrong name must be told apart from a broken
    workbook, and a small zip that inflates to gigabytes of XML must not be parsed at all.
    """
    with open(path, "rb") as handle:
        head = handle.read(8)
    if file_kind(head) == OLD_EXCEL:  # pandas reads the old binary .xls format via xlrd
        return True
    suffix = path.suffix.lower()
    try:
        facts = archive_facts(path)
    except zipfile.BadZipFile as exc:
        kind = _looks_like(head)
        raise OutcomesError(
            [Problem("outcomes.E014", E014_NOT_A_WORKBOOK.format(path=path, suffix=suffix, kind=kind))]
        ) from exc
    if not facts.has_content_types:
        raise OutcomesError(
            [
                Problem(
                    "outcomes.E014",
                    E014_NOT_A_WORKBOOK.format(path=path, suffix=suffix, kind="a zip archive"),
                )
            ]
        )
    if facts.too_big(OUTCOMES):
        size, limit = round(facts.unpacked / 1024 / 1024), MAX_UNPACKED_BYTES // 1024 // 1024
        raise OutcomesError(
            [Problem("outcomes.E016", E016_INFLATES.format(path=path, size=size, limit=limit))]
        )
    return False


def open_workbook(path: Path, sheet: str | int | None) -> pd.DataFrame:
    """The sheet as a grid of text cells ("" for blank; columns 0, 1, ...), trailing blank rows and
    columns left out, after :func:`check_workbook`; a missing sheet is named with the others (E015).

    An ``.xlsx``/``.xlsm`` is read by the shared reader (:func:`civicmeter.tabular_files.workbook_rows`,
    as answers are); only an old binary ``.xls``, which it cannot open, goes through pandas and xlrd.
    """
    old = check_workbook(path)
    try:
        if old:
            rows = _xls_rows(path, sheet)
        else:
            rows = [[cell_text(v) for v in row] for row in workbook_rows(path.read_bytes(), sheet)]
    except SheetNotFound as exc:
        sheets = ", ".join(repr(n) for n in exc.sheets)
        raise OutcomesError(
            [Problem("outcomes.E015", E015_NO_SHEET.format(path=path, sheet=sheet, sheets=sheets))]
        ) from exc
    except Exception as exc:  # noqa: BLE001 - any parser failure on a damaged workbook is the file's fault
        reason = str(exc) or type(exc).__name__
        problem = Problem("outcomes.E013", E013_UNREADABLE.format(path=path, reason=reason))
        raise OutcomesError([problem]) from exc
    return _grid(rows)


def _xls_rows(path: Path, sheet: str | int | None) -> list[list[str]]:
    import pandas as pd

    book = pd.ExcelFile(path)
    names = book.sheet_names
    if sheet is not None and not (sheet in names or isinstance(sheet, int) and 0 <= sheet < len(names)):
        raise SheetNotFound(sheet, names)
    grid = book.parse(sheet if sheet is not None else 0, header=None, dtype=str)
    return grid.fillna("").astype(str).values.tolist()


def _grid(rows: list[list[str]]) -> pd.DataFrame:
    """Rows of text as a rectangle: trailing blank rows and columns dropped, short rows padded."""
    import pandas as pd

    filled = [i for i, row in enumerate(rows) if any(cell.strip() for cell in row)]
    rows = rows[: filled[-1] + 1] if filled else []
    ends = [max((i for i, cell in enumerate(row) if cell.strip()), default=-1) for row in rows]
    width = max(ends, default=-1) + 1
    return pd.DataFrame([[*r[:width], *[""] * (width - len(r))] for r in rows], dtype=object)


def _read_excel(path: Path, sheet: str | int | None, skip_rows: int | None) -> tuple[pd.DataFrame, int]:
    grid = open_workbook(path, sheet)
    skip = detect_skip_rows(grid.values.tolist()) if skip_rows is None else skip_rows
    return grid, skip


@validate_params(
    {
        "path": [InstanceOf((str, Path), "a file path")],
        "encoding": [InstanceOf(str, "an encoding name"), NONE],
        "skip_rows": [Interval(int, 0, None), NONE],
        "delimiter": [InstanceOf(str, "a one-character delimiter"), NONE],
        "sheet": [InstanceOf((str, int), "a sheet name or index"), NONE],
    }
)
def read_table(
    path: str | Path,
    *,
    encoding: str | None = None,
    skip_rows: int | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
) -> RawTable:
    """Read a CSV or XLSX table as text cells, detecting encoding, delimiter and metadata lines.

    Cells are kept as strings ("" for empty) so that nothing is silently turned into NaN.
    Fully empty columns (trailing commas) and rows are dropped.
    """
    import pandas as pd

    path = Path(path)
    if not path.exists():
        raise OutcomesError([Problem("outcomes.E010", E010_NOT_FOUND.format(path=path))])
    metadata: dict[str, str] = {}
    if path.suffix.lower() in EXCEL_SUFFIXES:
        grid, skip = _read_excel(path, sheet, skip_rows)
        metadata = _metadata(grid.iloc[:skip].values.tolist())
        body = grid.iloc[skip:]
        if body.empty:
            raise OutcomesError([Problem("outcomes.E012", E012_EMPTY.format(path=path, where=""))])
        frame = pd.DataFrame(body.iloc[1:].values, columns=unique_headers(body.iloc[0].tolist()))
        used_encoding, used_delimiter = None, None
    else:
        used_encoding = detect_encoding(path, encoding)
        try:
            text = path.read_text(encoding=used_encoding)
        except UnicodeDecodeError as exc:
            raise OutcomesError(
                [
                    Problem(
                        "outcomes.E011",
                        E011_UNDECODABLE.format(path=path, encoding=used_encoding, reason=exc.reason),
                    )
                ]
            ) from exc
        used_delimiter = delimiter or sniff_delimiter(text[:SAMPLE_BYTES], OUTCOMES, lines=SNIFF_LINES)
        head = list(csv.reader(io.StringIO(text[:SAMPLE_BYTES]), delimiter=used_delimiter))
        skip = detect_skip_rows(head) if skip_rows is None else skip_rows
        metadata = _metadata(head[:skip])
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                sep=used_delimiter,
                skiprows=skip,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                engine="python",
            )
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise OutcomesError(
                [Problem("outcomes.E013", E013_UNREADABLE.format(path=path, reason=str(exc).strip()))]
            ) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    keep = [
        c
        for c in frame.columns
        if not (c.startswith("Unnamed:") or c == "") or frame[c].astype(str).str.strip().ne("").any()
    ]
    frame = frame[keep].fillna("").astype(str)
    frame = frame.loc[frame.apply(lambda col: col.str.strip().ne("")).any(axis=1)]
    if frame.empty:
        where = f" after skipping {skip} line(s)" if skip else ""
        raise OutcomesError([Problem("outcomes.E012", E012_EMPTY.format(path=path, where=where))])
    return RawTable(frame, str(path), used_encoding, used_delimiter, skip, metadata)


def year_columns(columns: list[str]) -> list[str]:
    """Columns whose name is a year (``2019``, ``2019.0``): the marks of a wide-by-year table."""
    return [c for c in columns if YEAR_COLUMN.match(str(c))]


@validate_params(
    {
        "frame": [DATA_FRAME],
        "value_name": [InstanceOf(str, "a column name")],
    }
)
def wide_years_to_long(frame: pd.DataFrame, *, value_name: str = "value") -> pd.DataFrame:
    """Reshape one-column-per-year to long: the other columns identify rows; adds ``period``.

    The original row index is kept (repeated per year) so messages can still name the file row.
    """
    years = year_columns(list(frame.columns))
    ids = [c for c in frame.columns if c not in years]
    long = frame.melt(
        id_vars=ids, value_vars=years, var_name="period", value_name=value_name, ignore_index=False
    )
    long["period"] = long["period"].map(lambda c: YEAR_COLUMN.match(str(c)).group(1))
    return long
