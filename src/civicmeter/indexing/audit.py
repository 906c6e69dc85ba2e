"""Audit an index: indicator statistics, structure statistics and the flags they raise, together.

Why one entry point: the statistics are read together (a skewed indicator that also correlates
negatively with its pillar is one story), and the CLI, the web and notebooks must show the same
tables. The pieces live in :mod:`.audit_stats` (one indicator at a time) and
:mod:`.audit_structure` (the hierarchy); the HTML rendering in :mod:`.audit_report`.

Which data: statistics and single-indicator flags describe the indicators *as supplied* (raw),
where sparsity and skew are decided; correlations, alpha and PCA describe the *scores* the index
aggregates (normalised indicators, already multiplied by Direction, and every aggregate), so a
negative correlation means a real conflict rather than an inverted scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from civicmeter.indexing.audit_stats import indicator_stats, stat_flags
from civicmeter.indexing.audit_structure import (
    correlation_flags,
    cronbach_by_aggregate,
    pca_by_aggregate,
    structure_correlations,
)
from civicmeter.indexing.hierarchy import Hierarchy
from civicmeter.params import NONE, InstanceOf, Interval, validate_params
from civicmeter.provenance import Provenance
from civicmeter.results_protocol import SUMMARY_COLUMNS, text_summary, write_csv

METHOD = (
    "COINr-compatible audit: type-2 skew and kurtosis; pairwise-complete Pearson and Spearman "
    "correlations; Cronbach's alpha from the pairwise covariance matrix; PCA of complete cases on "
    "standardised children"
)
CSV_FILES = ("stats", "correlations", "cronbach", "pca", "flags")
DESCRIPTIVE = (
    "a description of every unit supplied, not an estimate from a sample: no standard error or interval"
)
#: Columns of the indicator statistics carried into the summary after the shared ones.
SUMMARY_STATS = ("availability", "median", "sd", "min", "max", "skew", "kurtosis")


@dataclass(frozen=True)
class AuditResult:
    """The audit's tables. ``n`` is the number of units; ``provenance`` names inputs and recipe.

    In the shared result shape (:mod:`civicmeter.results_protocol`) an audit is one row per
    indicator: its mean over the units as ``estimate``, no standard error (every unit is there, not
    a sample), ``n`` units with a value, then its other statistics and the flags it raised.
    """

    stats: pd.DataFrame
    correlations: pd.DataFrame
    cronbach: pd.DataFrame
    pca: pd.DataFrame
    flags: pd.DataFrame
    n: int
    thresholds: dict[str, float]
    method: str = METHOD
    notes: tuple[str, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)

    def summary_frame(self) -> pd.DataFrame:
        """One row per indicator (index ``iCode``): mean, NaN se and interval (see ``reason``),
        units with a value, the other statistics of :data:`SUMMARY_STATS` and the flags raised."""
        stats = self.stats.set_index("iCode")
        flags = self.flags.groupby("iCode")["flag"].agg(lambda found: "; ".join(dict.fromkeys(found)))
        frame = pd.DataFrame(
            {"estimate": stats["mean"], "se": np.nan, "ci_lower": np.nan, "ci_upper": np.nan},
            index=stats.index,
        )
        frame["n"] = stats["n_available"]
        frame = frame.join(stats[list(SUMMARY_STATS)])
        frame["flags"] = flags.reindex(frame.index).fillna("")
        frame["reason"] = DESCRIPTIVE
        return frame[[*SUMMARY_COLUMNS, *SUMMARY_STATS, "flags", "reason"]]

    def to_csv(self, path_or_buffer=None) -> str | None:
        """:meth:`summary_frame` plus the provenance columns; the text when no path is given."""
        return write_csv(self.summary_frame(), self.provenance, path_or_buffer)

    def __str__(self) -> str:
        counts = self.flags["flag"].value_counts()
        raised = ", ".join(f"{flag} {count}" for flag, count in counts.items()) or "none"
        headline = f"audit of {len(self.stats)} indicators over {self.n} units; flags: {raised}"
        return text_summary(headline, self.provenance, self.notes)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in CSV_FILES}

    def write(self, directory: Path) -> list[Path]:
        """Write ``<table>.csv`` for every table and ``report.html``; return the paths written."""
        from civicmeter.indexing.audit_report import render_audit_html

        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for name, table in self.tables().items():
            path = directory / f"{name}.csv"
            table.to_csv(path, index=False)
            written.append(path)
        report = directory / "report.html"
        report.write_text(render_audit_html(self), encoding="utf-8")
        written.append(report)
        return written


@validate_params(
    {
        "raw": [InstanceOf(pd.DataFrame, "a DataFrame of indicator values by unit")],
        "scores": [InstanceOf(pd.DataFrame, "a DataFrame of scores by unit and code")],
        "hierarchy": [InstanceOf(Hierarchy, "a Hierarchy")],
        "t_avail": [Interval(float, 0, 1)],
        "t_collinear": [Interval(float, 0, 1)],
        "t_negative": [Interval(float, -1, 0)],
        "provenance": [InstanceOf(Provenance, "a Provenance (an IndexResult's)"), NONE],
    }
)
def audit_index(
    raw: pd.DataFrame,
    scores: pd.DataFrame,
    hierarchy: Hierarchy,
    *,
    t_avail: float = 0.65,
    t_collinear: float = 0.9,
    t_negative: float = -0.4,
    provenance: Provenance | None = None,
) -> AuditResult:
    """Audit ``raw`` indicators and the ``scores`` built from them over ``hierarchy``.

    ``raw`` has one column per indicator; ``scores`` one column per indicator and aggregate (units
    in rows for both). Thresholds are COINr's defaults; see :func:`.audit_stats.stat_flags` and
    :func:`.audit_structure.correlation_flags` for each flag's rule.
    """
    indicators = [c for c in hierarchy.indicators if c in raw]
    stats = indicator_stats(raw[indicators])
    correlations = structure_correlations(scores, hierarchy)
    flags = pd.concat(
        [
            stat_flags(stats, t_avail=t_avail),
            correlation_flags(correlations, t_collinear=t_collinear, t_negative=t_negative),
        ],
        ignore_index=True,
    )
    order = {code: i for i, code in enumerate(hierarchy.codes)}
    flags = flags.sort_values("iCode", key=lambda s: s.map(order), kind="stable")
    notes = []
    missing = [c for c in hierarchy.codes if c not in scores]
    if missing:
        notes.append(f"{len(missing)} code(s) have no scores and are left out: {', '.join(missing)}")
    pca = pca_by_aggregate(scores, hierarchy)
    dropped = pca.drop_duplicates("aggregate")
    short = dropped[dropped["n"] < len(scores)]
    if len(short):
        notes.append(
            "PCA uses complete cases only: "
            + ", ".join(f"{r.aggregate} n={r.n}" for r in short.itertuples(index=False))
        )
    return AuditResult(
        stats=stats,
        correlations=correlations,
        cronbach=cronbach_by_aggregate(scores, hierarchy),
        pca=pca,
        flags=flags.reset_index(drop=True),
        n=len(scores),
        thresholds={"t_avail": t_avail, "t_collinear": t_collinear, "t_negative": t_negative},
        notes=tuple(notes),
        provenance=provenance if provenance is not None else Provenance(),
    )
