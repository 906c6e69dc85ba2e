from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from civicmeter.outcomes import TIDY_COLUMNS, OutcomesError, summarise_microdata
from civicmeter.params import ParameterError


def raw_answers(path, column):
    with open(path, newline="", encoding="utf-8") as handle:
        return [row[column] for row in csv.DictReader(handle)]


def test_kansas_city_place_to_live_top2_among_valid_answers(kc, kc_place_to_live):
    answers = raw_answers(kc, "q1_01")
    valid = [a for a in answers if a in {"1", "2", "3", "4", "5"}]
    satisfied = sum(a in {"4", "5"} for a in valid)
    result = summarise_microdata(kc, **kc_place_to_live)
    row = result.to_frame().iloc[0]
    assert (row["city_name"], row["period"], row["indicator"]) == (
        "Kansas City",
        "1QSEP2021",
        "kc_place_to_live",
    )
    assert row["n"] == len(valid) == 1026
    assert row["estimate"] == pytest.approx(satisfied / len(valid))
    assert (row["ci_lower"], row["ci_upper"]) == pytest.approx(
        proportion_confint(satisfied, len(valid), method="wilson")
    )
    cleaning = result.cleaning.iloc[0]
    assert cleaning["rows"] == 1033 and cleaning["missing_code"] == answers.count("9") == 7
    assert cleaning[["blank", "out_of_range", "non_numeric", "bad_weight"]].sum() == 0
    assert result.display_frame().columns[5:7].tolist() == ["95% CI lower", "95% CI upper"]


def test_dont_know_in_the_denominator(kc, kc_place_to_live):
    answers = raw_answers(kc, "q1_01")
    whole_file = {**kc_place_to_live, "period_column": None}
    result = summarise_microdata(kc, **whole_file, dont_know_in_denominator=True)
    expected = sum(a in {"4", "5"} for a in answers) / len(answers)
    assert result.table["estimate"].iloc[0] == pytest.approx(expected)
    assert result.table["n"].iloc[0] == 1033
    assert "counted in the denominator as not satisfied" in result.notes[1]


def test_by_council_district_mean(kc):
    result = summarise_microdata(
        kc, city_column="counci", item="q1_01", scale=(1, 5), indicator="kc_place_to_live"
    )
    frame = pd.read_csv(kc)
    valid = frame[frame["q1_01"].between(1, 5)]
    expected = valid.groupby("counci")["q1_01"].agg(["mean", "sem", "size"])
    table = result.table.set_index("city_name")
    assert table.index.tolist() == ["1", "2", "3", "4", "5", "6"]
    assert table["estimate"].to_numpy() == pytest.approx(expected["mean"].to_numpy())
    assert table["se"].to_numpy() == pytest.approx(expected["sem"].to_numpy())
    assert table["n"].tolist() == expected["size"].tolist()


def synthetic():
    return pd.DataFrame(
        {
            "city": ["A", "A", "A", "A", "A", "B", "B", "B", "B", "", "B"],
            "answer": ["5", "4", "9", "", "DK", "0", "2.5", "3", "5", "4", "99"],
            "w": [1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, -1.0, 1.0, 1.0],
        }
    )


def test_cleaning_report_counts_every_reason_per_city():
    result = summarise_microdata(
        synthetic(),
        city_column="city",
        item="answer",
        scale=(1, 5),
        weight_column="w",
        statistic="top2",
        indicator="x",
    )
    cleaning = result.cleaning.set_index("city_name")
    assert cleaning.loc["A"].to_dict() == {
        "period": "",
        "rows": 5,
        "valid": 2,
        "blank": 1,
        "missing_code": 1,
        "out_of_range": 0,
        "non_numeric": 1,
        "bad_weight": 0,
    }
    assert cleaning.loc["B"].to_dict() == {
        "period": "",
        "rows": 5,
        "valid": 1,
        "blank": 0,
        "missing_code": 1,
        "out_of_range": 2,
        "non_numeric": 0,
        "bad_weight": 1,
    }
    notes = " ".join(result.notes)
    assert "1 row(s) with a blank city or period were left out (rows 11)" in notes
    assert "out-of-range values dropped: '0' (1x, row 7)." in notes
    assert "half-point answers dropped (the 1-5 scale takes whole numbers): '2.5' (1x, row 8)" in notes
    assert "non-numeric values dropped: 'DK' (1x, row 6)." in notes
    assert (
        "answers removed by each rule: blank: 1; missing code 9: 1; missing code 99: 1; "
        "out of range: 1; half-point: 1; non-numeric: 1; bad weight: 1." in notes
    )
    assert "1 answer(s) dropped for a blank, zero or negative weight in column 'w' (rows 10)." in notes
    assert "fewer than 30 valid answers" in notes
    assert result.table.set_index("city_name").loc["A", "estimate"] == 1.0


def test_weighted_mean_matches_descrstatsw_and_file_equals_frame(tmp_path):
    rng = np.random.default_rng(7)
    n = 500
    frame = pd.DataFrame(
        {
            "city": rng.choice(["Leeds", "York"], n),
            "wave": "2024",
            "q": rng.integers(1, 6, n),
            "weight": rng.gamma(3.0, 0.5, n).round(4),
        }
    )
    path = tmp_path / "respondents.csv"
    frame.to_csv(path, index=False)
    options = {
        "city_column": "city",
        "period_column": "wave",
        "item": "q",
        "scale": (1, 5),
        "weight_column": "weight",
        "indicator": "x",
    }
    from_file = summarise_microdata(path, **options)
    from_frame = summarise_microdata(frame, **options)
    pd.testing.assert_frame_equal(from_file.table, from_frame.table)
    leeds = frame[frame["city"] == "Leeds"]
    row = from_file.table.set_index("city_name").loc["Leeds"]
    assert row["estimate"] == pytest.approx(DescrStatsW(leeds["q"], weights=leeds["weight"]).mean)
    assert row["n_eff"] < row["n"] == len(leeds)
    assert "linearisation" in from_file.method


