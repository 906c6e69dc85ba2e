"""The charts package: every builder's spec is valid Vega-Lite, draws as SVG and carries its table."""

from __future__ import annotations

import json

import altair as alt
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicmeter.charts import (
    Caption,
    ChartTable,
    Field,
    Span,
    bar_chart,
    grouped_bar_chart,
    interval_chart,
    line_chart,
    stacked_bar_chart,
)
from civicmeter.charts.formats import format_value
from civicmeter.params import ParameterError

FACTORS = [{"factor": "Leadership", "share": 0.8}, {"factor": "Funding <script>x</script>", "share": 0.55}]
ANSWERS = [
    {"factor": f, "answer": a, "share": v}
    for f in ("Leadership", "Funding")
    for a, v in (("Very important", 0.5), ("Somewhat important", 0.3), ("Not important", 0.2))
]
SERIES = {"category": Field("factor", "Factor"), "series": Field("answer", "Answer"),
          "value": Field("share", "Share of cities")}
FACTOR, SHARE = Field("factor", "Factor"), Field("share", "Share")


def _all_charts():
    return {
        "bar": bar_chart(FACTORS, category=FACTOR, value=Field("share", "Share of cities"),
                         caption=Caption("Factors lacking", kind="percent", n=87), highlight="Leadership"),
        "stacked": stacked_bar_chart(ANSWERS, caption=Caption("Importance", kind="percent", n=80), **SERIES),
        "grouped": grouped_bar_chart(ANSWERS, caption=Caption("Funding", kind="percent", n=80), **SERIES),
        "interval": interval_chart(
            [{"o": "Trust", "e": 3.0, "lo": -1.0, "hi": 7.0, "n": "31 / 29"}], category=Field("o", "Outcome"),
            estimate=Field("e", "Difference"), interval=Span("lo", "hi", "95% interval"),
            label=Field("n", "Cities"), caption=Caption("High minus low", kind="number")),
        "line": line_chart([{"w": "2018", "v": 5.0}, {"w": "2020", "v": 6.0}], x=Field("w", "Wave"),
                           y=Field("v", "Index"), caption=Caption("PSI", kind="number")),
    }


CHARTS = _all_charts()
SCHEMA = alt.load_schema()


@pytest.mark.parametrize("kind", sorted(CHARTS))
def test_spec_is_valid_vega_lite(kind):
    jsonschema.validate(CHARTS[kind].spec, SCHEMA)


@pytest.mark.parametrize("kind", sorted(CHARTS))
def test_svg_is_one_labelled_image(kind):
    chart = CHARTS[kind]
    svg = chart.svg()
    assert svg.startswith('<svg role="img" aria-label="')
    assert chart.title in svg
    assert "<script" not in svg  # labels are text, escaped by the renderer
    if chart.n is not None:
        assert f"n = {chart.n}" in svg


def test_json_block_cannot_close_its_script_element():
    text = CHARTS["bar"].json()
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == CHARTS["bar"].spec


def test_bar_table_sorted_and_formatted_with_the_language_marks():
    caption = Caption("T", kind="percent", language="fr")
    chart = bar_chart(FACTORS, category=FACTOR, value=SHARE, caption=caption)
    assert chart.table() == ChartTable(
        "T", ("Factor", "Share"), (("Leadership", "80\u202f%"), ("Funding <script>x</script>", "55\u202f%"))
    )
    assert chart.description == "T. Leadership: 80\u202f%; Funding <script>x</script>: 55\u202f%."
    assert chart.spec["config"]["locale"]["number"]["decimal"] == ","


def test_highlight_marks_only_the_named_category():
    values = CHARTS["bar"].spec["datasets"]["table"]
    assert [v["_highlight"] for v in values] == [True, False]


def test_wide_table_has_one_column_per_answer_in_order():
    table = CHARTS["stacked"].table()
    assert table.columns == ("Factor", "Very important", "Somewhat important", "Not important")
    assert table.rows[0] == ("Leadership", "50%", "30%", "20%")


def test_a_missing_field_names_the_fields_needed():
    with pytest.raises(ValueError, match=r"lack the fields \['share'\]"):
        bar_chart([{"factor": "x"}], category=FACTOR, value=SHARE, caption=Caption("T", kind="percent"))


def test_a_bad_kind_is_refused_with_the_standard_message():
    with pytest.raises(ParameterError, match="'kind' parameter of Caption"):
        Caption("T", kind="money")
    with pytest.raises(ParameterError, match="'category' parameter of bar_chart"):
        bar_chart(FACTORS, category="factor", value=SHARE, caption=Caption("T", kind="percent"))


@given(st.integers(min_value=-10**9, max_value=10**9))
def test_counts_group_thousands_and_read_back(number):
    for language, sep in (("en", ","), ("es", "."), ("fr", "\u202f")):
        text = format_value(number, "count", language)
        assert int(text.replace(sep, "")) == number


@pytest.mark.parametrize(("value", "kind", "language", "text"), [
    (0.5, "percent", "en", "50%"), (0.5, "percent", "es", "50\u00a0%"), (1234.56, "number", "es", "1.234,6"),
    (None, "count", "en", "\u2013"), (float("nan"), "number", "fr", "\u2013"),
])
def test_format_value(value, kind, language, text):
    assert format_value(value, kind, language) == text


def test_a_shape_is_built_once_and_filled_with_each_charts_rows():
    names = {"category": FACTOR, "value": SHARE, "caption": Caption("T", kind="percent")}
    first = bar_chart(FACTORS, **names)
    other = [{"factor": "Leadership", "share": 0.9}, {"factor": "Funding <script>x</script>", "share": 0.1}]
    second = bar_chart(other, **names)
    assert first.spec["datasets"]["table"][0]["share"] == 0.8
    assert second.spec["datasets"]["table"][0]["share"] == 0.9
    assert {k: v for k, v in first.spec.items() if k not in ("datasets", "description")} == {
        k: v for k, v in second.spec.items() if k not in ("datasets", "description")
    }
