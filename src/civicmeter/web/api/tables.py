"""The tables of a published wave as files: cities, results and answer shares, in CSV and XLSX.

Each table's columns (name, type, meaning) are the API serializer's fields for the same rows, and it
is filled from ``public_rows``;
the API downloads, the Data Package (``datapackage.py``) and the static site write the same files.
Text cells a spreadsheet would run as formulas are neutralised (``tabular_files.neutralise``, a
leading ``'``), as in every Civicmeter export.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from rest_framework.fields import BooleanField, CharField, FloatField, IntegerField
from rest_framework.serializers import Serializer

from civicmeter.tabular_files import neutralise
from civicmeter.web.explorer.published import PublicWave

from . import public_rows, serializers

TABLES = ("cities", "results", "shares")
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    """One column: its name, Table Schema type (string, integer, number, boolean) and meaning."""

    name: str
    type: str
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: list[dict]
    primary_key: tuple[str, ...]

    def values(self) -> list[list]:
        return [[row.get(c.name) for c in self.columns] for row in self.rows]


#: Table Schema types of the serializer fields a table holds.
TYPES = (
    (BooleanField, "boolean"),
    (IntegerField, "integer"),
    (FloatField, "number"),
    (CharField, "string"),
)


def columns_of(serializer: type[Serializer]) -> tuple[Column, ...]:
    """A table's columns are the API's fields for the same rows (name, type, help text), so a file
    and the API describe each field alike; left out are the programme and wave (a file is of one
    wave) and what does not fit a flat table (a city's profile, the components, spread apart)."""
    found = []
    for name, field in serializer().fields.items():
        kind = next((t for cls, t in TYPES if isinstance(field, cls)), None)
        if kind is not None and name not in ("programme", "wave"):
            found.append(Column(name, kind, str(field.help_text)))
    return tuple(found)


CITY_COLUMNS = columns_of(serializers.CitySerializer)
RESULT_COLUMNS = columns_of(serializers.ResultSerializer)
SHARE_COLUMNS = columns_of(serializers.ShareSerializer)


def _component_columns(rows: list[dict]) -> tuple[Column, ...]:
    if not rows:
        return ()
    return tuple(
        Column(f"component_{c['code']}", "number", f"Points in {c['code']}: {c['name']} (of {c['max']:g})")
        for c in rows[0]["components"]
    )


def cities_table(wave: PublicWave) -> Table:
    return Table(
        "cities",
        "Cities",
        f"Cities with a public (validated) response in wave {wave.code}, with their directory facts",
        CITY_COLUMNS,
        sorted(public_rows.city_rows(wave), key=lambda r: r["city"]),
        ("city",),
    )


def results_table(wave: PublicWave) -> Table:
    rows = list(public_rows.result_rows(wave))
    flat = [{**row, **{f"component_{c['code']}": c["points"] for c in row["components"]}} for row in rows]
    return Table(
        "results",
        "Results",
        f"Index scores of wave {wave.code} with their components and rank intervals",
        RESULT_COLUMNS + _component_columns(rows),
        flat,
        ("city", "index"),
    )


def shares_table(wave: PublicWave) -> Table:
    rows = [
        row
        for group in public_rows.peer_groups(wave).values()
        for row in public_rows.share_rows(wave, group)
    ]
    return Table(
        "shares",
        "Answer shares",
        f"How many public cities of each peer group gave each closed answer in wave {wave.code}",
        SHARE_COLUMNS,
        rows,
        ("peer_group", "question", "option"),
    )


BUILDERS = {"cities": cities_table, "results": results_table, "shares": shares_table}


def _cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralise(value)
    return "" if value is None else value


def to_csv(table: Table) -> bytes:
    """UTF-8 CSV with a header row; booleans as true/false, missing values empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in table.columns])
    writer.writerows([[_cell(v) for v in row] for row in table.values()])
    return out.getvalue().encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    """One sheet named like the table, a header row, values typed as in the CSV's schema."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.name)
    sheet.append([c.name for c in table.columns])
    for row in table.values():
        sheet.append([neutralise(v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WRITERS = {"csv": to_csv, "xlsx": to_xlsx}
