"""The tables of a published wave as files: cities, results and answer shares, in CSV and XLSX.

Each table is declared once (its columns with type and meaning) and filled from ``public_rows``;
the API downloads, the Data Package (``datapackage.py``) and the static site write the same files.
Text cells a spreadsheet would run as formulas are neutralised (``tabular_files.neutralise``, a
leading ``'``), as in every Civicmeter export.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from civicmeter.tabular_files import neutralise
from civicmeter.web.explorer.published import PublicWave

from . import public_rows

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


CITY = (
    Column("city", "string", "City slug: name and ISO 3166-1 alpha-2 country code"),
    Column("name", "string", "City name"),
    Column("country", "string", "ISO 3166-1 alpha-2 country code"),
    Column("continent", "string", "Continent code (AF, AS, EU, NA, OC, SA)"),
    Column("synthetic", "boolean", "True for a demo city whose answers are generated, not real"),
)
CITY_COLUMNS = (
    *CITY,
    Column("region", "string", "State, province or region"),
    Column("population", "integer", "Residents (GeoNames or the programme's figure)"),
    Column("population_year", "integer", "Year of the population figure"),
    Column("latitude", "number", "Latitude, WGS84 degrees"),
    Column("longitude", "number", "Longitude, WGS84 degrees"),
)
RESULT_COLUMNS = (
    *CITY,
    Column("index", "string", "The index: psi-capacity (0-10) or data-use"),
    Column("recipe_version", "string", "Version of the scoring recipe"),
    Column("score", "number", "The city's index score"),
    Column("share", "number", "The score as a share of its maximum (0-1)"),
    Column("score_class", "string", "Score class of the recipe (e.g. low, medium, high)"),
    Column("tier", "string", "Data-use tier, where the recipe defines tiers"),
    Column("rank", "integer", "Rank by score (1 = highest)"),
    Column("rank_p5", "number", "5th percentile of the rank under the recipe's uncertainty analysis"),
    Column("rank_median", "number", "Median rank under the uncertainty analysis"),
    Column("rank_p95", "number", "95th percentile of the rank under the uncertainty analysis"),
)
SHARE_COLUMNS = (
    Column("peer_group", "string", "all, continent:<code> or population_band:<low>-<high>"),
    Column("peer_group_size", "integer", "Public cities in the peer group"),
    Column("question", "string", "Question name in the instrument"),
    Column("label", "string", "The question's English wording"),
    Column("type", "string", "Question type (select_one, select_multiple)"),
    Column("option", "string", "Answer option name"),
    Column("count", "integer", "Cities of the group that chose the option"),
    Column("valid", "integer", "Cities of the group with a usable answer to the question"),
    Column("excluded", "integer", "Cities of the group without one"),
    Column("share", "number", "count / valid (empty when no city of the group answered)"),
)


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
