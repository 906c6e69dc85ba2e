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

from civicmeter.analysis.adjusted import adjusted_checked, resolve_economy
from civicmeter.analysis.compare import INPUT_CONSTRAINTS, compare_checked
from civicmeter.analysis.errors import NO_OVERLAP, Problem, raise_if
from civicmeter.analysis.groupings import Sample, available_groupings, grouping_by_key
from civicmeter.analysis.inputs import (
    CONTROL_COLUMNS,
    Prepared,
    catalogue_names,
    check_controls,
    is_synthetic,
    prepare,
)
from civicmeter.analysis.language import SYNTHETIC, shared_caveats, summarise
from civicmeter.analysis.published import published_beside, published_mapping
from civicmeter.analysis.results import ResultTable
from civicmeter.analysis.settings import DEFAULT_SETTINGS, ComparisonSettings
from civicmeter.params import NONE, Columns, InstanceOf, validate_params
from civicmeter.provenance import Provenance


@dataclass(frozen=True)
class AnalysisReport:
    """All tables of one analysis, with the settings, notes and provenance needed to read them."""

    comparisons: tuple[ResultTable, ...]
    adjusted: tuple[ResultTable, ...]
    published: pd.DataFrame
    summaries: tuple[tuple[str, str, str], ...]
    settings: ComparisonSettings
    notes: tuple[str, ...]
    provenance: Provenance = field(default_factory=Provenance)
    synthetic: bool = False
    economy_used: str | None = None
    #: What every plain-language sentence shares, said once (see ``language.shared_caveats``).
    caveats: tuple[str, ...] = ()

    @property
    def tables(self) -> tuple[ResultTable, ...]:
        return self.comparisons + self.adjusted

    def to_tables(self) -> dict[str, pd.DataFrame]:
        """Every table as a tidy DataFrame keyed by a file-name-safe name, ready for CSV."""
        out = {table.name: table.to_frame() for table in self.tables}
        out["published_figures"] = self.published
        shared = [("all", "", text) for text in self.caveats]
        out["summaries"] = pd.DataFrame(
            shared + list(self.summaries), columns=["table", "indicator", "text"]
        )
        settings = self.settings_items()
        settings += [(f"provenance.{k}", v) for k, v in self.provenance.items()]
        settings += [(f"note.{i}", text) for i, text in enumerate(self.notes, start=1)]
        out["settings"] = pd.DataFrame(settings, columns=["key", "value"])
        return out

    def summary_frame(self) -> pd.DataFrame:
        """Every table's :meth:`ResultTable.summary_frame`, indexed by (table, outcome)."""
        frames = {table.name: table.summary_frame() for table in self.tables}
        return pd.concat(frames, names=["table", "outcome"])

    def settings_items(self) -> list[tuple[str, str]]:
        """The settings as shown to readers, with the economy control actually used."""
        used = self.economy_used or "not used (no controls)"
        return [(k, used if k == "economy" else v) for k, v in self.settings.items()]

    def summary(self) -> str:
        """The whole report as plain text."""
        parts = [f"[{i}] {text}" for i, text in enumerate(self.notes, start=1)]
        parts += [table.summary() for table in self.tables]
        parts += list(self.caveats) + [text for _, _, text in self.summaries]
        return "\n\n".join(parts)


@validate_params(
    {
        **INPUT_CONSTRAINTS,
        "controls": [Columns(*CONTROL_COLUMNS), NONE],
        "notes": [InstanceOf(tuple, "a tuple of texts")],
    }
)
def analyze(
    capacity: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    controls: pd.DataFrame | None = None,
    catalogue: pd.DataFrame | None = None,
    settings: ComparisonSettings = DEFAULT_SETTINGS,
    provenance: Provenance | None = None,
    notes: tuple[str, ...] = (),
) -> AnalysisReport:
    """Run every comparison the inputs support and return one :class:`AnalysisReport`.

    ``settings`` (a :class:`ComparisonSettings`) holds every choice: intervals, bootstrap,
    correction, the adjusted model and which indicators, groupings and period to use;
    docs/analysis.md explains each default. Adjusted estimates need ``controls``. ``notes`` are
    the caller's own notes on how the inputs were built, shown first in the report.
    """
    prepared = prepare(
        capacity, outcomes, catalogue=catalogue, settings=settings, provenance=provenance
    )
    table = prepared.capacity
    _require_overlap(table, outcomes)
    chosen = (
        [grouping_by_key(key, table) for key in settings.groupings]
        if settings.groupings
        else [g for g in available_groupings(table) if table[g.column].notna().any()]
    )
    comparisons = tuple(compare_checked(prepared, g, settings) for g in chosen)
    adjusted, economy_used = _adjusted_tables(prepared, controls, settings)
    synthetic = is_synthetic(table)
    long = prepared.outcomes
    survey = set(long.loc[long["n"].notna(), "indicator"]) if "n" in long else set()
    summaries = tuple(
        (result.name, code, text)
        for result in comparisons + adjusted
        for code, text in summarise(result, survey_indicators=survey)
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
        settings=settings,
        notes=tuple(notes) + _report_notes(table, long, synthetic),
        provenance=prepared.provenance,
        synthetic=synthetic,
        economy_used=economy_used,
        caveats=shared_caveats(small_group=settings.small_group, synthetic=synthetic),
    )


def _adjusted_tables(
    prepared: Prepared, controls: pd.DataFrame | None, settings: ComparisonSettings
) -> tuple[tuple[ResultTable, ...], str | None]:
    """One adjusted table per sample with data, and the economy column used; none without
    controls."""
    if controls is None:
        return (), None
    checked = check_controls(controls)
    economy = resolve_economy(checked.frame, settings.economy)
    table = prepared.capacity
    samples = [s for s in Sample if s.class_column in table and table[s.class_column].notna().any()]
    tables = tuple(
        adjusted_checked(prepared, checked, sample=s, economy=economy, settings=settings)
        for s in samples
    )
    return tables, economy


def _require_overlap(capacity: pd.DataFrame, outcomes: pd.DataFrame) -> None:
    """``analysis.E007`` when no city has both capacity data and an outcome."""
    if capacity.index.isin(outcomes["city"].astype(str).str.strip()).any():
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
