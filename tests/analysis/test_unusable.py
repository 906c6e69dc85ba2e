"""Outcomes and cities that cannot be used are listed with the reason, never silently dropped."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from civicmeter.analysis import AnalysisError, ComparisonSettings, analyze, compare_groups
from civicmeter.analysis.report_html import render_html

QUICK = ComparisonSettings(groupings=("psi_class",), n_resamples=199)


def _rows(table):
    return {row.outcome: row for row in table.rows}


def test_a_constant_outcome_is_listed_with_its_reason(make_inputs):
    data = make_inputs(n=60)
    outcomes = data["outcomes"]
    outcomes.loc[outcomes["indicator"] == "walkability", "value"] = 64.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no scipy warning about a degenerate test either
        table = compare_groups(data["capacity"], outcomes, grouping="psi_class")
    row = _rows(table)["walkability"]
    assert row.method == "not estimated" and np.isnan(row.estimate) and row.reject is None
    assert row.reason == "not estimated: all values equal (64 for every city)"
    assert (row.n_high, row.n_low) == (row.n_high, 60 - row.n_high)


def test_an_outcome_constant_within_each_group_is_listed_with_its_reason(make_inputs):
    data = make_inputs(n=60)
    capacity = data["capacity"].set_index("city")
    outcomes = data["outcomes"]
    high = outcomes["city"].map(capacity["psi_class"]).eq("high")
    outcomes["value"] = np.where(high, 82.0, 75.0)
    row = compare_groups(data["capacity"], outcomes, grouping="psi_class").rows[0]
    assert row.method == "not estimated" and row.reject is None
    assert "constant within each group" in row.reason


def test_an_all_missing_outcome_stays_in_every_table_with_a_note(make_inputs):
    data = make_inputs(n=60, indicators=("satis_city", "walkability"))
    outcomes = data["outcomes"]
    outcomes.loc[outcomes["indicator"] == "walkability", "value"] = np.nan
    report = analyze(data["capacity"], outcomes, controls=data["controls"], settings=QUICK)
    for table in report.tables:
        row = _rows(table)["walkability"]
        assert row.reason == "not estimated: no city has a value", table.name
    assert "not estimated: no city has a value" in render_html(report)


def test_an_all_missing_outcome_asked_for_by_name_says_so(make_inputs):
    data = make_inputs(n=40, indicators=("satis_city", "walkability"))
    outcomes = data["outcomes"]
    outcomes.loc[outcomes["indicator"] == "walkability", "value"] = np.nan
    settings = ComparisonSettings(indicators=("walkability",), groupings=("psi_class",))
    report = analyze(data["capacity"], outcomes, settings=settings)
    (row,) = report.comparisons[0].rows
    assert row.outcome == "walkability" and row.reason == "not estimated: no city has a value"


def test_a_raw_constant_that_cannot_be_rescaled_names_the_value(make_inputs):
    data = make_inputs(n=40, indicators=("satis_city", "noise"))
    outcomes = data["outcomes"]
    noise = outcomes["indicator"] == "noise"
    outcomes.loc[noise, "value"] = np.nan  # min-max of a constant has no index points
    outcomes["raw_value"] = np.where(noise, 12, 1.0)
    row = _rows(compare_groups(data["capacity"], outcomes, grouping="psi_class"))["noise"]
    assert row.reason == (
        "not estimated: all values equal (12 for every city), so they cannot be rescaled to "
        "index points"
    )


@pytest.mark.parametrize(("bad", "shown"), [(0, "population is 0,"), ("n/a", "population is 'n/a',")])
def test_a_city_with_an_unusable_control_is_dropped_and_named(make_inputs, bad, shown):
    data = make_inputs(n=60)
    controls = data["controls"].astype({"population": object})
    controls.loc[3, "population"] = np.int64(bad) if bad == 0 else bad
    report = analyze(data["capacity"], data["outcomes"], controls=controls, settings=QUICK)
    table = report.adjusted[0]
    assert all("city-003-us" in row.dropped for row in table.rows)
    note = next(n for n in table.notes if "city-003-us" in n)
    assert shown in note
    assert "np." not in note and "controls table" not in note
    assert np.isfinite(table.rows[0].estimate)


def test_messages_about_bad_cells_print_plain_numbers(make_inputs):
    data = make_inputs(n=30)
    capacity = data["capacity"].astype({"psi_class": object})
    capacity.loc[0, "psi_class"] = np.float64(3.0)
    outcomes = data["outcomes"]
    outcomes = pd.concat([outcomes, outcomes.iloc[[0]]], ignore_index=True)
    outcomes.loc[1, "value"] = np.float64(150.0)
    with pytest.raises(AnalysisError) as caught:
        compare_groups(capacity, outcomes, grouping="psi_class")
    text = str(caught.value)
    assert "np." not in text
    assert "value 150 is not a number in [0, 100]" in text
    assert "period 2023 appears more than once" in text
    with pytest.raises(AnalysisError) as caught:
        compare_groups(capacity, data["outcomes"], grouping="psi_class")
    assert "column 'psi_class': 3 is not 'high' or 'low'" in str(caught.value)
