"""Problems a KPI values file can have, each ``goals.E0xx`` with its row and column where it has one.

The codes are listed in ``docs/reference/errors.md`` and never reused. A file is refused whole:
every problem is reported at once, so it can be fixed in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from civicmeter.problems import ProblemsError

NOT_A_TABLE = "the file is {kind}, not a CSV or XLSX table; save the values as CSV (UTF-8) or XLSX"
TOO_BIG = "the workbook unpacks to {size} MB, over the {limit} MB limit; save the values as CSV"
NO_HEADER = "the file is empty; the first line names the columns indicator, period and value"
MISSING_COLUMN = "there is no {column!r} column; the columns are indicator, period, value and optionally note"
UNKNOWN_COLUMN = "column {column!r} is not one of {known}; rename or remove it"
NO_ROWS = "the file has a header but no values; add one row per indicator and period"
EMPTY_CELL = "the cell is empty; every row needs an indicator, a period and a value"
UNKNOWN_INDICATOR = "{value!r} is not an indicator of this city's goals; use one of {codes}"
BAD_PERIOD = "{detail}"
NOT_A_NUMBER = "{value!r} is not a number; write digits with a point as decimal mark (e.g. 87.5), no unit"
DUPLICATE = "{indicator} {period} is also on row {first}; keep one row per indicator and period"
LONG_CELL = "the cell has more than {limit} characters; shorten it"


@dataclass(frozen=True)
class ValueProblem:
    code: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        place = f"row {self.row}, column {self.column}: " if self.row is not None else ""
        return f"[{self.code}] {place}{self.message}"


class ValuesFileError(ProblemsError):
    """A KPI values file that cannot be imported as it is; nothing of it is written."""
