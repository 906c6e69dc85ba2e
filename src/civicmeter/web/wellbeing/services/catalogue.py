"""The outcome catalogue in the database: the shipped YAML synced in, plus programmes' own entries.

The domain package validates catalogues as YAML files (``civicmeter.outcomes.load_catalogue``), so a
programme's stored entries are written back to a YAML file when a ``Catalogue`` is needed: one
validation path for shipped, uploaded and stored indicators.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml

from civicmeter.outcomes import Catalogue, Indicator, load_catalogue
from civicmeter.web.programmes.models import Programme

from ..models import OutcomeIndicator

FIELDS = ("name", "dimension", "unit", "direction", "source", "rescale", "description")


def row_values(indicator: Indicator) -> dict:
    """The stored fields of ``indicator`` but its code (and programme): what a sync compares."""
    return {
        "name": indicator.name,
        "dimension": indicator.dimension.value,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "source": indicator.source,
        "rescale": indicator.rescale.value,
        "description": indicator.description,
        "aliases": list(indicator.aliases),
    }


def catalogue_sync() -> None:
    """Make the stored shipped entries equal to the shipped YAML (run before every use)."""
    stored = {i.code: i for i in OutcomeIndicator.objects.filter(programme=None)}
    for indicator in load_catalogue():
        values = row_values(indicator)
        row = stored.get(indicator.code)
        if row is None:
            OutcomeIndicator.objects.create(code=indicator.code, **values)
        elif any(getattr(row, k) != v for k, v in values.items()):
            OutcomeIndicator.objects.filter(pk=row.pk).update(**values)


def programme_yaml(programme: Programme) -> str:
    """The programme's own indicators in the catalogue file layout."""
    entries = [
        {"code": row.code, **{k: getattr(row, k) for k in FIELDS}, "aliases": row.aliases}
        for row in OutcomeIndicator.objects.filter(programme=programme)
    ]
    return yaml.safe_dump({"indicators": entries}, allow_unicode=True, sort_keys=False)


def load_with(extra_yaml: list[tuple[str, str]]) -> Catalogue:
    """The shipped catalogue merged with catalogue texts ``[(file name, YAML text)]``."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, text in extra_yaml:
            path = Path(tmp) / Path(name).name
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        return load_catalogue(paths)


def catalogue_for(programme: Programme) -> Catalogue:
    """The shipped catalogue plus ``programme``'s own indicators."""
    if not OutcomeIndicator.objects.filter(programme=programme).exists():
        return load_catalogue()
    return load_with([(f"{programme.slug}-indicators.yaml", programme_yaml(programme))])
