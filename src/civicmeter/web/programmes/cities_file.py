"""Read a cities file (CSV or XLSX, one row per city) into ``CityRecord`` for ``cities_import``.

Reading only: the service writes. Every bad cell is reported at once, with its row and the fix.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from civicmeter.instruments import files

from .services import CityRecord

REQUIRED = ("name", "country")
OPTIONAL = ("slug", "region", "population", "population_year", "latitude", "longitude", "mayor")
MISSING_COLUMNS = gettext_lazy(
    "[city.E001] %(file)s has no %(columns)s column; a cities file has the columns name and country "
    "(ISO code, e.g. US), and may have slug, region, population, population_year, latitude, "
    "longitude and mayor."
)
BAD_CELL = gettext_lazy("[city.E002] Row %(row)s, column %(column)s: %(problem)s")
NOT_A_COUNTRY = gettext_lazy("%(value)r is not a two-letter ISO country code (e.g. US, ES)")
NOT_A_NUMBER = gettext_lazy("%(value)r is not a number")
EMPTY = gettext_lazy("the cell is empty; every city needs a name and a country")
DUPLICATE = gettext_lazy("the city %(slug)s is also on row %(first)s; keep one row per city")

_NUMBERS = {"population": int, "population_year": int, "latitude": float, "longitude": float}


def _number(kind, value: str):
    text = value.strip().replace(",", "") if kind is int else value.strip()
    return kind(float(text)) if kind is int else kind(text)


def read_cities(filename: str, content: bytes) -> list[CityRecord]:
    """The cities of a file; a missing slug is made from the name and the country (``bilbao-es``)."""
    frame = files.read_table(content, name=filename)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValidationError(
            MISSING_COLUMNS % {"file": filename, "columns": " or ".join(missing)}, code="city.E001"
        )
    problems, cities, seen = [], [], {}
    for number, row in enumerate(frame.to_dict("records"), start=2):
        row = {k: str(v).strip() for k, v in row.items() if k in REQUIRED + OPTIONAL}
        bad = [(c, EMPTY) for c in REQUIRED if not row.get(c)]
        country = row.get("country", "").upper()
        if country and (len(country) != 2 or not country.isalpha()):
            bad.append(("country", NOT_A_COUNTRY % {"value": row["country"]}))
        values = {}
        for column, kind in _NUMBERS.items():
            if row.get(column):
                try:
                    values[column] = _number(kind, row[column])
                except ValueError:
                    bad.append((column, NOT_A_NUMBER % {"value": row[column]}))
        slug = row.get("slug") or slugify(f"{row.get('name', '')}-{country}")
        if not bad and slug in seen:
            bad.append(("slug", DUPLICATE % {"slug": slug, "first": seen[slug]}))
        problems += [BAD_CELL % {"row": number, "column": c, "problem": p} for c, p in bad]
        if bad:
            continue
        seen[slug] = number
        cities.append(
            CityRecord(
                slug=slug,
                name=row["name"],
                country=country,
                region=row.get("region", ""),
                mayor=row.get("mayor", ""),
                **values,
            )
        )
    if problems:
        raise ValidationError(problems, code="city.E002")
    return cities
