"""The one reader of uploaded tables (CSV and XLSX): what a file really is, its encoding, its delimiter.

Answer imports and outcome tables both receive files saved by spreadsheet programs, statistics
offices and survey tools, and must refuse the same bad files (an image renamed .xlsx, a ZIP bomb,
an old .xls) in the same way. This module holds the decisions; each caller keeps its own error
codes and wording, and states where it differs in a :class:`ReadPolicy` (refuse or detect a
non-UTF-8 encoding, the unpacked-size and cell-length limits, the delimiters it accepts) instead
of carrying a second implementation. Writing neutralises cells a spreadsheet would run as formulas
(OWASP CSV injection); :func:`restore` undoes it on reading.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class EncodingPolicy(Enum):
    """What to do with a text file that is not UTF-8 (nor UTF-16/32 with a byte-order mark)."""

    #: Refuse it, naming the likely encoding: answers are re-imported, a wrong guess corrupts them.
    REFUSE_NON_UTF8 = "refuse"
    #: Choose the likeliest Western or Central European code page: published tables come as they are.
    DETECT = "detect"


@dataclass(frozen=True)
class ReadPolicy:
    """Where one kind of import differs from another; everything else is shared."""

    encoding: EncodingPolicy
    #: Largest total unpacked size of a workbook's parts, checked from the zip directory alone.
    max_unpacked_bytes: int
    #: Longest cell in characters, or ``None`` when the caller does not limit cells.
    max_cell_chars: int | None
    #: Candidate delimiters, the preferred one (``,``) on a tie.
    delimiters: str = ",;\t"
    #: Code pages a non-UTF-8 file may be in, or ``None`` for any (for naming it in a message).
    code_pages: tuple[str, ...] | None = None


class NotUtf8Error(ValueError):
    """A file refused under :attr:`EncodingPolicy.REFUSE_NON_UTF8`; ``guess`` names its likely encoding."""

    def __init__(self, guess: str) -> None:
        super().__init__(guess)
        self.guess = guess


# --- what is this file really -------------------------------------------------------------------

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: What an old binary Excel workbook (.xls, an OLE2 container) is called in messages.
OLD_EXCEL = "an old-format Excel workbook (.xls)"
#: File signatures that are certainly not tables (first bytes -> what the file is).
SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: the UTF-32 LE mark starts with UTF-16 LE's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def file_kind(head: bytes) -> str | None:
    """What a file is when its first bytes say it is no text table: an image, a PDF, an old .xls..."""
    if head.startswith(OLE2_MAGIC[:4]):
        return OLD_EXCEL
    return next((what for magic, what in SIGNATURES if head.startswith(magic)), None)


def is_binary(data: bytes) -> bool:
    """NUL bytes early in a file that is neither a workbook nor UTF-16/32 text: no table at all."""
    return b"\x00" in data[:4096] and not data.startswith(ZIP_MAGIC) and bom_encoding(data) is None


def looks_like_text(head: bytes) -> bool:
    """A byte-order mark, or bytes that start valid UTF-8."""
    return bom_encoding(head) is not None or decodes_as_utf8(head, complete=False)


@dataclass(frozen=True)
class ArchiveFacts:
    """What the zip directory of a would-be workbook says, read without inflating anything."""

    names: frozenset[str]
    unpacked: int

    @property
    def has_workbook(self) -> bool:
        return "xl/workbook.xml" in self.names

    @property
    def has_content_types(self) -> bool:
        return "[Content_Types].xml" in self.names

    def too_big(self, policy: ReadPolicy) -> bool:
        """Over the policy's unpacked-size limit (a zip bomb or a bloated workbook)."""
        return self.unpacked > policy.max_unpacked_bytes


def archive_facts(source: bytes | Path) -> ArchiveFacts:
    """The names and total unpacked size of a ZIP; raises :class:`zipfile.BadZipFile` if it is none.

    The directory states each part's size and :mod:`zipfile` refuses a part that inflates past it,
    so checking the sum is instant and safe against archives that lie.
    """
    opened = io.BytesIO(source) if isinstance(source, bytes) else source
    with zipfile.ZipFile(opened) as archive:
        parts = archive.infolist()
    return ArchiveFacts(frozenset(p.filename for p in parts), sum(p.file_size for p in parts))


# --- encodings ----------------------------------------------------------------------------------

#: How close (in charset-normalizer's "chaos") cp1252 must be to the best guess to be named: on a
#: short file several single-byte code pages look equally plausible, and Windows Excel in English,
#: Spanish and French saves cp1252.
_CP1252_MARGIN = 0.1


def bom_encoding(sample: bytes) -> str | None:
    """The encoding a byte-order mark states (``utf-8-sig``, ``utf-16``, ``utf-32``), if any."""
    return next((name for bom, name in _BOMS if sample.startswith(bom)), None)


