"""Scored cities as a result object: every number with its reasons, ranks, intervals, provenance.

:class:`ScoreTable` follows the shared result shape (:mod:`civicmeter.results_protocol`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from civicmeter.provenance import Provenance
from civicmeter.results_protocol import SUMMARY_COLUMNS, write_csv
from civicmeter.scoring.recipe import DECIMALS, ScoringRecipe
from civicmeter.scoring.rules import Contribution

#: Why a score has no standard error or interval of its own, in every row of ``summary_frame()``.
NO_INTERVAL = (
    "computed from the city's answers, not estimated from a sample: no standard error; "
    "rank_p5 to rank_p95 bound the rank, not the score"
)


@dataclass(frozen=True)
class ComponentScore:
    """A component's points after its cap (``points``), before it (``raw``) and its maximum."""

    code: str
    name: str
    points: float
    raw: float
    max: float

    @property
    def capped(self) -> bool:
        return self.raw > self.points

    @property
    def share(self) -> float:
        return round(self.points / self.max, DECIMALS)


@dataclass(frozen=True)
class ScoredCity:
    """One city's index, class, components, item contributions, rank and rank interval.

    ``rank`` is descending with ties sharing the minimum rank; ``rank_p5``/``rank_p95`` bound the
    middle 90% of the ranks the city takes when the component weights are perturbed (see
    :func:`civicmeter.scoring.intervals.rank_intervals`). ``tier`` is "" when no tier is reached or
    the recipe has none. (Named apart from the stored row, the model
    ``civicmeter.web.results.models.CityScore``, so each name means one thing.)
    """

    city: str
    index: float
    score_class: str
    share: float
    components: tuple[ComponentScore, ...]
    contributions: tuple[Contribution, ...]
    rank: int
    rank_p5: float
    rank_median: float
    rank_p95: float
    tier: str = ""

    def component(self, code: str) -> ComponentScore:
        return next(c for c in self.components if c.code == code)

    def explain(self) -> str:
        """The score in words, item by item."""
        lines = [f"{self.city}: {self.index:g} ({self.score_class}), rank {self.rank}"]
        for component in self.components:
            cap = f", capped from {component.raw:g}" if component.capped else ""
            lines.append(f"  {component.name}: {component.points:g} of {component.max:g}{cap}")
            for c in self.contributions:
                if c.component == component.code:
                    lines.append(f"    {c.points:g}/{c.available:g} {c.label}: {c.reason}")
        return "\n".join(lines)


def score_provenance(recipe: ScoringRecipe, instrument: dict[str, str]) -> Provenance:
    """The recipe (id, version, hash) and, for answers, the instrument (form id, version, hash)."""
    version = None
    if instrument:
        form, number, sha256 = instrument["form_id"], instrument["version"], instrument["sha256"]
        version = f"{form} {number} (sha256 {sha256})"
    return Provenance(
        instrument_version=version,
        recipe_version=f"{recipe.id} {recipe.version} (sha256 {recipe.sha256})",
    )


@dataclass(frozen=True)
class ScoreTable:
    """Scores of every city under one recipe, with the recipe's and the instrument's provenance.

    ``instrument`` holds the scored instrument's ``form_id``, ``version`` and ``sha256`` (empty for
    assessments scored from reviewed criteria).
    """

    recipe: ScoringRecipe
    rows: tuple[ScoredCity, ...]
    instrument: dict[str, str]
    interval_method: str
    notes: tuple[str, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)

    @property
    def n(self) -> int:
        return len(self.rows)

    def __getitem__(self, city: str) -> ScoredCity:
        for row in self.rows:
            if row.city == city:
                return row
        raise KeyError(f"no score for city {city!r}")

    def class_shares(self) -> dict[str, float]:
        """Share of cities in each class, in the recipe's class order."""
        counts = Counter(r.score_class for r in self.rows)
        return {b.code: (counts[b.code] / self.n if self.n else 0.0) for b in self.recipe.classes}

    def to_frame(self) -> pd.DataFrame:
        """One row per city, best first: index, class, share, tier, ranks, then component points."""
        records = []
        for r in self.rows:
            record = {
                "city": r.city,
                "index": r.index,
                "class": r.score_class,
                "share": r.share,
                "tier": r.tier,
                "rank": r.rank,
                "rank_p5": r.rank_p5,
                "rank_median": r.rank_median,
                "rank_p95": r.rank_p95,
            }
            record.update({c.code: c.points for c in r.components})
            records.append(record)
        columns = [
            "city",
            "index",
            "class",
            "share",
            "tier",
            "rank",
            "rank_p5",
            "rank_median",
            "rank_p95",
            *(c.code for c in self.recipe.components),
        ]
        return pd.DataFrame.from_records(records, columns=columns)

    def summary_frame(self) -> pd.DataFrame:
        """The shared result shape, one row per city (index ``city``), best first: the index as
        ``estimate``, NaN ``se`` and interval (see ``reason``), ``n`` 1 (one response or assessment
        per city), then rank, the rank interval and class."""
        frame = pd.DataFrame(
            {
                "city": [r.city for r in self.rows],
                "estimate": [r.index for r in self.rows],
                "se": np.nan,
                "ci_lower": np.nan,
                "ci_upper": np.nan,
                "n": 1,
                "rank": [r.rank for r in self.rows],
                "rank_p5": [r.rank_p5 for r in self.rows],
                "rank_median": [r.rank_median for r in self.rows],
                "rank_p95": [r.rank_p95 for r in self.rows],
                "class": [r.score_class for r in self.rows],
                "reason": NO_INTERVAL,
            },
            columns=["city", *SUMMARY_COLUMNS, "rank", "rank_p5", "rank_median", "rank_p95"]
            + ["class", "reason"],
        )
        return frame.set_index("city")

    def to_csv(self, path_or_buffer=None) -> str | None:
        """:meth:`summary_frame` plus the provenance columns; the text when no path is given."""
        return write_csv(self.summary_frame(), self.provenance, path_or_buffer)

    def __str__(self) -> str:
        shares = ", ".join(f"{code} {share:.0%}" for code, share in self.class_shares().items())
        lines = [
            f"{self.recipe.id} v{self.recipe.version} (sha256 {self.recipe.sha256[:12]}): "
            f"{self.n} cities; {shares}",
            f"rank intervals: {self.interval_method}",
            "; ".join(f"{k}: {v}" for k, v in self.provenance.items()),
        ]
        lines += [f"note {k}: {note}" for k, note in enumerate(self.notes, 1)]
        return "\n".join(lines)
