"""Errors a user can cause with an instrument workbook or an answers file.

Every problem carries a stable code (``instrument.E0xx`` for workbooks, ``import.E0xx`` for tabular
answers, all listed in ``docs/reference/errors.md``) and the place it was found, so the CLI and the
web can show the same message and tests can assert it exactly. A file is checked completely before
anything is raised: one error holds every problem found, not just the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem at one place: ``sheet``/``row``/``column`` for workbooks, ``row``/``column``
    for CSV rows (``row`` is the 1-based line or spreadsheet row a person sees)."""

    code: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def place(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        place = self.place()
        return (
            f"[{self.code}] {place}: {self.message}" if place else f"[{self.code}] {self.message}"
        )


class _ProblemsError(ValueError):
    """Base for errors that hold every problem found in one file."""

    what = "file"

    def __init__(self, problems: Sequence[Problem], *, source: str | None = None, more: int = 0):
        self.problems = tuple(problems)
        self.source = source
        self.more = more
        head = f"{source}: " if source else ""
        count = len(self.problems) + more
        lines = [f"{head}{count} problem{'s' if count != 1 else ''} in the {self.what}"]
        lines += [f"  {p}" for p in self.problems]
        if more:
            lines.append(f"  ... and {more:,} more not listed: correct these and check the file again")
        super().__init__("\n".join(lines))

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


#: How many problems one file reports; a broken file of a million rows would otherwise report (and
#: store) a million. The rest are counted, not kept.
MAX_PROBLEMS = 200


class ProblemList(list):
    """A list of problems that keeps the first :data:`MAX_PROBLEMS` and counts the rest in ``more``."""

    def __init__(self, problems=(), *, limit: int = MAX_PROBLEMS):
        super().__init__()
        self.limit = limit
        self.more = 0
        self.extend(problems)

    def append(self, problem: Problem) -> None:
        if len(self) < self.limit:
            super().append(problem)
        else:
            self.more += 1

    def extend(self, problems) -> None:
        for problem in problems:
            self.append(problem)
        self.more += getattr(problems, "more", 0)

    def __iadd__(self, problems):
        self.extend(problems)
        return self


class InstrumentError(_ProblemsError):
    """The workbook is not a valid instrument in the supported XLSForm subset."""

    what = "instrument workbook"


class ResponsesImportError(_ProblemsError):
    """An answers table (CSV/XLSX) cannot be read at all (encoding, header, format)."""

    what = "answers file"