def decodes_as_utf8(sample: bytes, *, complete: bool) -> bool:
    """Valid UTF-8; an incomplete ``sample`` may end inside a character."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def guess_code_page(sample: bytes, policy: ReadPolicy) -> str | None:
    """The likeliest single-byte encoding of non-UTF-8 bytes, cp1252 when it is about as likely.

    With ``policy.code_pages`` the choice is among those (ties go to the earlier one); without,
    among everything charset-normalizer knows, so a message can name a Greek or Cyrillic code page.
    """
    from charset_normalizer import from_bytes  # imported when a file is not UTF-8

    pages = policy.code_pages
    matches = list(from_bytes(sample, cp_isolation=list(pages) if pages else None))
    if not matches:
        return None
    best = min(m.chaos for m in matches)
    margin = 0.0 if pages else _CP1252_MARGIN
    plausible = [m for m in matches if m.chaos <= best + margin]
    if any("cp1252" in m.could_be_from_charset for m in plausible):
        return "cp1252"
    order = [codecs.lookup(p).name for p in pages or ()]

    def rank(match) -> tuple[float, int]:
        name = codecs.lookup(match.encoding).name
        return match.chaos, order.index(name) if name in order else len(order)

    return codecs.lookup(min(plausible, key=rank).encoding).name


def choose_encoding(sample: bytes, policy: ReadPolicy, *, complete: bool = True) -> str:
    """The encoding to decode a text file with: its byte-order mark, UTF-8, then the policy.

    UTF-8 is tried before any guess because it almost never decodes text written in another
    encoding by accident. Under :attr:`EncodingPolicy.REFUSE_NON_UTF8` a non-UTF-8 file raises
    :class:`NotUtf8Error`; under :attr:`EncodingPolicy.DETECT` the likeliest code page is returned
    (cp1252 when nothing fits).
    """
    bom = bom_encoding(sample)
    if bom is not None:
        return bom
    if decodes_as_utf8(sample, complete=complete):
        return "utf-8"
    guess = guess_code_page(sample, policy)
    if policy.encoding is EncodingPolicy.REFUSE_NON_UTF8:
        raise NotUtf8Error(guess or "an unknown encoding")
    return guess or "cp1252"


# --- delimiters, cells and workbooks ------------------------------------------------------------


def sniff_delimiter(text: str, policy: ReadPolicy, *, lines: int = 1) -> str:
    """The delimiter of a CSV text: the candidate the median line holds most often outside quotes.

    Give ``lines=1`` when the first line is known to be the header; more lines make the median
    robust to metadata lines above the header and to free text in a notes column. ``,`` wins ties.
    """
    sample = [line for line in text.splitlines()[:lines] if line.strip()]
    if not sample:
        return ","
    counts = {d: sorted(_count_outside_quotes(line, d) for line in sample) for d in policy.delimiters}
    middle = len(sample) // 2
    return max(policy.delimiters, key=lambda d: (counts[d][middle], d == ","))


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def long_cell(values: Sequence, policy: ReadPolicy) -> int | None:
    """The 0-based position of the first text cell longer than the policy allows, if any."""
    limit = policy.max_cell_chars
    if limit is None:
        return None
    return next((i for i, v in enumerate(values) if isinstance(v, str) and len(v) > limit), None)


def load_workbook(source: io.BytesIO, **options: object):
    """openpyxl's ``load_workbook``, imported on first use: 0.4 s that reading a CSV never pays."""
    from openpyxl import load_workbook as load

    return load(source, **options)


class SheetNotFound(KeyError):
    """The workbook has no sheet of that name or position; ``sheets`` lists the names it has."""

    def __init__(self, sheet: str | int, sheets: Sequence[str]):
        super().__init__(sheet)
        self.sheet = sheet
        self.sheets = tuple(sheets)


def workbook_rows(data: bytes, sheet: str | int | None = None) -> Iterator[tuple]:
    """The rows of values of ``sheet`` (a name, or a position from 0; the first sheet when None),
    streamed (read-only mode) so a caller can stop early.

    The stored sheet size is not trusted (a file may claim a million rows it does not have).
    """
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        chosen = _sheet(book, sheet)
        chosen.reset_dimensions()
        yield from chosen.iter_rows(values_only=True)
    finally:
        book.close()


def _sheet(book, sheet: str | int | None):
    if sheet is None:
        return book.worksheets[0]
    if isinstance(sheet, int) and 0 <= sheet < len(book.worksheets):
        return book.worksheets[sheet]
    if isinstance(sheet, str) and sheet in book.sheetnames:
        return book[sheet]
    raise SheetNotFound(sheet, book.sheetnames)


def cell_text(value: object) -> str:
    """A cell's value as the text a person sees: "" for empty, ``12`` (not ``12.0``) for a whole
    number, ``str()`` otherwise (dates as ``2023-01-31 00:00:00``, as pandas writes them)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- formulas -----------------------------------------------------------------------------------

#: Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = "=+-@\t\r"
_NEUTRALISED = re.compile(rf"^'*[{re.escape(FORMULA_TRIGGERS)}]")
PLAIN_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")


def neutralise(value: str) -> str:
    """Prefix a formula-looking cell with ``'``; plain numbers such as ``-5`` are left alone.

    Values that already start with apostrophes before a trigger get one more, so
    :func:`restore` is an exact inverse.
    """
    if PLAIN_NUMBER.fullmatch(value) or not _NEUTRALISED.match(value):
        return value
    return "'" + value


def restore(value: str) -> str:
    """Undo :func:`neutralise`."""
    if value.startswith("'") and _NEUTRALISED.match(value) and not PLAIN_NUMBER.fullmatch(value):
        return value[1:]
    return value
