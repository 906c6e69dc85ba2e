"""The result of an index build: every stage, scores and ranks, what was done, provenance.

:class:`IndexResult` follows the shared result shape (:mod:`civicmeter.results_protocol`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from civicmeter.indexing.hierarchy import Hierarchy
from civicmeter.indexing.recipe import Recipe
from civicmeter.provenance import Provenance
from civicmeter.results_protocol import SUMMARY_COLUMNS, text_summary, write_csv

if TYPE_CHECKING:
    from civicmeter.indexing.sensitivity import UncertaintyResult

STAGES = ("Raw", "Denominated", "Imputed", "Screened", "Treated", "Normalised", "Aggregated")


#: Why an index score has no standard error or interval of its own (``summary_frame()``).
NO_INTERVAL = (
    "computed from the indicators, not estimated from a sample: no standard error; "
    "rank intervals come from an uncertainty analysis (civicmeter index uncertainty)"
)
RANK_INTERVAL = (
    "computed from the indicators, not estimated from a sample: no standard error; "
    "rank_p5 to rank_p95 bound the rank over {runs} uncertainty runs, not the score"
)


def index_provenance(recipe: Recipe, source: dict[str, str]) -> Provenance:
    """The recipe (name, version, hash) and the data tables by their hashes (``iData sha256 ...``)."""
    return Provenance(
        recipe_version=f"{recipe.name} {recipe.version} (sha256 {recipe.sha256})",
        sources=tuple(f"{name} sha256 {sha256}" for name, sha256 in source.items() if sha256),
    )


def rank_descending(scores: pd.DataFrame) -> pd.DataFrame:
    """Rank each column, highest score first; ties share the minimum rank; missing stays missing."""
    return scores.rank(ascending=False, method="min", na_option="keep").astype("Int64")


@dataclass(frozen=True)
class IndexResult:
    """All stages of one build. Stage frames are indexed by ``uCode`` (written as the first column).

    ``Aggregated`` holds the normalised indicators followed by every aggregate, lowest level first.
    """

    stages: dict[str, pd.DataFrame]
    treatment: pd.DataFrame
    screening: pd.DataFrame
    hierarchy: Hierarchy
    weights: dict[str, float]
    recipe: Recipe
    unit_names: pd.Series
    data_source: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)

    def __getitem__(self, stage: str) -> pd.DataFrame:
        return self.stages[stage]

    @property
    def scores(self) -> pd.DataFrame:
        """Scores of every aggregate (units x aggregates)."""
        return self.stages["Aggregated"][list(self.hierarchy.aggregates)]

    @property
    def ranks(self) -> pd.DataFrame:
        """Ranks of every indicator (normalised, so higher is better) and aggregate."""
        return rank_descending(self.stages["Aggregated"])

    @property
    def effective_weights(self) -> pd.Series:
        return self.hierarchy.effective_weights(self.weights)

    def results_table(self) -> pd.DataFrame:
        """uCode, the top aggregate, its Rank, then every other aggregate from high level to low;
        best first."""
        top = self.hierarchy.top[0]
        others = [
            c
            for level in range(self.hierarchy.n_levels, 1, -1)
            for c in self.hierarchy.codes_at(level)
            if c != top
        ]
        scores = self.scores
        table = pd.DataFrame({"uCode": scores.index, top: scores[top].to_numpy()})
        table["Rank"] = rank_descending(scores[[top]])[top].to_numpy()
        for code in others:
            table[code] = scores[code].to_numpy()
        return table.sort_values(["Rank", "uCode"], na_position="last").reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        """Tidy scores: one row per unit and code (indicators normalised, then aggregates), with
        columns uCode, iCode, Level, Score, Rank."""
        aggregated = self.stages["Aggregated"]
        ranks = self.ranks
        frame = (
            aggregated.rename_axis("uCode")
            .reset_index()
            .melt(id_vars="uCode", var_name="iCode", value_name="Score")
        )
        frame["Rank"] = ranks.rename_axis("uCode").reset_index().melt(id_vars="uCode")["value"].to_numpy()
        frame.insert(2, "Level", frame["iCode"].map(self.hierarchy.levels))
        return frame

    def summary_frame(self, uncertainty: UncertaintyResult | None = None) -> pd.DataFrame:
        """The shared result shape, one row per unit (index ``uCode``), best first.

        ``estimate`` is the top aggregate's score (the ``uncertainty`` run's target when given),
        ``se`` and the interval are NaN (see ``reason``), ``n`` counts the unit's indicators with a
        raw value, ``rank`` is its rank; with ``uncertainty``, ``rank_p5``, ``rank_median`` and
        ``rank_p95`` give the rank interval over its runs.
        """
        code = uncertainty.target if uncertainty is not None else self.hierarchy.top[0]
        scores = self.scores[code]
        raw = self.stages["Raw"].reindex(scores.index)[list(self.hierarchy.indicators)]
        frame = pd.DataFrame(
            {
                "estimate": scores.to_numpy(dtype=float),
                "se": np.nan,
                "ci_lower": np.nan,
                "ci_upper": np.nan,
                "n": raw.notna().sum(axis=1).to_numpy(),
                "rank": rank_descending(scores.to_frame())[code].to_numpy(),
            },
            index=pd.Index(scores.index, name="uCode"),
            columns=[*SUMMARY_COLUMNS, "rank"],
        )
        frame["reason"] = NO_INTERVAL
        if uncertainty is not None:
            intervals = uncertainty.rank_intervals.set_index("uCode")
            frame["rank_p5"] = intervals["p05"]
            frame["rank_median"] = intervals["median"]
            frame["rank_p95"] = intervals["p95"]
            frame["reason"] = RANK_INTERVAL.format(runs=uncertainty.n)
            frame = frame[[c for c in frame.columns if c != "reason"] + ["reason"]]
        return frame.sort_values(["rank", "uCode"], na_position="last")

    def to_csv(self, path_or_buffer=None, *, uncertainty: UncertaintyResult | None = None):
        """:meth:`summary_frame` plus the provenance columns; the text when no path is given."""
        return write_csv(self.summary_frame(uncertainty), self.provenance, path_or_buffer)

    def __str__(self) -> str:
        top = self.hierarchy.top[0]
        best = self.summary_frame().head(3)
        leaders = ", ".join(f"{unit} {score:.1f}" for unit, score in best["estimate"].items())
        headline = (
            f"{self.recipe.name} v{self.recipe.version}: {len(self.scores)} units scored on {top}; "
            f"best: {leaders}"
        )
        return text_summary(headline, self.provenance, self.notes)

    def strengths_weaknesses(self, unit: str, *, n: int = 5) -> pd.DataFrame:
        """The unit's ``n`` best- and worst-ranked indicators (COINr ``get_str_weak``)."""
        ranks = (
            self.ranks.loc[unit, list(self.hierarchy.indicators)]
            .dropna()
            .astype(int)
            .sort_values(kind="stable")
        )
        raw = self.stages["Raw"].loc[unit]

        def rows(kind: str, codes: list[str]) -> list[dict]:
            return [
                {
                    "Kind": kind,
                    "iCode": c,
                    "iName": self.hierarchy.names.get(c, c),
                    "Rank": int(ranks[c]),
                    "Value": raw.get(c),
                }
                for c in codes
            ]

        best = list(ranks.index[:n])
        worst = list(ranks.index[::-1][:n])
        return pd.DataFrame(rows("strength", best) + rows("weakness", worst))

    def write_csv(self, directory: str | Path) -> list[Path]:
        """Write every stage, ``results.csv`` and ``treatment.csv`` into ``directory``."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for stage in STAGES:
            path = out / f"{stage}.csv"
            self.stages[stage].to_csv(path, index_label="uCode")
            written.append(path)
        for name, frame in (
            ("results.csv", self.results_table()),
            ("treatment.csv", self.treatment),
        ):
            frame.to_csv(out / name, index=False)
            written.append(out / name)
        return written
