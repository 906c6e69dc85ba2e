"""The capacity-outcome chart of a wave's findings, computed from public data only.

The stored analysis runs (``wellbeing.AnalysisRun``) read submitted answers too, so the findings
redo the comparison the OECD drew (outcomes in high- against low-capacity cities, one panel per
index sample, never pooled) with ``civicmeter.analysis.analyze`` on what is public: the published
scores of validated responses and the outcome values of public cities
(``published.public_outcomes``). The settings are the analysis defaults (docs/analysis.md), so the
figures match ``civicmeter analyze`` on the same cities. Results are kept per public-data key.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from civicmeter.analysis import AnalysisError, ComparisonSettings, analyze
from civicmeter.charts import Caption, Chart, Field, Span, interval_chart
from civicmeter.web.programmes.models import Wave
from civicmeter.web.wellbeing.analysis_inputs import INCOME
from civicmeter.web.wellbeing.services.catalogue import catalogue_for

from .memo import KeyedMemo
from .published import PublicWave, public_outcomes

#: The class groupings of the brochure's chart: high against low PSI capacity, and data use.
GROUPINGS = {"psi_class": "psi", "data_use_class": "data_use"}


@dataclass(frozen=True)
class OutcomeGroup:
    """One panel: the index sample, its unit, and per outcome the difference with its interval
    and the cities in each group."""

    sample: str
    unit: str
    rows: tuple[dict, ...]
    synthetic: bool


def _capacity(public: PublicWave) -> pd.DataFrame:
    rows = {}
    for slug, city in public.cities.items():
        row = {"city": slug, "synthetic": "yes" if city.synthetic else "no"}
        if public.psi and slug in public.psi.scores:
            score = public.psi.scores[slug]
            row.update(psi_index=score.index, psi_class=score.score_class)
        if public.data_use and slug in public.data_use.scores:
            score = public.data_use.scores[slug]
            row.update(data_use_index=score.index, data_use_class=score.score_class)
        rows[slug] = row
    frame = pd.DataFrame(list(rows.values()))
    for column in ("psi_index", "psi_class"):
        if column not in frame:
            frame[column] = pd.NA
    return frame


def _outcomes(wave: Wave) -> pd.DataFrame:
    columns = ["city", "indicator", "period", "value", "raw_value", "n", "se", "source", "run"]
    values = public_outcomes(wave.programme).exclude(indicator__code=INCOME).values_list(
        "city__slug", "indicator__code", "period", "index_points", "value", "n", "se", "source",
        "import_run_id",
    )
    frame = pd.DataFrame(list(values), columns=columns)
    frame = frame.sort_values("run").drop_duplicates(["city", "indicator", "period"], keep="last")
    return frame.drop(columns="run").reset_index(drop=True)


def _catalogue(wave: Wave) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"code": i.code, "name": i.name, "dimension": i.dimension.value, "direction": i.direction,
             "rescale": i.rescale.value}
            for i in catalogue_for(wave.programme)
        ]
    )


def _compute(public: PublicWave, wave: Wave) -> tuple[OutcomeGroup, ...]:
    capacity, outcomes = _capacity(public), _outcomes(wave)
    present = tuple(g for g in GROUPINGS if g in capacity and capacity[g].notna().any())
    if outcomes.empty or not present:
        return ()
    try:
        report = analyze(capacity, outcomes, catalogue=_catalogue(wave),
                         settings=ComparisonSettings(groupings=present))
    except AnalysisError:
        return ()  # no city with both a public score and an outcome value: nothing to draw
    groups = []
    for table in report.comparisons:
        drawn = [r for r in table.rows if not r.reason and r.estimate == r.estimate]
        for unit in sorted({r.unit for r in drawn}):
            rows = tuple(
                {"outcome": r.outcome_name, "estimate": r.estimate, "ci_lower": r.ci_lower,
                 "ci_upper": r.ci_upper, "n_high": r.n_high, "n_low": r.n_low}
                for r in drawn if r.unit == unit
            )
            groups.append(OutcomeGroup(table.sample, unit, rows, report.synthetic))
    return tuple(groups)


_DONE = KeyedMemo(size=8)


def outcomes_key(programme) -> tuple:
    """What the public outcome figures of ``programme`` depend on: a new import changes it."""
    stored = public_outcomes(programme).aggregate(n=Count("id"), last=Max("import_run_id"))
    return (stored["n"], stored["last"])


def outcome_groups(public: PublicWave, wave: Wave) -> tuple[OutcomeGroup, ...]:
    """The high-minus-low comparisons of the wave's public cities, kept per public-data key and
    outcome data."""
    return _DONE.get_or_build((public.key, *outcomes_key(wave.programme)), lambda: _compute(public, wave))


SAMPLE_TITLES = {
    "psi": gettext_noop("Outcomes in cities with high against low innovation capacity (PSI)"),
    "data_use": gettext_noop("Outcomes in cities with high against low data use"),
}
#: What each unit's outcomes are, to tell a sample's two panels apart.
UNIT_KINDS = {
    "percentage points": gettext_noop("residents' answers (shares)"),
    "index points": gettext_noop("indicators rescaled 0-100"),
}
UNIT_TITLES = {
    "percentage points": gettext_noop("Difference, high minus low (percentage points)"),
    "index points": gettext_noop("Difference, high minus low (index points, 0-100)"),
}


def outcome_charts(groups: tuple[OutcomeGroup, ...], language: str) -> list[Chart]:
    """One interval chart per sample and unit, each row labelled with the cities in each group."""
    charts = []
    for group in groups:
        rows = [
            {**row, "cities": f"{row['n_high']} / {row['n_low']}"}
            for row in sorted(group.rows, key=lambda r: -r["estimate"])
        ]
        title = _("%(sample)s: %(outcomes)s") % {
            "sample": _(SAMPLE_TITLES.get(group.sample, group.sample)),
            "outcomes": _(UNIT_KINDS.get(group.unit, group.unit)),
        }
        charts.append(interval_chart(
            rows, category=Field("outcome", _("Outcome")),
            estimate=Field("estimate", _(UNIT_TITLES.get(group.unit, group.unit))),
            interval=Span("ci_lower", "ci_upper", _("95% interval")),
            label=Field("cities", _("Cities (high / low)")),
            caption=Caption(title, kind="number", language=language),
        ))
    return charts
