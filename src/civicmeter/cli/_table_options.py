"""The reading options of an outcome table, declared once for every command that reads one.

``outcomes check`` (read and show) and ``outcomes import`` (read and store) take the same options
with the same meaning: the fields of :class:`~civicmeter.outcomes.ImportSpec`. :class:`TableFlags`
declares their flags and help once and builds the spec; the commands take it as one parameter
(see :mod:`civicmeter.cli._flags`). Only typer is imported, so ``--help`` stays fast.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated

import typer

from ._flags import flags

if TYPE_CHECKING:  # annotations only; the spec is imported when a command runs
    from civicmeter.outcomes import ImportSpec


def parse_map(values: list[str]) -> dict[str, str]:
    """``city=Area,period=Year`` (or repeated ``--map``) -> {role: column}; commas inside a column
    name are kept, since only ``,role=`` starts a new pair."""
    mapping = {}
    for value in values:
        for pair in re.split(r",(?=\s*[a-z_]+=)", value):
            role, sep, column = pair.partition("=")
            if not sep or not role.strip():
                raise typer.BadParameter(f"--map takes ROLE=COLUMN, e.g. city=Area; got {pair!r}")
            mapping[role.strip()] = column.strip()
    return mapping


_INDICATOR = "Catalogue code of the single indicator in the file."
_PERIOD = "Period for all rows when the file has no year column."
_SKIP_ROWS = "Metadata lines above the header (detected when omitted)."


@flags
class TableFlags:
    """How to read the table: the :class:`ImportSpec` fields but ``source`` (an import's own flag)."""

    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="ROLE=COLUMN pairs, e.g. city=Area,period=Year (repeatable)."),
    ] = None
    indicator: Annotated[str | None, typer.Option(help=_INDICATOR)] = None
    value_column: Annotated[str | None, typer.Option(help="Column holding that indicator's values.")] = None
    period: Annotated[str | None, typer.Option(help=_PERIOD)] = None
    country: Annotated[str | None, typer.Option(help="ISO country code for all rows, e.g. US, GB.")] = None
    encoding: Annotated[str | None, typer.Option(help="File encoding (detected when omitted).")] = None
    skip_rows: Annotated[int | None, typer.Option(help=_SKIP_ROWS)] = None
    sheet: Annotated[str | None, typer.Option(help="XLSX sheet name (first sheet when omitted).")] = None

    def spec(self, source: str | None = None) -> ImportSpec:
        """The validated :class:`ImportSpec` (``--map`` parsed; ``source`` from the import's flag)."""
        from civicmeter.outcomes import ImportSpec

        options = {k: v for k, v in vars(self).items() if k != "map_"}
        return ImportSpec(mapping=parse_map(self.map_ or []) or None, source=source, **options)
