"""A published wave as a Frictionless Data Package: ``datapackage.json`` beside its CSV tables.

``write_datapackage(wave, out_dir)`` is what the API's download, the static site
(``civicmeter publish``) and anyone scripting an archive call. The descriptor names each table's
schema (from ``tables``), the licence of the data, its sources and the versions that produced it
(instrument, scoring recipe, Civicmeter code). The tests run ``frictionless validate`` on what this
writes; building needs no more than the standard library, so a download stays fast at 10,000 cities.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from civicmeter.web.explorer import published
from civicmeter.web.programmes.models import Wave

from . import public_rows, tables

LICENSES = {
    "CC-BY-4.0": {
        "name": "CC-BY-4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": "Creative Commons Attribution 4.0",
    },
    "ODC-BY-1.0": {
        "name": "ODC-By-1.0",
        "path": "https://opendatacommons.org/licenses/by/1-0/",
        "title": "Open Data Commons Attribution License 1.0",
    },
    "CC0-1.0": {
        "name": "CC0-1.0",
        "path": "https://creativecommons.org/publicdomain/zero/1.0/",
        "title": "CC0 1.0 Universal (public domain dedication)",
    },
}
GEONAMES = {
    "title": "GeoNames (city names, countries, populations, coordinates)",
    "path": "https://www.geonames.org/",
    "license": "CC-BY-4.0",
}


class NotPublished(LookupError):
    """The wave is not published, so it has no public data to package."""


def _public(wave: Wave) -> published.PublicWave:
    public = published.public_wave(wave)
    if public is None:
        raise NotPublished(
            f"wave {wave.code} of {wave.programme.slug} is not published; publish it first "
            f"(civicmeter wave publish --wave {wave.code})"
        )
    return public


def _schema(table: tables.Table) -> dict:
    return {
        "fields": [{"name": c.name, "type": c.type, "description": c.description} for c in table.columns],
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }


def _provenance(wave: published.PublicWave) -> dict:
    run = public_rows.own_run(wave)
    facts = {
        "programme": wave.programme_slug,
        "wave": wave.code,
        "instrument": {"form_id": wave.instrument.form_id, "version": wave.instrument.version},
    }
    if run is not None:
        facts["scores"] = {
            "recipe": run.recipe,
            "recipe_version": run.recipe_version,
            "interval_method": run.interval_method,
            "code_version": run.code_version,
            "cities_scored": run.scored,
        }
    return facts


def descriptor(wave: published.PublicWave, built: dict[str, tables.Table]) -> dict:
    """The ``datapackage.json`` content for ``wave``'s tables ``built`` (by name)."""
    licence = LICENSES.get(settings.CIVICMETER_DATA_LICENSE)
    if licence is None:
        raise ImproperlyConfigured(
            f"CIVICMETER_DATA_LICENSE={settings.CIVICMETER_DATA_LICENSE!r} is not one of "
            f"{', '.join(LICENSES)}; set one of them (see docs/api.md, licence of published data)"
        )
    synthetic = any(city.synthetic for city in wave.cities.values())
    note = (
        " Some or all answers are SYNTHETIC (generated for the demo, not given by the cities): see the "
        "synthetic column." if synthetic else ""
    )
    when = public_rows.published_at([wave.pk]).get(wave.pk)
    return {
        "name": f"{wave.programme_slug}-{wave.code}".lower().replace("_", "-"),
        "title": f"{wave.programme_name}: wave {wave.code}",
        "description": (
            f"The published data of wave {wave.code} of {wave.programme_name}: cities, index results "
            "with rank intervals, and aggregate answer shares per peer group. Only responses the "
            f"programme validated are included.{note}"
        ),
        "version": f"{wave.code}+{hashlib.sha256(repr(wave.key).encode()).hexdigest()[:12]}",
        "created": when.isoformat() if when else None,
        "licenses": [licence],
        "sources": [
            {"title": f"{wave.programme_name}, wave {wave.code} (Civicmeter)"},
            GEONAMES,
        ],
        "civicmeter": _provenance(wave),
        "resources": [
            {
                "name": table.name,
                "path": f"{table.name}.csv",
                "title": table.title,
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(table),
            }
            for table in built.values()
        ],
    }


def package_files(wave: Wave) -> dict[str, bytes]:
    """``{file name: bytes}``: each table's CSV and ``datapackage.json``."""
    public = _public(wave)
    built = {name: tables.BUILDERS[name](public) for name in tables.TABLES}
    meta = descriptor(public, built)
    if meta["created"] is None:
        del meta["created"]
    files = {f"{name}.csv": tables.to_csv(table) for name, table in built.items()}
    files["datapackage.json"] = json.dumps(meta, indent=2, ensure_ascii=False).encode()
    return files


def write_datapackage(wave: Wave, out_dir: Path) -> Path:
    """Write ``wave``'s Data Package into ``out_dir`` (created if needed); return the descriptor's
    path. Raises ``NotPublished`` for a wave that is not published."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, content in package_files(wave).items():
        (out_dir / name).write_bytes(content)
    return out_dir / "datapackage.json"


def package_zip(wave: Wave) -> bytes:
    """The package as one zip (a folder named like the package), for a single download."""
    files = package_files(wave)
    folder = json.loads(files["datapackage.json"])["name"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"{folder}/{name}", content)
    return out.getvalue()