def test_share_at_least(kc):
    result = summarise_microdata(
        kc,
        city="KC",
        item="q2_04",
        scale=(1, 5),
        statistic="share_at_least",
        threshold=3,
        interval="logit",
        indicator="kc_quality_of_life",
    )
    answers = [a for a in raw_answers(kc, "q2_04") if a in {"1", "2", "3", "4", "5"}]
    assert result.table["estimate"].iloc[0] == pytest.approx(sum(a >= "3" for a in answers) / len(answers))
    assert result.interval == "logit"


def test_file_problems_are_reported(kc, tmp_path):
    with pytest.raises(OutcomesError, match=r"no column 'q1_1' \(given as item\). Did you mean 'q1_01'"):
        summarise_microdata(kc, city="KC", item="q1_1", scale=(1, 5), indicator="x")
    with pytest.raises(OutcomesError, match="outcomes.E021"):
        summarise_microdata(kc, city="KC", item="q1_01", scale=(6, 8), indicator="x")
    bad = tmp_path / "bad_weights.csv"
    bad.write_text("city,q,w\nA,1,1.0\nA,2,heavy\nA,3,\n", encoding="utf-8")
    with pytest.raises(OutcomesError) as caught:
        summarise_microdata(bad, city_column="city", item="q", scale=(1, 5), weight_column="w", indicator="x")
    assert str(caught.value) == (
        f"[outcomes.E022] {bad}, column 'w': 1 non-numeric weight(s), first at "
        "row(s) 3 (e.g. 'heavy'). Weights must be numbers; fix or blank those cells."
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"city": "A", "city_column": "city"}, "exactly one of 'city'"),
        (
            {"city": "A", "scale": (5, 1)},
            "'scale' parameter of MicrodataSpec must be (min, max)",
        ),
        ({"city": "A", "statistic": "share_at_least"}, "'threshold' parameter"),
        (
            {"city": "A", "statistic": "mean", "dont_know_in_denominator": True},
            "'dont_know_in_denominator'",
        ),
        (
            {"city": "A", "statistic": "median"},
            "'statistic' parameter of MicrodataSpec must be one of",
        ),
        ({"city": "A", "interval": "exact"}, "'interval' parameter"),
        ({"city": "A", "period": "2024", "period_column": "city"}, "'period' (one label"),
    ],
)
def test_parameter_errors(kwargs, message):
    arguments = {"item": "answer", "scale": (1, 5), "indicator": "x", **kwargs}
    with pytest.raises(ParameterError) as caught:
        summarise_microdata(synthetic(), **arguments)
    assert message in str(caught.value)


def test_outcome_rows_for_storage_and_xlsx_input(kc, kc_place_to_live, tmp_path):
    path = tmp_path / "kc.xlsx"
    pd.read_csv(kc, dtype=str).to_excel(path, index=False)
    one_period = {**kc_place_to_live, "period_column": None, "period": "2021Q3"}
    result = summarise_microdata(path, **one_period)
    rows = result.to_outcome_frame(country="us", source="KCMO Resident Survey")
    assert list(rows.columns) == TIDY_COLUMNS
    row = rows.iloc[0]
    assert (row["city_name"], row["country"], row["period"], row["unit"]) == (
        "Kansas City",
        "US",
        "2021Q3",
        "share",
    )
    assert row["value"] == pytest.approx(753 / 1026) and row["n"] == 1026 and row["se"] > 0


answers = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C", ""]),
        st.sampled_from(["1", "2", "3", "4", "5", "9", "", "0", "DK", "4.5"]),
        st.sampled_from([1.0, 2.5, 0.0, -1.0, float("nan")]),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(answers, st.booleans())
def test_law_every_row_is_counted_once_and_n_is_the_valid_count(rows, dont_know_counts):
    frame = pd.DataFrame(rows, columns=["city", "q", "w"])
    try:
        result = summarise_microdata(
            frame,
            city_column="city",
            item="q",
            scale=(1, 5),
            weight_column="w",
            statistic="top2",
            indicator="x",
            dont_know_in_denominator=dont_know_counts,
        )
    except OutcomesError as error:
        assert error.codes == ["outcomes.E021"]
        return
    cleaning = result.cleaning.set_index("city_name")
    parts = ["valid", "blank", "missing_code", "out_of_range", "non_numeric", "bad_weight"]
    assert (cleaning[parts].sum(axis=1) == cleaning["rows"]).all()
    assert cleaning["rows"].sum() == (frame["city"] != "").sum()
    table = result.table.set_index("city_name")
    expected_n = cleaning["valid"] + (cleaning["missing_code"] if dont_know_counts else 0)
    # A counted answer with an unusable weight is reported as bad_weight, never as valid.
    assert (table["n"] == expected_n.loc[table.index]).all()
    assert table["estimate"].dropna().between(0, 1).all()


def test_text_missing_codes_count_as_dont_know():
    frame = pd.DataFrame({"q": ["5", "dk", "DK", "2", "x"]})
    result = summarise_microdata(
        frame,
        city="A",
        item="q",
        scale=(1, 5),
        statistic="top2",
        missing_codes=(9, "DK"),
        dont_know_in_denominator=True,
        indicator="x",
    )
    cleaning = result.cleaning.iloc[0]
    assert (cleaning["missing_code"], cleaning["non_numeric"]) == (2, 1)
    assert result.table["estimate"].iloc[0] == pytest.approx(1 / 4)
    assert 'missing codes (9, DK, e.g. "don\'t know")' in result.notes[1]
