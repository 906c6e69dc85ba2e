"""Microdata estimates in the shared result shape: per city and period, estimate, se, interval and
n, with a reason where a cell is missing, and the file and periods in the provenance."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from civicmeter.outcomes import summarise_microdata


def test_summary_frame_gives_city_estimates_with_se_interval_and_n(kc, kc_place_to_live):
    result = summarise_microdata(kc, **kc_place_to_live)
    frame = result.summary_frame()
    assert frame.index.names == ["city_name", "period"]
    assert list(frame.columns) == ["estimate", "se", "ci_lower", "ci_upper", "n", "n_eff", "reason"]
    table = result.to_frame()
    np.testing.assert_array_equal(frame["estimate"], table["estimate"])
    np.testing.assert_array_equal(frame["n"], table["n"])
    assert (frame["reason"] == "").all()
    assert result.provenance.sources == (str(kc),)
    assert result.provenance.periods == ("kc_place_to_live 1QSEP2021",)
    assert "top2 of q1_01" in result.provenance.recipe_version
    read = pd.read_csv(io.StringIO(result.to_csv()))
    assert read.loc[0, "provenance.sources"] == str(kc)


def test_a_city_with_one_valid_answer_says_why_it_has_no_interval():
    answers = pd.DataFrame({"city": ["A", "A", "A", "B"], "q": [4, 5, 2, 3]})
    result = summarise_microdata(
        answers, city_column="city", item="q", scale=(1, 5), indicator="satisfaction", period="2023"
    )
    frame = result.summary_frame()
    assert frame.loc[("B", "2023"), "reason"] == "one valid answer: no standard error or interval"
    assert np.isnan(frame.loc[("B", "2023"), "se"]) and frame.loc[("A", "2023"), "reason"] == ""
    assert result.provenance.sources == ()
