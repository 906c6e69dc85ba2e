"""The pandas-free table text and CSV are what pandas writes for the same columns, so the microdata
command prints and writes exactly what it did when it went through data frames."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from civicmeter.outcomes import respondents, summarise_microdata
from civicmeter.outcomes.plain_table import text_table, write_csv

floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=False, width=64),
    st.floats(min_value=-10, max_value=10),
    st.sampled_from([0.0, 0.5, 1.0, 158.0, 1e-8, 2e7, 0.1234567891, np.nan]),
)
texts = st.text(alphabet=st.sampled_from(list("ab Z9,\"'\t.-é")), max_size=6)


@st.composite
def column_sets(draw):
    rows = draw(st.integers(1, 6))
    kinds = draw(st.lists(st.sampled_from(["float", "int", "text"]), min_size=1, max_size=4))
    columns = {}
    for i, kind in enumerate(kinds):
        name = draw(st.sampled_from(["n", "estimate", "city_name", "95% CI lower"])) + str(i)
        if kind == "float":
            columns[name] = np.array(draw(st.lists(floats, min_size=rows, max_size=rows)), dtype=float)
        elif kind == "int":
            values = draw(st.lists(st.integers(-(10**6), 10**9), min_size=rows, max_size=rows))
            columns[name] = np.array(values, dtype=np.int64)
        else:
            columns[name] = np.array(draw(st.lists(texts, min_size=rows, max_size=rows)), dtype=object)
    return columns


@settings(max_examples=200, deadline=None)
@given(column_sets())
def test_text_table_is_pandas_to_string(columns):
    assert text_table(columns) == pd.DataFrame(columns).to_string(index=False)


@settings(max_examples=100, deadline=None)
@given(column_sets())
def test_csv_is_pandas_to_csv(tmp_path_factory, columns):
    path = tmp_path_factory.mktemp("csv") / "out.csv"
    write_csv(columns, str(path))
    assert path.read_text(encoding="utf-8") == pd.DataFrame(columns).to_csv(index=False)


def test_estimates_csv_and_text_as_through_data_frames(fixtures, tmp_path):
    result = summarise_microdata(
        fixtures / "kcmo-resident-survey/FY2022_RS_slice.csv",
        city_column="counci",
        period_column="quarte",
        item="q2_04",
        scale=(1, 5),
        statistic="top2",
        indicator="x",
    )
    result.write_estimates(tmp_path / "est.csv")
    frame = result.to_frame().assign(method=result.method, alpha=result.alpha)
    assert (tmp_path / "est.csv").read_text(encoding="utf-8") == frame.to_csv(index=False)
    text = result.to_text()
    assert result.display_frame().to_string(index=False) in text
    assert result.cleaning.to_string(index=False) in text


def test_a_large_csv_is_reduced_printed_and_written_without_pandas(tmp_path, monkeypatch):
    """The command's start-up: DuckDB sums the file; pandas is never imported."""
    path = tmp_path / "survey.csv"
    path.write_text("city,q,w\n" + "A,4,1\nB,9,2\nA,0,1\n, 5,1\n" * 50, encoding="utf-8")
    code = f"""
import sys
from civicmeter.outcomes import respondents, summarise_microdata
respondents.DUCKDB_MIN_BYTES = 0
result = summarise_microdata({str(path)!r}, city_column="city", item="q", scale=(1, 5),
                             weight_column="w", statistic="top2", indicator="x")
result.to_text()
result.write_estimates({str(tmp_path / "est.csv")!r})
assert "pandas" not in sys.modules, "pandas was imported"
"""
    subprocess.run([sys.executable, "-c", code], check=True)
    monkeypatch.setattr(respondents, "DUCKDB_MIN_BYTES", 0)
    result = summarise_microdata(
        path, city_column="city", item="q", scale=(1, 5), weight_column="w", statistic="top2", indicator="x"
    )
    assert "out-of-range values dropped: '0' (50x, row 4, 8, 12 and 47 more)" in " ".join(result.notes)
