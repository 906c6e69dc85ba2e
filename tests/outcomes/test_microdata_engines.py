"""The DuckDB path (cells summed in one streaming GROUP BY) gives exactly what the in-memory path
gives: the same estimates, cleaning report and notes, row numbers included."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicmeter.outcomes import OutcomesError, respondents, summarise_microdata


def both(path, monkeypatch, **spec):
    monkeypatch.setattr(respondents, "DUCKDB_MIN_BYTES", 1 << 62)
    in_memory = summarise_microdata(path, **spec)
    monkeypatch.setattr(respondents, "DUCKDB_MIN_BYTES", 0)
    calls = []
    original = respondents.grouped_cells
    monkeypatch.setattr(respondents, "grouped_cells", lambda *a, **k: calls.append(1) or original(*a, **k))
    summed = summarise_microdata(path, **spec)
    assert calls, "the DuckDB path was not taken"
    return in_memory, summed


def assert_same(a, b):
    pd.testing.assert_frame_equal(a.table, b.table, check_dtype=False, rtol=1e-12)
    pd.testing.assert_frame_equal(a.cleaning, b.cleaning, check_dtype=False)
    assert a.notes == b.notes


def test_kansas_city_by_district(fixtures, monkeypatch):
    path = fixtures / "kcmo-resident-survey/FY2022_RS_slice.csv"
    a, b = both(
        path,
        monkeypatch,
        city_column="counci",
        period_column="quarte",
        item="q2_04",
        scale=(1, 5),
        statistic="top2",
        indicator="x",
    )
    assert_same(a, b)


def test_odd_values_blank_groups_and_bad_weights(tmp_path, monkeypatch):
    path = tmp_path / "survey.csv"
    pd.DataFrame(
        {
            "city": ["A", "A", "A", "A", "A", "B", "B", "B", "B", "", "B", " A"],
            "answer": ["5", "4", "9", "", "DK", "0", "2.5", "3", "5", "4", "99", "NA"],
            "w": ["1", "2", "1", "1", "1", "1", "1", "2", "-1", "1", "1", ""],
        }
    ).to_csv(path, index=False)
    a, b = both(
        path,
        monkeypatch,
        city_column="city",
        item="answer",
        scale=(1, 5),
        weight_column="w",
        statistic="top2",
        indicator="x",
    )
    assert_same(a, b)
    assert "(rows 10)" in " ".join(b.notes)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", " C", ""]),
            st.sampled_from(["1", "2", "3", "4", "5", "9", "", "0", "DK", "4.5", "99"]),
            st.sampled_from(["1", "2.5", "0", "-1", ""]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_law_both_paths_agree(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("law") / "survey.csv"
    pd.DataFrame(rows, columns=["city", "q", "w"]).to_csv(path, index=False)
    spec = dict(
        city_column="city", item="q", scale=(1, 5), weight_column="w", statistic="top2", indicator="x"
    )
    with pytest.MonkeyPatch.context() as monkeypatch:
        try:
            a, b = both(path, monkeypatch, **spec)
        except OutcomesError as error:
            assert error.codes == ["outcomes.E021"]
            return
    assert_same(a, b)


def test_non_numeric_weights_are_reported_by_row_on_the_duckdb_path(tmp_path, monkeypatch):
    path = tmp_path / "survey.csv"
    path.write_text("city,q,w\nA,4,1\nA,5,heavy\n", encoding="utf-8")
    monkeypatch.setattr(respondents, "DUCKDB_MIN_BYTES", 0)
    with pytest.raises(OutcomesError) as caught:
        summarise_microdata(
            path, city_column="city", item="q", scale=(1, 5), weight_column="w", indicator="x"
        )
    assert caught.value.codes == ["outcomes.E022"] and "row(s) 3" in str(caught.value)


def test_progress_is_reported_while_duckdb_reads(fixtures, monkeypatch):
    monkeypatch.setattr(respondents, "DUCKDB_MIN_BYTES", 0)
    seen = []
    summarise_microdata(
        fixtures / "kcmo-resident-survey/FY2022_RS_slice.csv",
        city="Kansas City",
        item="q1_01",
        scale=(1, 5),
        indicator="x",
        progress=seen.append,
    )
    assert seen and seen[-1] == 100.0 and all(0 <= p <= 100 for p in seen)


def test_an_answer_past_the_sniffers_sample_that_is_not_a_number(tmp_path, monkeypatch):
    """DuckDB types the item from a sample of rows; a "DK" or a "4.5" further down makes it read
    the item again (as text, or as decimals), with the same result as the in-memory path."""
    path = tmp_path / "survey.csv"
    rows = ["city,q"] + [f"{'AB'[i % 2]},{1 + i % 5}" for i in range(60_000)]
    path.write_text("\n".join([*rows, "A,DK", "B,4.5", "A,0", "B,99", "A,04", ""]), encoding="utf-8")
    a, b = both(
        path, monkeypatch, city_column="city", item="q", scale=(1, 5), statistic="mean", indicator="x"
    )
    assert_same(a, b)
    assert "'DK' (1x, row 60002)" in " ".join(b.notes)


def test_a_numeric_item_names_odd_values_and_their_rows_as_written(tmp_path, monkeypatch):
    """All answers numbers: DuckDB reads them as numbers, pandas makes numeric categories; the
    notes name the same values, in numeric order, with the same rows."""
    path = tmp_path / "survey.csv"
    path.write_text("city,q\nA,4\nA,0\nB,7.5\nB,5\nA,0\nB,10\n", encoding="utf-8")
    a, b = both(
        path, monkeypatch, city_column="city", item="q", scale=(1, 5), statistic="mean", indicator="x"
    )
    assert_same(a, b)
    assert "out-of-range values dropped: '0' (2x, row 3, 6); '7.5' (1x, row 4); '10' (1x, row 7)." in b.notes
