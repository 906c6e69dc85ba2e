"""An agenda as a CSV table: written for export, read and checked for import.

Reading reports every bad cell at once, each with its spreadsheet row (the header is row 1) and its
column, so a team fixes a file in one pass; nothing is imported unless every row is good. The file
is read through the shared tabular reader (``civicmeter.tabular_files``): what the file really is,
its encoding (UTF-8 only: an agenda is re-imported, a wrong guess would corrupt names), its
delimiter, over-long cells, and formula cells neutralised on export and restored on import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from civicmeter.tabular_files import (
    ZIP_MAGIC,
    EncodingPolicy,
    NotUtf8Error,
    ReadPolicy,
    choose_encoding,
    file_kind,
    long_cell,
    neutralise,
    restore,
    sniff_delimiter,
)

from .models import Source, Status

COLUMNS = (
    "id",
    "title",
    "owner",
    "owner_email",
    "status",
    "starts_on",
    "due_on",
    "source",
    "source_ref",
    "source_wave",
    "notes",
    "links",
)
#: Fields an import may set (``id`` names the action to change; empty for a new one).
FIELDS = COLUMNS[1:]
AGENDA = ReadPolicy(
    encoding=EncodingPolicy.REFUSE_NON_UTF8, max_unpacked_bytes=20 * 2**20, max_cell_chars=10_000
)
NOT_IN_AGENDA = "no action %(id)d in this city's agenda; leave id empty to add a new action"
MAX_LENGTHS = {"title": 300, "owner": 200, "source_ref": 100, "source_wave": 30}


@dataclass(frozen=True)
class CellProblem:
    """One problem of an agenda file: where (row, column), its code (``agenda.E0xx``) and the fix."""

    row: int
    column: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}, column {self.column}" if self.column else f"row {self.row}"
        return f"[{self.code}] {where}: {self.message}"


class AgendaFileError(ValueError):
    """Every problem of an agenda file; nothing was imported."""

    def __init__(self, problems: list[CellProblem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass(frozen=True)
class AgendaRow:
    """One good row: the action to change (``id``) or None for a new one, and its field values."""

    row: int
    id: int | None
    values: dict = field(default_factory=dict)


def write_csv(actions) -> str:
    """The actions as CSV text (UTF-8 with the columns above); formula-looking cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for a in actions:
        cells = [
            str(a.pk),
            a.title,
            a.owner,
            a.owner_email,
            a.status,
            a.starts_on.isoformat() if a.starts_on else "",
            a.due_on.isoformat() if a.due_on else "",
            a.source,
            a.source_ref,
            a.source_wave,
            a.notes,
            "\n".join(a.link_list),
        ]
        writer.writerow([neutralise(c) for c in cells])
    return out.getvalue()


def _text(data: bytes) -> str:
    if (kind := file_kind(data[:16])) is not None or data.startswith(ZIP_MAGIC):
        kind = kind or "a workbook or zip archive"
        raise AgendaFileError(
            [
                CellProblem(
                    1, "", "agenda.E001", f"the file is {kind}, not a CSV table; save it as CSV (UTF-8)"
                )
            ]
        )
    try:
        return data.decode(choose_encoding(data, AGENDA))
    except NotUtf8Error as exc:
        raise AgendaFileError(
            [
                CellProblem(
                    1,
                    "",
                    "agenda.E002",
                    f"the file is not UTF-8 (it looks like {exc.guess}); save it as CSV UTF-8",
                )
            ]
        ) from exc


def _date(value: str, row: int, column: str, problems: list) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(
            CellProblem(row, column, "agenda.E010", f"{value!r} is not a date; write it as YYYY-MM-DD")
        )
        return None


def _choice(value: str, choices, row: int, column: str, problems: list, default: str) -> str:
    if not value:
        return default
    by_label = {str(label).casefold(): code for code, label in choices.choices}
    code = value if value in choices.values else by_label.get(value.casefold())
    if code is None:
        problems.append(
            CellProblem(row, column, "agenda.E009", f"{value!r} is not one of {', '.join(choices.values)}")
        )
        return default
    return code


