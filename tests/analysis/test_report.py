
import numpy as np
import pandas as pd
import pytest

from civicmeter.analysis import AnalysisError, ComparisonSettings, Provenance, analyze
from civicmeter.analysis.language import CAUSATION
from civicmeter.analysis.report_html import render_html
from civicmeter.params import ParameterError

OECD_CODES = ("satis_city", "life_satisfaction_share", "walkability")
PSI_ONLY = ComparisonSettings(groupings=("psi_class",))


@pytest.fixture
def report(make_inputs):
    data = make_inputs(n=90, n_data_use=40, indicators=OECD_CODES)
    return analyze(
        data["capacity"],
        data["outcomes"],
        controls=data["controls"],
        catalogue=data["catalogue"],
        settings=ComparisonSettings(n_resamples=499),
        provenance=Provenance(wave="2026-spring", instrument_version="1.2", recipe_version="psi-1"),
    )


def test_every_grouping_with_data_gets_a_table(report):
    names = [table.name for table in report.comparisons]
    assert names == [
        "comparison_psi_class",
        "comparison_data_use_class",
        "comparison_dedicated_staff",
        "comparison_formal_strategy",
        "comparison_holistic_approach",
        "comparison_practice_open_data",
    ]
    assert [table.name for table in report.adjusted] == [
        "adjusted_psi_class",
        "adjusted_data_use_class",
    ]
    assert {t.sample for t in report.comparisons} == {"psi", "data_use"}


def test_samples_never_mixed_in_any_table(report, make_inputs):
    data = make_inputs(n=90, n_data_use=40, indicators=OECD_CODES)
    psi_cities = int(data["capacity"]["psi_class"].notna().sum())
    for table in report.tables:
        for row in table.rows:
            limit = psi_cities if table.sample == "psi" else 90 - psi_cities
            assert row.n <= limit
        assert any("never pooled" in note for note in table.notes)


def test_to_tables_is_csv_ready_and_carries_flags(report):
    tables = report.to_tables()
    assert set(tables) >= {"comparison_psi_class", "published_figures", "summaries", "settings"}
    for name, frame in tables.items():
        assert isinstance(frame, pd.DataFrame)
        frame.to_csv()
        if name.startswith(("comparison_", "adjusted_")):
            expected = ["estimate", "se", "ci_lower", "ci_upper", "n", "p_adjusted", "reject"]
            assert set(expected) <= set(frame.columns)
    settings = dict(tables["settings"].itertuples(index=False))
    assert settings["provenance.wave"] == "2026-spring"
    assert settings["seed"] == "20210101"


def test_published_figures_sit_beside_ours(report):
    published = report.published.set_index(["grouping", "indicator"])
    satisfied = published.loc[("psi_class", "satis_city")]
    assert satisfied["published_high"] == "86%"
    assert satisfied["published_low"] == "82%"
    assert satisfied["published_difference"] == "4 points"
    ours = report.comparisons[0].rows[0]
    assert satisfied["our_difference"] == pytest.approx(ours.estimate)
    assert satisfied["n_high"] == ours.n_high
    adjusted = report.adjusted[0].rows[0]
    assert satisfied["adjusted_difference"] == pytest.approx(adjusted.estimate)
    assert satisfied["adjusted_n"] == adjusted.n
    staff = published.loc[("dedicated_staff", "satis_city")]
    assert pd.isna(staff["adjusted_difference"])
    assert (staff["published_high"], staff["published_low"]) == ("85%", "76%")


def test_language_never_claims_causation_and_says_shared_caveats_once(report):
    assert report.summaries
    assert sum("causes" in caveat for caveat in report.caveats) == 1
    assert "none is evidence that capacity causes" in report.caveats[0]
    for _, _, text in report.summaries:
        assert "caus" not in text.lower(), text
        assert "association" not in text, text  # said once above, not in every sentence
        assert "n = " in text and "95% CI" in text
    page = render_html(report)
    words = page[page.index("In plain words") : page.index("Group comparisons")]
    assert words.count(CAUSATION.replace("'", "&#x27;")) == 1


def test_synthetic_capacity_is_announced(make_inputs):
    data = make_inputs(n=50)
    data["capacity"]["synthetic"] = "yes"
    report = analyze(
        data["capacity"],
        data["outcomes"],
        settings=ComparisonSettings(groupings=("psi_class",), n_resamples=199),
    )
    assert report.synthetic
    assert "synthetic" in report.notes[0]
    assert "synthetic" in report.caveats[0]
    assert not any("synthetic" in text for _, _, text in report.summaries)


def test_without_controls_there_are_no_adjusted_tables(make_inputs):
    data = make_inputs(n=50)
    report = analyze(data["capacity"], data["outcomes"], settings=PSI_ONLY)
    assert report.adjusted == ()
    page = render_html(report)
    assert "Not computed: no city size and income figures" in page
    assert "controls table" not in page  # a web user never sees such a table


def test_no_overlap_and_bad_arguments(make_inputs):
    data = make_inputs(n=30)
    outcomes = data["outcomes"].assign(city="elsewhere")
    outcomes = outcomes.drop_duplicates(["city", "indicator"])
    with pytest.raises(AnalysisError, match="analysis.E007"):
        analyze(data["capacity"], outcomes)
    with pytest.raises(ParameterError, match="'correction' parameter of ComparisonSettings"):
        ComparisonSettings(correction="sidak")
    with pytest.raises(ParameterError, match="'capacity' parameter of analyze"):
        analyze(data["capacity"].drop(columns="psi_class"), data["outcomes"])


def test_interval_headers_follow_alpha(make_inputs):
    data = make_inputs(n=60)
    report = analyze(
        data["capacity"], data["outcomes"], settings=ComparisonSettings(groupings=("psi_class",), alpha=0.1)
    )
    text = report.comparisons[0].summary()
    assert "90% CI lower" in text and "95%" not in text
    row = report.comparisons[0].rows[0]
    assert row.ci_upper - row.ci_lower < 2 * 1.96 * row.se


def test_unmatched_outcome_cities_are_noted(make_inputs):
    data = make_inputs(n=40)
    extra = pd.DataFrame([{"city": "nowhere-xx", "indicator": "walkability", "value": 50.0}])
    report = analyze(
        data["capacity"], pd.concat([data["outcomes"], extra]), settings=PSI_ONLY
    )
    assert any("nowhere-xx" in note for note in report.notes)
    assert np.isfinite(report.comparisons[0].rows[0].estimate)
