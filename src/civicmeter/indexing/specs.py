"""The methodological choices of one index build, as plain frozen data.

A recipe file is parsed into these objects (``recipe.py``); the pipeline and the sensitivity tools
read them. They only store values: validation happens where a recipe is loaded, so every problem in
a file can be reported together with the key it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImputeSpec:
    method: str = "none"
    group: str | None = None
    group_level: int = 2


@dataclass(frozen=True)
class ScreenSpec:
    min_availability: float | None = None


@dataclass(frozen=True)
class TreatSpec:
    enabled: bool = True
    winsorise_max: int = 5
    skew: float = 2.0
    kurtosis: float = 3.5
    fallback: str = "log"


@dataclass(frozen=True)
class NormaliseSpec:
    method: str = "minmax"
    low: float = 0.0
    high: float = 100.0
    mean: float = 0.0
    sd: float = 1.0
    unit: str | None = None
    cap_max: bool = False
    scale: float = 100.0
    truncate: bool = True
    #: Per-indicator exceptions, iCode -> spec (COINr ``indiv_specs``).
    overrides: dict[str, NormaliseSpec] = field(default_factory=dict)


@dataclass(frozen=True)
class AggregateSpec:
    method: str = "arithmetic"
    p: float = 1.0
    min_availability: float | None = None
    shift: float = 0.0
    share_bounds: tuple[float, float] = (0.0, 1.0)
    #: Overrides for the level being produced (2 = first aggregate level) and for single aggregates.
    levels: dict[int, AggregateSpec] = field(default_factory=dict)
    nodes: dict[str, AggregateSpec] = field(default_factory=dict)

    def for_node(self, code: str, level: int) -> AggregateSpec:
        """The spec for aggregate ``code`` at ``level``: node beats level beats default."""
        if code in self.nodes:
            return self.nodes[code]
        return self.levels.get(level, self)

    def method_key(self) -> tuple:
        """What distinguishes one computation from another (overrides excluded)."""
        return (self.method, self.p, self.min_availability, self.shift, self.share_bounds)

    def options(self) -> dict:
        """This spec's own keyword arguments of ``aggregate.aggregate_level`` (as ``method_key``)."""
        names = ("method", "p", "min_availability", "shift", "share_bounds")
        return dict(zip(names, self.method_key(), strict=True))
