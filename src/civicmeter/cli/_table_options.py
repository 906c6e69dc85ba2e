"""The reading options of an outcome table, declared once for every command that reads one.

``outcomes check`` (read and show) and ``outcomes import`` (read and store) take the same options
with the same meaning: the fields of :class:`~civicmeter.outcomes.ImportSpec`. Declaring them here
keeps their flags and help texts from drifting apart. Only typer is imported, so ``--help`` stays fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

Indicator = Annotated[str | None, typer.Option(help="Catalogue code of the single indicator in the file.")]
ValueColumn = Annotated[str | None, typer.Option(help="Column holding that indicator's values.")]
Period = Annotated[str | None, typer.Option(help="Period for all rows when the file has no year column.")]
Country = Annotated[str | None, typer.Option(help="ISO country code for all rows, e.g. US, GB.")]
Encoding = Annotated[str | None, typer.Option(help="File encoding (detected when omitted).")]
SkipRows = Annotated[
    int | None, typer.Option(help="Metadata lines above the header (detected when omitted).")
]
Sheet = Annotated[str | None, typer.Option(help="XLSX sheet name (first sheet when omitted).")]