def _links(value: str, row: int, problems: list) -> str:
    links = [part for part in value.split() if part]
    check = URLValidator(schemes=["http", "https"])
    for link in links:
        try:
            check(link)
        except ValidationError:
            problems.append(
                CellProblem(
                    row, "links", "agenda.E011", f"{link!r} is not a web address starting with https://"
                )
            )
    return "\n".join(links)


def _row(n: int, cells: dict[str, str], problems: list) -> AgendaRow:
    before = len(problems)
    ident = cells.get("id", "")
    if ident and not ident.isdigit():
        problems.append(
            CellProblem(
                n, "id", "agenda.E006", f"{ident!r} is not an action number; leave it empty for a new action"
            )
        )
    values = {
        key: cells[key]
        for key in ("title", "owner", "owner_email", "notes", "source_ref", "source_wave")
        if key in cells
    }
    if "title" in cells and not cells["title"]:
        problems.append(CellProblem(n, "title", "agenda.E007", "the title is empty; say what will be done"))
    for key, limit in MAX_LENGTHS.items():
        if len(values.get(key, "")) > limit:
            problems.append(CellProblem(n, key, "agenda.E007", f"longer than {limit} characters; shorten it"))
    if values.get("owner_email"):
        try:
            validate_email(values["owner_email"])
        except ValidationError:
            problems.append(
                CellProblem(
                    n, "owner_email", "agenda.E008", f"{values['owner_email']!r} is not an e-mail address"
                )
            )
    if "status" in cells:
        values["status"] = _choice(cells["status"], Status, n, "status", problems, Status.PLANNED)
    if "source" in cells:
        values["source"] = _choice(cells["source"], Source, n, "source", problems, Source.OWN)
    for key in ("starts_on", "due_on"):
        if key in cells:
            values[key] = _date(cells[key], n, key, problems)
    if values.get("starts_on") and values.get("due_on") and values["due_on"] < values["starts_on"]:
        problems.append(CellProblem(n, "due_on", "agenda.E010", "the due date is before the start date"))
    if "links" in cells:
        values["links"] = _links(cells["links"], n, problems)
    if not ident and not cells.get("title") and len(problems) == before:
        problems.append(CellProblem(n, "title", "agenda.E007", "a new action needs a title"))
    return AgendaRow(n, int(ident) if ident.isdigit() else None, values)


def read_csv(data: bytes, known: Collection[int] = ()) -> list[AgendaRow]:
    """The rows of an agenda CSV whose ids are among ``known`` (the city's actions); raises
    :class:`AgendaFileError` listing every bad cell."""
    text = _text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text, AGENDA))
    header = [h.strip().lower() for h in next(reader, [])]
    problems: list[CellProblem] = []
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        problems.append(
            CellProblem(
                1,
                unknown[0],
                "agenda.E003",
                f"unknown column(s) {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}",
            )
        )
    if "title" not in header and "id" not in header:
        problems.append(CellProblem(1, "", "agenda.E004", "the header needs an id or a title column"))
    if len(set(header)) != len(header):
        problems.append(CellProblem(1, "", "agenda.E004", "a column is named twice; keep one"))
    if problems:
        raise AgendaFileError(problems)
    rows, seen = [], {}
    for n, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(header):
            problems.append(
                CellProblem(
                    n, "", "agenda.E005", f"{len(raw)} cells for {len(header)} columns; check the quoting"
                )
            )
            continue
        if (k := long_cell(raw, AGENDA)) is not None:
            problems.append(
                CellProblem(n, header[k], "agenda.E005", f"longer than {AGENDA.max_cell_chars} characters")
            )
            continue
        cells = {h: restore(cell.strip()) for h, cell in zip(header, raw, strict=True)}
        row = _row(n, cells, problems)
        if row.id is not None and row.id not in known:
            problems.append(CellProblem(n, "id", "agenda.E006", NOT_IN_AGENDA % {"id": row.id}))
        if row.id is not None:
            if row.id in seen:
                problems.append(
                    CellProblem(
                        n, "id", "agenda.E006", f"action {row.id} is also on row {seen[row.id]}; keep one row"
                    )
                )
            seen.setdefault(row.id, n)
        rows.append(row)
    if problems:
        raise AgendaFileError(problems)
    return rows
