"""Peer groups: the cities a city is compared with (all, same continent, same population band).

Membership is an input, never a database query: the web layer (or a notebook) decides who the peers
are, and this package only counts. :func:`peer_groups` builds the three standard groups from plain
city facts so every caller draws the bands the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from civicmeter.params import NONE, InstanceOf, Options, ParameterError, check_param, validate_params

KINDS = ("all", "continent", "population_band")
#: Continent codes the wording files name (ISO-style two letters).
CONTINENTS = ("AF", "AS", "EU", "NA", "OC", "SA")
#: Lower bounds of the default population bands; each band runs to the next bound minus one.
DEFAULT_BANDS = (0, 100_000, 250_000, 500_000, 1_000_000)


def _refuse(parameter: str, message: str) -> None:
    raise ParameterError(message, parameter=parameter, function="PeerGroup")


@dataclass(frozen=True)
class PeerGroup:
    """Who a city is compared with. ``band`` is ``(low, high)`` residents, ``high`` None = open."""

    kind: str
    members: frozenset[str]
    continent: str | None = None
    band: tuple[int, int | None] | None = None

    def __post_init__(self) -> None:
        check_param("kind", self.kind, [Options(KINDS)], caller="PeerGroup")
        check_param(
            "members", self.members, [InstanceOf(frozenset, "a frozenset of city codes")], caller="PeerGroup"
        )
        check_param("continent", self.continent, [Options(CONTINENTS), NONE], caller="PeerGroup")
        check_param("band", self.band, [InstanceOf(tuple, "a (low, high) tuple"), NONE], caller="PeerGroup")
        if (self.kind == "continent") != (self.continent is not None):
            _refuse("continent", "PeerGroup needs 'continent' exactly when kind is 'continent'")
        if (self.kind == "population_band") != (self.band is not None):
            _refuse("band", "PeerGroup needs 'band' exactly when kind is 'population_band'")
        if self.band is not None:
            low, high = self.band
            if (
                not isinstance(low, int)
                or low < 0
                or (high is not None and (not isinstance(high, int) or high < low))
            ):
                _refuse(
                    "band",
                    f"the 'band' of a PeerGroup must be (low, high) with 0 <= low <= high; got {self.band!r}",
                )

    @property
    def code(self) -> str:
        """A stable name: ``all``, ``continent:EU``, ``population_band:250000-499999``."""
        if self.kind == "continent":
            return f"continent:{self.continent}"
        if self.kind == "population_band":
            low, high = self.band
            return f"population_band:{low}-{'' if high is None else high}"
        return "all"


def band_of(population: int, bounds: tuple[int, ...] = DEFAULT_BANDS) -> tuple[int, int | None]:
    """The (low, high) band holding ``population``; the last band is open above."""
    lows = [b for b in bounds if b <= population]
    low = max(lows) if lows else bounds[0]
    later = [b for b in bounds if b > low]
    return low, (min(later) - 1 if later else None)


@validate_params(
    {
        "city": [InstanceOf(str, "a city code")],
        "facts": [InstanceOf(Mapping, "a mapping of city -> {'continent': code, 'population': int}")],
        "bounds": [InstanceOf(tuple, "a tuple of increasing band lower bounds starting at 0")],
    }
)
def peer_groups(
    city: str, facts: Mapping[str, Mapping[str, object]], bounds: tuple[int, ...] = DEFAULT_BANDS
) -> tuple[PeerGroup, ...]:
    """The standard peer groups of ``city``: all cities, same continent, same population band.

    A group is left out when the city's own fact (continent or population) is unknown, since there
    is then no honest group to compare with. Cities with an unknown fact join only the "all" group.
    """
    if city not in facts:
        raise ParameterError(
            f"the 'facts' parameter of peer_groups must include the city {city!r}",
            parameter="facts",
            function="peer_groups",
        )
    if list(bounds) != sorted(set(bounds)) or not bounds or bounds[0] != 0:
        raise ParameterError(
            f"the 'bounds' parameter of peer_groups must increase from 0; got {bounds!r}",
            parameter="bounds",
            function="peer_groups",
        )
    groups = [PeerGroup("all", frozenset(facts))]
    continent = facts[city].get("continent")
    if continent is not None:
        members = frozenset(c for c, f in facts.items() if f.get("continent") == continent)
        groups.append(PeerGroup("continent", members, continent=str(continent)))
    population = facts[city].get("population")
    if isinstance(population, int) and not isinstance(population, bool):
        band = band_of(population, bounds)
        members = frozenset(
            c
            for c, f in facts.items()
            if isinstance(f.get("population"), int) and band_of(f["population"], bounds) == band
        )
        groups.append(PeerGroup("population_band", members, band=band))
    return tuple(groups)
