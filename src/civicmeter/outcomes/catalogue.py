"""The outcome catalogue: which well-being indicators exist, what they mean, how they are rescaled.

Methodology is data (design.md), so indicators live in YAML under ``content/outcomes/`` and are
validated when loaded. A programme may add its own catalogue files; they merge with the default one
and a code (or alias) defined twice is rejected, because two meanings for one code would silently
mix different measures in one comparison.

Dimensions are the eleven of the OECD framework for measuring well-being in regions and cities
(OECD 2014, *How's Life in Your Region?*, and the 2021 OECD study of city innovation capacity).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from civicmeter.outcomes.errors import Problem, raise_if_any
from civicmeter.params import InstanceOf, validate_params


class Dimension(StrEnum):
    """The eleven OECD well-being dimensions an indicator belongs to."""

    INCOME = "income"
    JOBS = "jobs"
    HOUSING = "housing"
    HEALTH = "health"
    EDUCATION = "education"
    ENVIRONMENT = "environment"
    SAFETY = "safety"
    CIVIC_ENGAGEMENT = "civic_engagement"
    ACCESS_TO_SERVICES = "access_to_services"
    COMMUNITY = "community"
    LIFE_SATISFACTION = "life_satisfaction"


class RescaleRule(StrEnum):
    """How raw values become 0-100 index points (see :mod:`civicmeter.outcomes.rescale`)."""

    SHARE = "share"  # already a 0-1 share or a 0-100 percentage
    MINMAX = "minmax"  # min-max across the cities in scope


#: Units a ``share`` indicator may carry, with the factor that turns them into percentage points.
SHARE_UNITS: dict[str, float] = {"share": 100.0, "percent": 1.0}

REQUIRED_FIELDS = ("code", "name", "dimension", "unit", "direction", "source", "rescale")
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

E001_UNREADABLE = "{path}: cannot read the catalogue ({reason}). Fix the YAML syntax or the path."
E002_SHAPE = (
    "{path}: the catalogue must be a mapping with a list under 'indicators'. "
    "Start the file with 'indicators:' followed by '- code: ...' entries."
)
E003_MISSING = "{path}, indicator #{index} ({code}): missing field '{field}'. Add it to the entry."
E004_BAD_VALUE = "{path}, indicator {code}: '{field}' is {value!r}; it must be {allowed}."
E005_DUPLICATE = (
    "{path}, indicator {code}: the name {name!r} is already defined in {other}. "
    "Give the new indicator its own code (codes and aliases must be unique across catalogues)."
)


@dataclass(frozen=True)
class Indicator:
    """One outcome measure: its meaning, unit, direction and rescaling rule."""

    code: str
    name: str
    dimension: Dimension
    unit: str
    direction: int
    source: str
    rescale: RescaleRule
    description: str = ""
    aliases: tuple[str, ...] = ()
    origin: str = ""

    @property
    def higher_is_better(self) -> bool:
        return self.direction == 1


def _key(name: str) -> str:
    """Normalise a code or alias for lookup: case, spacing and punctuation do not matter."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


@dataclass
class Catalogue:
    """Indicators by code, with lookup by code or alias (as written in source files)."""

    indicators: dict[str, Indicator] = field(default_factory=dict)
    _lookup: dict[str, str] = field(default_factory=dict, repr=False)

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators.values())

    def __len__(self) -> int:
        return len(self.indicators)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.resolve(code) is not None

    def __getitem__(self, code: str) -> Indicator:
        resolved = self.resolve(code)
        if resolved is None:
            raise KeyError(code)
        return self.indicators[resolved]

    def resolve(self, name: str) -> str | None:
        """The catalogue code for ``name`` (a code or an alias), or None when unknown."""
        return self._lookup.get(_key(name))

    def codes(self) -> list[str]:
        return sorted(self.indicators)


