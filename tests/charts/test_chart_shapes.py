"""Shapes with slots draw exactly what the builders drew before: for every chart kind, over varied
labels, orders, values, kinds and languages, the spec, its JSON, the table and the description equal
those of the reference builders (the code before the slots, kept beside this test)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicmeter.charts import (
    Caption,
    Field,
    Span,
    bar_chart,
    grouped_bar_chart,
    interval_chart,
    line_chart,
    stacked_bar_chart,
)

_SPEC = importlib.util.spec_from_file_location(
    "reference_builders", Path(__file__).with_name("reference_builders.py")
)
reference = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(reference)

LABEL = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
LABELS = st.lists(LABEL, min_size=1, max_size=6, unique=True)
SHARE = st.floats(0, 1, allow_nan=False)
LANGUAGE = st.sampled_from(["en", "es", "fr"])
KIND = st.sampled_from(["percent", "count", "number"])
N = st.none() | st.integers(0, 1000)
TITLES = st.fixed_dictionaries({"title": LABEL, "category_title": LABEL, "value_title": LABEL})
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


#: The builders' keyword arguments as they were (column names and titles side by side), turned into
#: today's ``Field`` / ``Span`` / ``Caption``: the reference builders keep the old signatures, and
#: both are fed the very same inputs.
DEFAULT_KIND = {"bar_chart": "percent", "stacked_bar_chart": "percent", "grouped_bar_chart": "percent",
                "interval_chart": "number", "line_chart": "number"}


def from_keywords(builder, rows, **old):
    caption = Caption(
        old.pop("title"), kind=old.pop("kind", DEFAULT_KIND[builder.__name__]),
        language=old.pop("language", "en"), n=old.pop("n", None), subtitle=old.pop("subtitle", None),
    )
    name = builder.__name__
    if name == "line_chart":
        series = old.pop("series", None)
        series_title = old.pop("series_title", None)
        x, y = Field(old.pop("x"), old.pop("x_title")), Field(old.pop("y"), old.pop("y_title"))
        series = None if series is None else Field(series, series_title or series)
        return builder(rows, x=x, y=y, series=series, caption=caption)
    new = {"category": Field(old.pop("category"), old.pop("category_title"))}
    if name == "interval_chart":
        new["estimate"] = Field(old.pop("estimate"), old.pop("value_title"))
        new["interval"] = Span(old.pop("lower"), old.pop("upper"), old.pop("interval_title"))
        new["label"] = Field(old.pop("label"), old.pop("label_title"))
    else:
        new["value"] = Field(old.pop("value"), old.pop("value_title"))
        if "series" in old:
            new["series"] = Field(old.pop("series"), old.pop("series_title"))
    return builder(rows, **new, caption=caption, **old)


def _same(new, old):
    assert new.spec == old.spec
    assert new.json() == old.json()
    assert new.table() == old.table()
    assert new.description == old.description
    assert new.n == old.n


@SETTINGS
@given(labels=LABELS, data=st.data(), titles=TITLES, kind=KIND, language=LANGUAGE, n=N,
       subtitle=st.none() | LABEL, sort=st.booleans())
def test_bar_chart_matches_the_reference(labels, data, titles, kind, language, n, subtitle, sort):
    rows = [{"option": label, "cities": data.draw(SHARE)} for label in labels]
    highlight = data.draw(st.none() | st.sampled_from(labels))
    args = dict(category="option", value="cities", kind=kind, language=language, n=n, subtitle=subtitle,
                highlight=highlight, sort=sort, **titles)
    _same(from_keywords(bar_chart, rows, **args), reference.bar_chart(rows, **args))


@SETTINGS
@given(categories=LABELS, series=LABELS, data=st.data(), titles=TITLES, kind=KIND, language=LANGUAGE, n=N,
       stacked=st.booleans(), given_order=st.booleans())
def test_series_charts_match_the_reference(categories, series, data, titles, kind, language, n, stacked,
                                           given_order):
    rows = [{"c": c, "s": s, "v": data.draw(SHARE)} for c in categories for s in series]
    order = list(reversed(series)) if given_order else None
    args = dict(category="c", series="s", value="v", series_title=titles["category_title"], kind=kind,
                language=language, n=n, series_order=order, **titles)
    new, old = (stacked_bar_chart, reference.stacked_bar_chart) if stacked else (
        grouped_bar_chart, reference.grouped_bar_chart)
    _same(from_keywords(new, rows, **args), old(rows, **args))


@SETTINGS
@given(categories=LABELS, data=st.data(), titles=TITLES, kind=KIND, language=LANGUAGE, n=N,
       zero_line=st.booleans())
def test_interval_chart_matches_the_reference(categories, data, titles, kind, language, n, zero_line):
    rows = []
    for c in categories:
        low, high = sorted((data.draw(SHARE), data.draw(SHARE)))
        rows.append({"o": c, "e": (low + high) / 2, "lo": low, "hi": high, "k": f"{len(c)} / 3"})
    args = dict(category="o", estimate="e", lower="lo", upper="hi", label="k", interval_title="95%",
                label_title="Cities", kind=kind, language=language, n=n, zero_line=zero_line, **titles)
    _same(from_keywords(interval_chart, rows, **args), reference.interval_chart(rows, **args))


@SETTINGS
@given(steps=LABELS, series=st.none() | LABELS, data=st.data(), titles=TITLES, kind=KIND,
       language=LANGUAGE, n=N)
def test_line_chart_matches_the_reference(steps, series, data, titles, kind, language, n):
    rows = [{"w": w, "v": data.draw(SHARE), **({"g": g} if series else {})}
            for g in (series or [None]) for w in steps]
    args = dict(x="w", y="v", title=titles["title"], x_title=titles["category_title"],
                y_title=titles["value_title"], kind=kind, language=language, n=n)
    if series:
        args |= {"series": "g", "series_title": "Group"}
    _same(from_keywords(line_chart, rows, **args), reference.line_chart(rows, **args))


def test_a_citys_own_labels_reuse_the_shape():
    """Two cities' choice charts differ only in their marked labels: one shape serves both."""
    from civicmeter.charts import builders  # noqa: PLC0415 - the cache is the thing under test

    names = {"category": "o", "value": "v", "title": "T", "category_title": "A", "value_title": "N",
             "kind": "count"}
    from_keywords(bar_chart, [{"o": "\u2714 a", "v": 3}, {"o": "b", "v": 1}], **names)
    before = len(builders._SHAPES)
    chart = from_keywords(bar_chart, [{"o": "a", "v": 3}, {"o": "\u2714 b", "v": 4}], **names)
    assert len(builders._SHAPES) == before
    assert chart.spec["layer"][0]["encoding"]["y"]["sort"] == ["\u2714 b", "a"]
