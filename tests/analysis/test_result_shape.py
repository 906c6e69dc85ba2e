"""Analysis tables share the result shape: summary_frame(), to_csv() and one Provenance."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

import civicmeter.provenance
from civicmeter.analysis import ComparisonSettings, Provenance, analyze

SETTINGS = ComparisonSettings(groupings=("psi_class",), n_resamples=199)


def _report(make_inputs):
    data = make_inputs(n=60, indicators=("satis_city", "walkability"))
    outcomes = data["outcomes"]
    older = outcomes[outcomes["indicator"] == "walkability"].assign(period=2019)
    outcomes = pd.concat([older, outcomes[outcomes["indicator"] == "satis_city"]])
    return analyze(
        data["capacity"],
        outcomes,
        controls=data["controls"],
        settings=SETTINGS,
        provenance=Provenance(wave="2026 spring", sources=("qol.csv",)),
    )


def test_the_analysis_uses_the_shared_provenance():
    assert Provenance is civicmeter.provenance.Provenance


def test_summary_frame_has_the_tidy_columns_per_outcome(make_inputs):
    table = _report(make_inputs).comparisons[0]
    frame = table.summary_frame()
    assert list(frame.columns) == ["estimate", "se", "ci_lower", "ci_upper", "n"]
    assert list(frame.index) == ["walkability", "satis_city"] and frame.index.name == "outcome"
    row = table.rows[0]
    assert frame.loc["walkability"].tolist() == [
        row.estimate,
        row.se,
        row.ci_lower,
        row.ci_upper,
        row.n_high + row.n_low,
    ]


def test_the_report_stacks_every_table_in_one_summary_frame(make_inputs):
    report = _report(make_inputs)
    frame = report.summary_frame()
    assert frame.index.names == ["table", "outcome"]
    assert set(frame.index.get_level_values("table")) == {t.name for t in report.tables}


def test_to_csv_carries_the_provenance_with_commit_run_time_and_periods(make_inputs):
    report = _report(make_inputs)
    frame = pd.read_csv(io.StringIO(report.comparisons[0].to_csv()))
    assert set(frame["provenance.code_version"]) == {civicmeter.provenance.code_version()}
    assert set(frame["provenance.sources"]) == {"qol.csv"}
    assert frame["provenance.run_at"].str.match(r"\d{4}-\d\d-\d\dT").all()
    assert set(frame["provenance.periods"]) == {"walkability 2019; satis_city 2023"}
    assert np.isfinite(frame["estimate"]).all()
