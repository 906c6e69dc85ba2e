"""The report page a reader sees: n per group, whole labels, one unit per axis, intervals for small
group means, reasons beside the OECD's adjusted claim, cautions and full provenance."""

from __future__ import annotations

import re

import numpy as np

from civicmeter.analysis import (
    AdjustedRow,
    ComparisonRow,
    ComparisonSettings,
    ResultTable,
    analyze,
    compare_groups,
    published_beside,
)
from civicmeter.analysis.chart import LABEL_CHARS, difference_chart
from civicmeter.analysis.report_html import render_html
from civicmeter.provenance import code_version

LONG = "Satisfied with public spaces such as markets, squares and pedestrian areas"
CODES = ("satis_city", "satis_publicspaces", "life_expectancy")


def _report(make_inputs, **kwargs):
    data = make_inputs(n=60, n_data_use=8, indicators=CODES)
    catalogue = data["catalogue"].assign(rescale=["share", "share", "minmax"])
    catalogue.loc[1, "name"] = LONG
    settings = ComparisonSettings(n_resamples=199, **kwargs)
    return analyze(
        data["capacity"],
        data["outcomes"],
        controls=data["controls"],
        catalogue=catalogue,
        settings=settings,
    )


def test_chart_shows_n_per_group_and_whole_labels(make_inputs):
    report = _report(make_inputs, groupings=("psi_class",))
    svg = difference_chart(list(report.comparisons))
    table = report.comparisons[0]
    for row in table.rows:
        assert f">n = {row.n_high} | {row.n_low}</text>" in svg
    lines = []
    for match in re.finditer(r'<text class="label"[^>]*>(.*?)</text>', svg):
        spans = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", match.group(1))
        assert all(len(s) <= LABEL_CHARS for s in spans)
        lines.append(" ".join(spans))
    assert LONG in lines and "…" not in svg


def test_one_axis_never_mixes_percentage_points_and_index_points(make_inputs):
    report = _report(make_inputs, groupings=("psi_class",))
    svg = difference_chart(list(report.comparisons))
    axes = re.findall(r'class="axis-title">([^<]*)<', svg)
    assert axes == [
        "difference in percentage points (high minus low)",
        "difference in index points (high minus low)",
    ]
    units = {row.outcome: row.unit for row in report.comparisons[0].rows}
    assert units == {
        "satis_city": "percentage points",
        "satis_publicspaces": "percentage points",
        "life_expectancy": "index points",
    }


def test_a_group_mean_of_two_cities_has_an_interval(make_inputs):
    data = make_inputs(n=40, n_data_use=6)
    capacity = data["capacity"]
    data_use = capacity["data_use_class"].notna()
    capacity.loc[data_use, "data_use_class"] = ["high", "high", "low", "low", "low", "low"]
    table = compare_groups(capacity, data["outcomes"], grouping="data_use_class")
    row = table.rows[0]
    assert row.n_high == 2 and row.method == "not estimated"
    values = data["outcomes"].set_index("city").query("indicator == @row.outcome")["value"]
    high = values[capacity.loc[data_use, "city"].iloc[:2]].to_numpy()
    half = 12.706204736174705 * high.std(ddof=1) / np.sqrt(2)  # t(0.975, 1 df)
    expected = [high.mean() - half, high.mean() + half]
    assert np.allclose([row.high_ci_lower, row.high_ci_upper], expected)
    shown = table.display_frame().iloc[0, 1]
    assert shown == f"{high.mean():.1f} ({high.mean() - half:.1f} to {high.mean() + half:.1f})"


def _tables(raw_interval, adjusted_p=np.nan, reason=""):
    comparison = ComparisonRow(
        outcome="satis_city",
        outcome_name="Satisfied with the city",
        estimate=4.0,
        se=1.0,
        ci_lower=raw_interval[0],
        ci_upper=raw_interval[1],
        p_value=0.01,
        method="welch",
        n_high=30,
        n_low=30,
    )
    adjusted = AdjustedRow(
        outcome="satis_city",
        outcome_name="Satisfied with the city",
        estimate=np.nan if reason else 2.0,
        se=np.nan if reason else 1.5,
        ci_lower=np.nan if reason else -1.0,
        ci_upper=np.nan if reason else 5.0,
        p_value=adjusted_p,
        method="not estimated" if reason else "ols-hc3",
        n=0 if reason else 50,
        reason=reason,
    )
    common = {"sample": "psi", "alpha": 0.05, "correction": "fdr_bh"}
    return (
        [ResultTable(name="comparison_psi_class", title="c", rows=(comparison,), **common)],
        [ResultTable(name="adjusted_psi_class", title="a", rows=(adjusted,), **common)],
    )


def test_a_raw_gap_that_excludes_zero_beside_a_non_significant_adjusted_p_is_cautioned():
    comparisons, adjusted = _tables((1.0, 7.0), adjusted_p=0.21)
    row = published_beside(comparisons, adjusted=adjusted).set_index("indicator").loc["satis_city"]
    assert row["caution"].startswith("Caution: the raw difference's interval excludes zero")
    assert "p = 0.21" in row["caution"]
    comparisons, adjusted = _tables((-1.0, 7.0), adjusted_p=0.21)
    row = published_beside(comparisons, adjusted=adjusted).set_index("indicator").loc["satis_city"]
    assert row["caution"] == ""


def test_a_missing_adjusted_estimate_says_why_beside_the_oecd_claim(make_inputs):
    data = make_inputs(n=60, indicators=("satis_city",))
    controls = data["controls"].rename(columns={"gdp_per_capita": "median_income"})
    controls.loc[controls["country"] != "us", "median_income"] = np.nan
    us = set(controls.loc[controls["country"] == "us", "city"])
    outcomes = data["outcomes"][~data["outcomes"]["city"].isin(us)]
    report = analyze(
        data["capacity"],
        outcomes,
        controls=controls,
        settings=ComparisonSettings(groupings=("psi_class",), n_resamples=199),
    )
    row = report.published.set_index("indicator").loc["satis_city"]
    assert row["adjusted_reason"] == (
        f"not estimated: none of the {len(outcomes)} cities with this outcome has economy "
        "(log median income)"
    )
    assert row["adjusted_reason"] in render_html(report)


def test_provenance_names_the_commit_the_run_time_and_the_outcome_periods(make_inputs):
    page = render_html(_report(make_inputs, groupings=("psi_class",)))
    provenance = page[page.index("<h2>Provenance</h2>") :]
    assert f"<dd>{code_version()}</dd>" in provenance and "+" in code_version()
    assert re.search(r"<dt>run_at</dt><dd>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ</dd>", provenance)
    assert "<dd>satis_city 2023; satis_publicspaces 2023; life_expectancy 2023</dd>" in provenance
