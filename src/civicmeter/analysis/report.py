"""``analyze``: every capacity-outcome comparison for one set of inputs, as one report.

The orchestration the web service and the CLI share: check the tables once, compare each outcome
across every grouping the capacity table supports (the PSI and data-use classes, single features,
data-use practices), add adjusted estimates when controls are given, correct each table for the
number of outcomes, put the OECD's published figures beside ours, and write the plain-language
sentences. ``analyze --wave`` only has to build the three DataFrames and a :class:`Provenance`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from civicmeter.analysis.adjusted import (
    CAPACITY_MEASURES,
    ECONOMY_OPTIONS,
    FIXED_EFFECTS,
    adjusted_checked,
    resolve_economy,
)
from civicmeter.analysis.compare import (
    COMPARISON_CONSTRAINTS,
    DEFAULT_SEED,
    IntervalSettings,
    compare_checked,
)
from civicmeter.analysis.errors import NO_OVERLAP, Problem, raise_if
from civicmeter.analysis.groupings import Sample, available_groupings, grouping_by_key
from civicmeter.analysis.inputs import (
    CONTROL_COLUMNS,
    catalogue_names,
    check_capacity,
    check_controls,
    check_outcomes,
    is_synthetic,
    select_indicators,
)
from civicmeter.analysis.language import SYNTHETIC, summarise
from civicmeter.analysis.published import published_beside, published_mapping
from civicmeter.analysis.results import Provenance, ResultTable
from civicmeter.params import NONE, Columns, InstanceOf, Options, validate_params


@dataclass(frozen=True)
class AnalysisReport:
    """All tables of one analysis, with the settings, notes and provenance needed to read them."""

    comparisons: tuple[ResultTable, ...]
    adjusted: tuple[ResultTable, ...]
    published: pd.DataFrame
    summaries: tuple[tuple[str, str, str], ...]
    settings: dict[str, object]
    notes: tuple[str, ...]
    provenance: Provenance = field(default_factory=Provenance)
    synthetic: bool = False

    @property
    def tables(self) -> tuple[ResultTable, ...]:
        return self.comparisons + self.adjusted

    def to_tables(self) -> dict[str, pd.DataFrame]:
        """Every table as a tidy DataFrame keyed by a file-name-safe name, ready for CSV."""
        out = {table.name: table.to_frame() for table in self.tables}
        out["published_figures"] = self.published
        out["summaries"] = pd.DataFrame(self.summaries, columns=["table", "indicator", "text"])
        settings = [(k, str(v)) for k, v in self.settings.items()]
        settings += [(f"provenance.{k}", v) for k, v in self.provenance.items()]
        settings += [(f"note.{i}", text) for i, text in enumerate(self.notes, start=1)]
        out["settings"] = pd.DataFrame(settings, columns=["key", "value"])
        return out

    def summary(self) -> str:
        """The whole report as plain text."""
        parts = [f"[{i}] {text}" for i, text in enumerate(self.notes, start=1)]
        parts += [table.summary() for table in self.tables]
        parts += [text for _, _, text in self.summaries]
        return "\n\n".join(parts)


@validate_params(
    {
        **COMPARISON_CONSTRAINTS,
        "controls": [Columns(*CONTROL_COLUMNS), NONE],
        "groupings": [InstanceOf(list, "a list of grouping keys"), NONE],
        "capacity_measure": [Options(CAPACITY_MEASURES)],
        "economy": [Options(ECONOMY_OPTIONS)],
        "fixed_effects": [Options(FIXED_EFFECTS), NONE],
    }
)
def analyze(
    capacity: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    controls: pd.DataFrame | None = None,
    catalogue: pd.DataFrame | None = None,
    indicators: list[str] | None = None,
    groupings: list[str] | None = None,
    period: int | None = None,
    alpha: float = 0.05,
    method: str = "auto",
    bootstrap_method: str = "BCa",
    n_resamples: int = 9999,
    seed: int = DEFAULT_SEED,
    small_group: int = 20,
    min_group_size: int = 3,
    correction: str = "fdr_bh",
    capacity_measure: str = "class",
    economy: str = "auto",
    fixed_effects: str | None = None,
    provenance: Provenance | None = None,
) -> AnalysisReport:
    """Run every comparison the inputs support and return one :class:`AnalysisReport`.

    ``groupings=None`` uses every grouping the capacity table has data for; ``indicators=None``
    every indicator in the outcomes table. Adjusted estimates need ``controls``. The interval,
    bootstrap, correction and regression options are those of :func:`compare_groups` and
    :func:`adjusted_difference`; docs/analysis.md explains each default.
    """
    provenance = provenance or Provenance()
    table = check_capacity(capacity)
    checked_controls = check_controls(controls) if controls is not None else None
    long, outcome_notes = check_outcomes(outcomes, period=period)
    codes = select_indicators(long, indicators)
    _require_overlap(table, long)
    names = catalogue_names(catalogue, codes)
    settings = IntervalSettings(
        alpha, method, bootstrap_method, n_resamples, seed, small_group, min_group_size
    )
    chosen = (
        [grouping_by_key(key, table) for key in groupings]
        if groupings is not None
        else [g for g in available_groupings(table) if table[g.column].notna().any()]
    )
    shared = {"codes": codes, "names": names, "provenance": provenance, "preamble": outcome_notes}
    comparisons = tuple(
        compare_checked(table, long, g, settings=settings, correction=correction, **shared)
        for g in chosen
    )
    adjusted: tuple[ResultTable, ...] = ()
    economy_used = None
    if checked_controls is not None:
        economy_used = resolve_economy(checked_controls, economy)
        samples = [
            s for s in Sample if s.class_column in table and table[s.class_column].notna().any()
        ]
        adjusted = tuple(
            adjusted_checked(
                table,
                long,
                checked_controls,
                sample=sample,
                capacity_measure=capacity_measure,
                economy=economy_used,
                fixed_effects=fixed_effects,
                alpha=alpha,
                correction=correction,
                **shared,
            )
            for sample in samples
        )
    synthetic = is_synthetic(table)
    survey = set(long.loc[long["n"].notna(), "indicator"]) if "n" in long else set()
    summaries = tuple(
        (result.name, code, text)
        for result in comparisons + adjusted
        for code, text in summarise(result, survey_indicators=survey, synthetic=synthetic)
    )
    return AnalysisReport(
        comparisons=comparisons,
        adjusted=adjusted,
        published=published_beside(
            list(comparisons),
            catalogue_names(catalogue, list(published_mapping()["indicator"])),
            adjusted=list(adjusted),
        ),
        summaries=summaries,
        settings={
            "alpha": alpha,
            "method": method,
            "bootstrap_method": bootstrap_method,
            "n_resamples": n_resamples,
            "seed": seed,
            "small_group": small_group,
            "min_group_size": min_group_size,
            "correction": correction,
            "capacity_measure": capacity_measure,
            "economy": economy_used or "not used (no controls)",
            "fixed_effects": fixed_effects or "none",
            "period": "latest per city" if period is None else period,
        },
        notes=_report_notes(table, long, synthetic),
        provenance=provenance,
        synthetic=synthetic,
    )


def _require_overlap(capacity: pd.DataFrame, outcomes: pd.DataFrame) -> None:
    """``analysis.E007`` when no city has both capacity data and an outcome."""
    if capacity.index.isin(outcomes["city"]).any():
        return
    raise_if(
        [
            Problem(
                NO_OVERLAP,
                "capacity and outcomes tables",
                "no city slug appears in both tables",
                "use the same city slugs (e.g. 'baltimore-us') in both; match names with the "
                "outcomes import first",
            )
        ]
    )


def _report_notes(
    capacity: pd.DataFrame, outcomes: pd.DataFrame, synthetic: bool
) -> tuple[str, ...]:
    notes = [
        "The PSI capacity index (0-10) and the data-use index (0-38) come from different city "
        "samples; each is analysed on its own and never compared with the other (OECD 2021).",
        "All findings are associations between a city government's capacity and its residents' "
        "outcomes; none shows that capacity causes better outcomes.",
    ]
    unmatched = sorted(set(outcomes["city"]) - set(capacity.index))
    if unmatched:
        notes.append(
            f"{len(unmatched)} cities with outcomes but no capacity data are left out: "
            + ", ".join(unmatched[:10])
            + (" ..." if len(unmatched) > 10 else "")
        )
    if synthetic:
        notes.insert(0, SYNTHETIC)
    return tuple(notes)
