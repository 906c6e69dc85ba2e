"""The result of an index build: every stage, scores and ranks, what was done, provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from civicmeter import __version__
from civicmeter.indexing.hierarchy import Hierarchy
from civicmeter.indexing.recipe import Recipe

STAGES = ("Raw", "Denominated", "Imputed", "Screened", "Treated", "Normalised", "Aggregated")


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
    def provenance(self) -> dict[str, str]:
        return {
            **self.recipe.provenance,
            **{f"{k}_sha256": v for k, v in self.data_source.items()},
            "civicmeter_version": __version__,
            "n_units": str(len(self.stages["Aggregated"])),
        }

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
        frame["Rank"] = (
            ranks.rename_axis("uCode").reset_index().melt(id_vars="uCode")["value"].to_numpy()
        )
        frame.insert(2, "Level", frame["iCode"].map(self.hierarchy.levels))
        return frame

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