def _entry_problems(entry: Any, index: int, path: str) -> list[Problem]:
    if not isinstance(entry, Mapping):
        return [Problem("outcomes.E003", E003_MISSING.format(path=path, index=index, code="?", field="code"))]
    code = entry.get("code", "?")
    problems = [
        Problem("outcomes.E003", E003_MISSING.format(path=path, index=index, code=code, field=name))
        for name in REQUIRED_FIELDS
        if entry.get(name) in (None, "")
    ]
    if problems:
        return problems
    checks = [
        ("code", CODE_PATTERN.match(str(code)) is not None, "lower-case letters, digits and _"),
        (
            "dimension",
            entry["dimension"] in {d.value for d in Dimension},
            "one of " + ", ".join(d.value for d in Dimension),
        ),
        (
            "direction",
            entry["direction"] in (1, -1) and not isinstance(entry["direction"], bool),
            "1 (higher is better) or -1 (lower is better)",
        ),
        ("rescale", entry["rescale"] in {r.value for r in RescaleRule}, "'share' or 'minmax'"),
        ("aliases", isinstance(entry.get("aliases", []), list), "a list of names"),
    ]
    for name, ok, allowed in checks:
        if not ok:
            problems.append(
                Problem(
                    "outcomes.E004",
                    E004_BAD_VALUE.format(
                        path=path, code=code, field=name, value=entry.get(name), allowed=allowed
                    ),
                )
            )
    if not problems and entry["rescale"] == "share" and entry["unit"] not in SHARE_UNITS:
        problems.append(
            Problem(
                "outcomes.E004",
                E004_BAD_VALUE.format(
                    path=path,
                    code=code,
                    field="unit",
                    value=entry["unit"],
                    allowed="'share' (0-1) or 'percent' (0-100) for a 'share' indicator",
                ),
            )
        )
    return problems


def _read_entries(path: Path | str, text: str) -> tuple[list[Any], list[Problem]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return [], [Problem("outcomes.E001", E001_UNREADABLE.format(path=path, reason=exc))]
    if not isinstance(data, Mapping) or not isinstance(data.get("indicators"), list):
        return [], [Problem("outcomes.E002", E002_SHAPE.format(path=path))]
    return data["indicators"], []


#: The catalogue shipped with Civicmeter; programme catalogues are merged on top of it.
DEFAULT_CATALOGUE = Path(__file__).resolve().parent.parent / "content" / "outcomes" / "catalogue.yaml"


def _default_text() -> tuple[str, str]:
    return "civicmeter/content/outcomes/catalogue.yaml", DEFAULT_CATALOGUE.read_text(encoding="utf-8")


@validate_params(
    {
        "paths": [InstanceOf((list, tuple), "a list of catalogue file paths")],
        "include_default": [InstanceOf(bool, "a bool")],
    }
)
def load_catalogue(paths: list[str | Path] | tuple = (), *, include_default: bool = True) -> Catalogue:
    """Load the default catalogue plus any programme catalogues, validating every entry.

    All problems in all files are reported together (:class:`OutcomesError`), so one run lists
    everything a catalogue author has to fix.
    """
    sources: list[tuple[str, str]] = [_default_text()] if include_default else []
    problems: list[Problem] = []
    for path in paths:
        try:
            sources.append((str(path), Path(path).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem("outcomes.E001", E001_UNREADABLE.format(path=path, reason=exc)))
    catalogue = Catalogue()
    owner: dict[str, str] = {}
    for origin, text in sources:
        entries, read_problems = _read_entries(origin, text)
        problems += read_problems
        for index, entry in enumerate(entries, start=1):
            entry_problems = _entry_problems(entry, index, origin)
            problems += entry_problems
            if entry_problems:
                continue
            indicator = Indicator(
                code=entry["code"],
                name=str(entry["name"]),
                dimension=Dimension(entry["dimension"]),
                unit=str(entry["unit"]),
                direction=int(entry["direction"]),
                source=str(entry["source"]),
                rescale=RescaleRule(entry["rescale"]),
                description=str(entry.get("description", "")),
                aliases=tuple(str(a) for a in entry.get("aliases", [])),
                origin=origin,
            )
            names = [indicator.code, *indicator.aliases]
            clashes = [n for n in names if _key(n) in owner]
            for name in clashes:
                problems.append(
                    Problem(
                        "outcomes.E005",
                        E005_DUPLICATE.format(
                            path=origin, code=indicator.code, name=name, other=owner[_key(name)]
                        ),
                    )
                )
            if clashes:
                continue
            catalogue.indicators[indicator.code] = indicator
            for name in names:
                owner[_key(name)] = origin
                catalogue._lookup[_key(name)] = indicator.code
    raise_if_any(problems)
    return catalogue
