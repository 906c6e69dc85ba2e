"""Missing codes against the answer scale, half-point answers, plain numbers and bounded notes.

Issue 8 items 1-2: a code such as 9 is a "don't know" on a 1-5 scale but a valid answer on 0-10;
applying it there silently lowered a real city's happiness mean. The fixture is a slice in the
shape of a 0-10 well-being survey (answers 0-10, 99 = no answer, a few 7.5s).
"""

from __future__ import annotations

import pandas as pd
import pytest

from civicmeter.outcomes import summarise_microdata
from civicmeter.outcomes.microdata import NOTE_VALUES
from civicmeter.outcomes.microdata_spec import MicrodataSpec
from civicmeter.params import ParameterError


@pytest.fixture
def happiness(tmp_path):
    answers = ["9", "9", "10", "8", "99", "7", "9", "7.5", "", "6", "9", "8.5"]
    path = tmp_path / "happiness.csv"
    pd.DataFrame({"year": "2011", "happy": answers}).to_csv(path, index=False)
    return path


def test_default_codes_inside_the_scale_are_not_applied(happiness):
    result = summarise_microdata(
        happiness, city="Santa Monica", period_column="year", item="happy", scale=(0, 10), indicator="x"
    )
    valid = [9, 9, 10, 8, 7, 9, 6, 9]
    row = result.table.iloc[0]
    assert row["n"] == len(valid)
    assert row["estimate"] == pytest.approx(sum(valid) / len(valid))
    notes = " ".join(result.notes)
    assert 'missing codes (99, e.g. "don\'t know")' in notes
    assert "the usual missing code(s) 9 are valid answers on the 0-10 scale" in notes
    assert "missing code 99: 1;" in notes and "half-point: 2;" in notes and "blank: 1;" in notes


def test_explicit_code_inside_the_scale_is_refused_with_the_fix(happiness):
    with pytest.raises(ParameterError) as caught:
        summarise_microdata(
            happiness, city="A", item="happy", scale=(0, 10), missing_codes=(9, 99), indicator="x"
        )
    message = str(caught.value)
    assert "missing code(s) 9 lie inside the answer scale 0-10" in message
    assert "--missing-codes 99,DK" in message


def test_half_points_kept_when_asked(happiness):
    result = summarise_microdata(
        happiness, city="A", item="happy", scale=(0, 10), half_points="keep", indicator="x"
    )
    valid = [9, 9, 10, 8, 7, 9, 7.5, 6, 9, 8.5]
    assert result.table["n"].iloc[0] == len(valid)
    assert result.table["estimate"].iloc[0] == pytest.approx(sum(valid) / len(valid))
    assert "half-point" not in " ".join(result.notes)


def test_numbers_are_printed_plainly_and_every_odd_value_is_named_up_to_a_bound():
    odd = [11.0 + i for i in range(NOTE_VALUES + 4)]
    frame = pd.DataFrame({"q": [3.5, 3.0, 4.0, *odd]})
    result = summarise_microdata(frame, city="A", item="q", scale=(1, 5), indicator="x")
    notes = "\n".join(result.notes)
    assert "np.float64" not in notes
    assert "'3.5' (1x, row 2)" in notes
    assert "'11' (1x, row 5)" in notes and f"'{11 + NOTE_VALUES - 1}'" in notes
    assert f"'{11 + NOTE_VALUES}'" not in notes
    assert "and 4 more distinct value(s)" in notes


def test_rows_with_bad_weights_are_named():
    frame = pd.DataFrame({"q": ["4", "5", "3", "9", "2"], "w": [1.0, 0.0, None, 0.0, -2.0]})
    result = summarise_microdata(frame, city="A", item="q", scale=(1, 5), weight_column="w", indicator="x")
    # row 5 ("9", a missing code) is dropped for its code, not for its weight
    assert "3 answer(s) dropped for a blank, zero or negative weight in column 'w' (rows 3, 4, 6)." in (
        result.notes
    )


def test_spec_round_trips_through_a_mapping_and_refuses_unknown_options():
    spec = MicrodataSpec(item="q", scale=(1, 5), indicator="x", city="A", missing_codes=(9, "DK"))
    assert MicrodataSpec.from_mapping(spec.to_mapping()) == spec
    with pytest.raises(ParameterError, match="no option 'scael'"):
        MicrodataSpec.from_mapping({"item": "q", "scael": [1, 5], "indicator": "x", "city": "A"})
    with pytest.raises(ParameterError, match="'half_points' parameter of MicrodataSpec"):
        MicrodataSpec(item="q", scale=(1, 5), indicator="x", city="A", half_points="round")
    needs = r"needs a value for indicator \(required: item, scale, indicator\)"
    with pytest.raises(ParameterError, match=needs):  # a TypeError with a traceback before
        MicrodataSpec.from_mapping({"item": "q", "scale": [1, 5], "city": "A"})
