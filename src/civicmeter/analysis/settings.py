"""``ComparisonSettings``: every choice a capacity-outcome analysis makes, in one validated object.

Built once (from CLI options, a web form or a stored run's parameters), validated once when it is
made, and handed whole to :func:`~civicmeter.analysis.analyze`, :func:`compare_groups` and
:func:`adjusted_difference`; no layer restates the list. Adding an option is one field and its
constraint here, plus its flag or form field. Like scikit-learn's estimators, the object only
stores what it was given; unlike them it checks at once, so a bad value never reaches a run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from civicmeter.analysis.multiplicity import CORRECTIONS
from civicmeter.params import NONE, InstanceOf, Interval, Options, ParameterError, check_fields

METHODS = ("auto", "welch", "bootstrap")
BOOTSTRAP_METHODS = ("BCa", "percentile", "basic")
CAPACITY_MEASURES = ("class", "index")
ECONOMY_OPTIONS = ("auto", "gdp_per_capita", "median_income")
FIXED_EFFECTS = ("country", "region")
DEFAULT_SEED = 20210101

_CODES = InstanceOf(tuple, "a list of codes")

#: The constraints of every field, declared once (the meta-test and the error messages read them).
CONSTRAINTS = {
    "alpha": [Interval(float, 0, 0.5, closed="neither")],
    "method": [Options(METHODS)],
    "bootstrap_method": [Options(BOOTSTRAP_METHODS)],
    "n_resamples": [Interval(int, 99, None)],
    "seed": [Interval(int, 0, None)],
    "small_group": [Interval(int, 2, None)],
    "min_group_size": [Interval(int, 2, None)],
    "correction": [Options(CORRECTIONS)],
    "capacity_measure": [Options(CAPACITY_MEASURES)],
    "economy": [Options(ECONOMY_OPTIONS)],
    "fixed_effects": [Options(FIXED_EFFECTS), NONE],
    "indicators": [_CODES, NONE],
    "groupings": [_CODES, NONE],
    "period": [Interval(int, None, None), NONE],
}


@dataclass(frozen=True)
class ComparisonSettings:
    """How to compare: intervals, bootstrap, correction, the adjusted model and what to include.

    ``method``: ``auto`` (bootstrap when a group has fewer than ``small_group`` cities, Welch
    otherwise), ``welch`` or ``bootstrap``; below ``min_group_size`` cities nothing is estimated.
    ``capacity_measure``, ``economy`` and ``fixed_effects`` shape the adjusted regression.
    ``indicators`` and ``groupings`` (codes) limit the analysis; ``None`` means all available.
    ``period`` picks one outcome period; ``None`` takes each city's latest.
    """

    alpha: float = 0.05
    method: str = "auto"
    bootstrap_method: str = "BCa"
    n_resamples: int = 9999
    seed: int = DEFAULT_SEED
    small_group: int = 20
    min_group_size: int = 3
    correction: str = "fdr_bh"
    capacity_measure: str = "class"
    economy: str = "auto"
    fixed_effects: str | None = None
    indicators: tuple[str, ...] | None = None
    groupings: tuple[str, ...] | None = None
    period: int | None = None

    def __post_init__(self) -> None:
        for name in ("indicators", "groupings"):
            value = getattr(self, name)
            if isinstance(value, list):  # lists arrive from JSON and CLI parsing
                object.__setattr__(self, name, tuple(value))
        check_fields(self, CONSTRAINTS)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> ComparisonSettings:
        """Settings from a stored run or a YAML/JSON mapping; an unknown key is refused, not
        ignored, so a misspelt option cannot silently fall back to its default."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ParameterError(
                f"ComparisonSettings has no option {', '.join(map(repr, unknown))}; the options "
                f"are {', '.join(sorted(known))}",
                parameter=unknown[0],
                function="ComparisonSettings",
            )
        return cls(**dict(values))

    def to_mapping(self) -> dict[str, Any]:
        """Plain JSON-ready values (tuples as lists), the inverse of :meth:`from_mapping`."""
        out = dataclasses.asdict(self)
        for name in ("indicators", "groupings"):
            if out[name] is not None:
                out[name] = list(out[name])
        return out

    def items(self) -> list[tuple[str, str]]:
        """(name, value as text) for the report's methods section and settings table."""
        shown = {
            "fixed_effects": self.fixed_effects or "none",
            "indicators": ", ".join(self.indicators) if self.indicators else "all",
            "groupings": ", ".join(self.groupings) if self.groupings else "all available",
            "period": "latest per city" if self.period is None else str(self.period),
        }
        return [(f.name, shown.get(f.name, str(getattr(self, f.name)))) for f in dataclasses.fields(self)]


#: The documented defaults (immutable, so one shared instance is safe as a default argument).
DEFAULT_SETTINGS = ComparisonSettings()
