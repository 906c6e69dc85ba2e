"""The chart kinds Civicmeter draws, each a function from rows (dicts) to a :class:`Chart`.

Rows are plain dicts so the domain, a selector or a DataFrame's ``to_dict("records")`` can feed a
chart alike. Titles, axis titles and table headers come from the caller already translated; values
are written with the page language's number marks. Every builder states ``n`` (the cities behind the
chart) in the subtitle, since a share means little without it.
"""

from __future__ import annotations

import json
import textwrap
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import altair as alt
from altair.utils.schemapi import debug_mode

from civicmeter.charts import theme
from civicmeter.charts.chart import Chart, ChartTable
from civicmeter.charts.formats import D3_FORMATS, KINDS, LANGUAGES, format_value
from civicmeter.params import NONE, InstanceOf, Interval, Options, validate_params

ROWS = [InstanceOf((list, tuple), "a list of dicts")]
TEXT = [InstanceOf(str, "a str")]
OPTIONAL_TEXT = [InstanceOf((str, type(None)), "a str or None")]
N = [Interval(int, 0, None, closed="left"), NONE]
KIND = [Options(KINDS)]
LANGUAGE = [Options(LANGUAGES)]
STEP = 24  # pixels per bar or row
TITLE_CHARS, SUBTITLE_CHARS = 60, 80  # characters per title line at 15 px and subtitle line at 12 px


def _lines(text: str, width: int) -> list[str]:
    """Vega does not wrap titles; a long one is split into lines that fit the chart's width."""
    return textwrap.wrap(text, width=width, break_long_words=False) or [text]


def _subtitle(subtitle: str | None, n: int | None) -> list[str]:
    lines = _lines(subtitle, SUBTITLE_CHARS) if subtitle else []
    if n is not None:
        lines.append(f"n = {n}")
    return lines


#: The chart's rows are a named dataset, so a spec's shape (everything but the numbers) is built by
#: Altair once and reused: a snapshot per city draws the same shapes with other values. The lists
#: that follow the data (the categories' order, a city's own name among the series) are slots in the
#: shape, filled per chart, so a city's own labels do not rebuild it.
TABLE = alt.Data(name="table")
_SHAPES: dict[tuple, str] = {}
_SHAPES_LOCK = threading.Lock()
_SHAPES_MAX = 2048


def _slot(name: str) -> str:
    """A stand-in for the list ``name`` while the shape is built; NUL keeps it apart from any label."""
    return f"\x00slot:{name}"


def _shape(
    key: tuple, build: Callable[[], alt.TopLevelMixin], language: str, slots: Mapping[str, list]
) -> dict:
    """The spec without its rows and titles, built once per ``key`` (the builder and its arguments
    but rows, titles and ``slots``) and language, then each slot's stand-in replaced by its list.
    Altair's own checks are off while building, since the tests validate every kind against the
    Vega-Lite schema."""
    full = (*key, language)
    text = _SHAPES.get(full)
    if text is None:
        with debug_mode(False):
            spec = build().configure(**theme.config(language)).to_dict(validate=False)
        spec.pop("$schema", None)
        text = json.dumps(spec)
        with _SHAPES_LOCK:
            if len(_SHAPES) >= _SHAPES_MAX:
                _SHAPES.clear()
            _SHAPES[full] = text
    for name, values in slots.items():
        text = text.replace(json.dumps(_slot(name)), json.dumps(values))
    return json.loads(text)


def _finish(
    key: tuple, build: Callable[[], alt.TopLevelMixin], *, title: str, subtitle: str | None, n: int | None,
    language: str, description: str, table: ChartTable, values: list[dict[str, Any]],
    slots: Mapping[str, list],
) -> Chart:
    spec = _shape(key, build, language, slots)
    spec["title"] = {"text": _lines(title, TITLE_CHARS)}
    if lines := _subtitle(subtitle, n):
        spec["title"]["subtitle"] = lines
    spec["datasets"] = {"table": values}
    spec["description"] = description
    return Chart(spec=spec, title=title, description=description, n=n, _table=table)


def _values(rows: Sequence[Mapping[str, Any]], fields: Sequence[str]) -> list[dict[str, Any]]:
    missing = [f for f in fields if rows and f not in rows[0]]
    if missing:
        raise ValueError(f"chart rows lack the fields {missing}; each row needs {list(fields)}")
    return [{f: row[f] for f in fields} for row in rows]


def _describe(title: str, pairs: Sequence[tuple[str, str]]) -> str:
    return f"{title}. " + "; ".join(f"{label}: {value}" for label, value in pairs) + "."


def _ordered(values: list[dict], field: str) -> list:
    seen: dict = {}
    for row in values:
        seen.setdefault(row[field], None)
    return list(seen)


def _share_scale(kind: str) -> alt.Scale:
    return alt.Scale(domain=[0, 1]) if kind == "percent" else alt.Scale(zero=True)


@validate_params({
    "rows": ROWS, "category": TEXT, "value": TEXT, "title": TEXT, "category_title": TEXT,
    "value_title": TEXT, "n": N, "kind": KIND, "subtitle": OPTIONAL_TEXT, "language": LANGUAGE,
    "highlight": OPTIONAL_TEXT, "sort": [InstanceOf(bool, "a bool")],
})
def bar_chart(
    rows: Sequence[Mapping[str, Any]], *, category: str, value: str, title: str, category_title: str,
    value_title: str, n: int | None = None, kind: str = "percent", subtitle: str | None = None,
    language: str = "en", highlight: str | None = None, sort: bool = True,
) -> Chart:
    """Horizontal bars, one per category, labelled with their value ("share of cities" by default).

    ``highlight`` marks one category (a city's own answer) in a second colour; ``sort`` puts the
    largest first, else the rows' order is kept (an answer scale's own order).
    """
    values = _values(rows, (category, value))
    for row in values:
        row["_highlight"] = highlight is not None and row[category] == highlight
    order = (sorted(values, key=lambda r: -(r[value] or 0)) if sort else values)
    domain = [row[category] for row in order]
    fmt = D3_FORMATS[kind]

    def build() -> alt.TopLevelMixin:
        base = alt.Chart(TABLE).encode(
            y=alt.Y(f"{category}:N", sort=_slot("domain"), title=None),
            x=alt.X(f"{value}:Q", title=value_title, scale=_share_scale(kind), axis=alt.Axis(format=fmt)),
            tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                     alt.Tooltip(f"{value}:Q", title=value_title, format=fmt)],
        )
        bars = base.mark_bar().encode(
            color=alt.condition("datum._highlight", alt.value(theme.HIGHLIGHT), alt.value(theme.BAR))
        )
        labels = base.mark_text(align="left", dx=4, color=theme.TEXT, fontSize=11).encode(
            text=alt.Text(f"{value}:Q", format=fmt)
        )
        return alt.layer(bars, labels).properties(width=theme.WIDTH - 200, height=alt.Step(STEP))

    cells = [(str(r[category]), format_value(r[value], kind, language)) for r in order]
    table = ChartTable(title, (category_title, value_title), tuple(cells))
    key = ("bar", category, value, category_title, value_title, kind)
    return _finish(key, build, title=title, subtitle=subtitle, n=n, language=language,
                   description=_describe(title, cells), table=table, values=values,
                   slots={"domain": domain})


def _wide_table(values, *, category, series, value, kind, language, title, category_title, series_order):
    by_category: dict[str, dict[str, Any]] = {}
    for row in values:
        by_category.setdefault(row[category], {})[row[series]] = row[value]
    cells = tuple(
        (str(cat), *(format_value(parts.get(s), kind, language) for s in series_order))
        for cat, parts in by_category.items()
    )
    return ChartTable(title, (category_title, *map(str, series_order)), cells)


def _series_pairs(table: ChartTable, order: Sequence[str]) -> list[tuple[str, str]]:
    return [
        (row[0], ", ".join(f"{s} {v}" for s, v in zip(order, row[1:], strict=True))) for row in table.rows
    ]


def _series_values(rows, category: str, series: str, value: str, series_order) -> tuple[list, list, list]:
    """The rows' fields, the series in their given order (else as they come) and the categories."""
    values = _values(rows, (category, series, value))
    order = list(series_order) if series_order else _ordered(values, series)
    return values, order, _ordered(values, category)


def _series_finish(
    shape: str, build: Callable[[], alt.TopLevelMixin], values: list, order: list, categories: list, *,
    category: str, series: str, value: str, title: str, category_title: str, series_title: str,
    value_title: str, n: int | None, kind: str, subtitle: str | None, language: str,
) -> Chart:
    """What stacked and grouped bars share once their Altair shape is written: the wide table (a
    column per series), the description, the cached shape's key and the order slots."""
    table = _wide_table(values, category=category, series=series, value=value, kind=kind,
                        language=language, title=title, category_title=category_title, series_order=order)
    key = (shape, category, series, value, category_title, series_title, value_title, kind, len(order))
    return _finish(key, build, title=title, subtitle=subtitle, n=n, language=language,
                   description=_describe(title, _series_pairs(table, order)), table=table, values=values,
                   slots={"order": order, "categories": categories})


SERIES_PARAMS = {
    "rows": ROWS, "category": TEXT, "series": TEXT, "value": TEXT, "title": TEXT,
    "category_title": TEXT, "series_title": TEXT, "value_title": TEXT, "n": N, "kind": KIND,
    "subtitle": OPTIONAL_TEXT, "language": LANGUAGE,
    "series_order": [InstanceOf((list, tuple, type(None)), "a list of series values or None")],
}


@validate_params(SERIES_PARAMS)
def stacked_bar_chart(
    rows: Sequence[Mapping[str, Any]], *, category: str, series: str, value: str, title: str,
    category_title: str, series_title: str, value_title: str, n: int | None = None,
    kind: str = "percent", subtitle: str | None = None, language: str = "en",
    series_order: Sequence[str] | None = None,
) -> Chart:
    """One horizontal bar per category split into ordered answers ("very important" ... "not
    important"), darkest first; categories keep the rows' order. Shares stack to 100 %."""
    values, order, categories = _series_values(rows, category, series, value, series_order)
    rank = {s: i for i, s in enumerate(order)}
    for row in values:
        row["_order"] = rank.get(row[series], len(order))
    fmt = D3_FORMATS[kind]

    def build() -> alt.TopLevelMixin:
        return alt.Chart(TABLE).mark_bar(stroke="white", strokeWidth=0.5).encode(
            y=alt.Y(f"{category}:N", sort=_slot("categories"), title=None),
            x=alt.X(f"{value}:Q", title=value_title, stack="zero", scale=_share_scale(kind),
                    axis=alt.Axis(format=fmt)),
            color=alt.Color(f"{series}:N", title=series_title, sort=_slot("order"),
                            scale=alt.Scale(domain=_slot("order"), range=theme.ramp(len(order)))),
            order=alt.Order("_order:Q"),
            tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                     alt.Tooltip(f"{series}:N", title=series_title),
                     alt.Tooltip(f"{value}:Q", title=value_title, format=fmt)],
        ).properties(width=theme.WIDTH - 200, height=alt.Step(STEP))

    return _series_finish("stacked", build, values, order, categories, category=category, series=series,
                          value=value, title=title, category_title=category_title, series_title=series_title,
                          value_title=value_title, n=n, kind=kind, subtitle=subtitle, language=language)


@validate_params(SERIES_PARAMS)
def grouped_bar_chart(
    rows: Sequence[Mapping[str, Any]], *, category: str, series: str, value: str, title: str,
    category_title: str, series_title: str, value_title: str, n: int | None = None,
    kind: str = "percent", subtitle: str | None = None, language: str = "en",
    series_order: Sequence[str] | None = None,
) -> Chart:
    """Bars side by side within each category (funding sources now and in future), one hue per series."""
    values, order, categories = _series_values(rows, category, series, value, series_order)
    fmt = D3_FORMATS[kind]

    def build() -> alt.TopLevelMixin:
        return alt.Chart(TABLE).mark_bar().encode(
            y=alt.Y(f"{category}:N", sort=_slot("categories"), title=None),
            yOffset=alt.YOffset(f"{series}:N", sort=_slot("order")),
            x=alt.X(f"{value}:Q", title=value_title, scale=_share_scale(kind), axis=alt.Axis(format=fmt)),
            color=alt.Color(f"{series}:N", title=series_title, sort=_slot("order"),
                            scale=alt.Scale(domain=_slot("order"),
                                            range=list(theme.CATEGORICAL[: len(order)]))),
            tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                     alt.Tooltip(f"{series}:N", title=series_title),
                     alt.Tooltip(f"{value}:Q", title=value_title, format=fmt)],
        ).properties(width=theme.WIDTH - 200, height=alt.Step(STEP // 2 + 2, **{"for": "position"}))

    return _series_finish("grouped", build, values, order, categories, category=category, series=series,
                          value=value, title=title, category_title=category_title, series_title=series_title,
                          value_title=value_title, n=n, kind=kind, subtitle=subtitle, language=language)


@validate_params({
    "rows": ROWS, "category": TEXT, "estimate": TEXT, "lower": TEXT, "upper": TEXT, "label": TEXT,
    "title": TEXT, "category_title": TEXT, "value_title": TEXT, "interval_title": TEXT,
    "label_title": TEXT, "n": N, "kind": KIND, "subtitle": OPTIONAL_TEXT, "language": LANGUAGE,
    "zero_line": [InstanceOf(bool, "a bool")],
})
def interval_chart(
    rows: Sequence[Mapping[str, Any]], *, category: str, estimate: str, lower: str, upper: str,
    label: str, title: str, category_title: str, value_title: str, interval_title: str,
    label_title: str, n: int | None = None, kind: str = "number", subtitle: str | None = None,
    language: str = "en", zero_line: bool = True,
) -> Chart:
    """A point with its interval as a whisker per row, and each row's ``label`` (the cities behind
    it, e.g. "n = 31 / 29") printed at the right, on the chart itself."""
    values = _values(rows, (category, estimate, lower, upper, label))
    fmt = D3_FORMATS[kind]
    categories = _ordered(values, category)

    def build() -> alt.TopLevelMixin:
        y = alt.Y(f"{category}:N", sort=_slot("categories"), title=None)
        base = alt.Chart(TABLE)
        tooltip = [alt.Tooltip(f"{category}:N", title=category_title),
                   alt.Tooltip(f"{estimate}:Q", title=value_title, format=fmt),
                   alt.Tooltip(f"{lower}:Q", title=interval_title, format=fmt),
                   alt.Tooltip(f"{upper}:Q", title=interval_title, format=fmt),
                   alt.Tooltip(f"{label}:N", title=label_title)]
        whiskers = base.mark_rule(color=theme.BAR, strokeWidth=2).encode(
            y=y, x=alt.X(f"{lower}:Q", title=value_title, axis=alt.Axis(format=fmt)), x2=f"{upper}:Q",
            tooltip=tooltip)
        points = base.mark_point(filled=True, size=70, color=theme.BAR, opacity=1).encode(
            y=y, x=f"{estimate}:Q", tooltip=tooltip)
        layers = [whiskers, points]
        if zero_line:
            layers.insert(0, alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(
                color=theme.MUTED, strokeDash=[4, 3]).encode(x="zero:Q"))
        plot = alt.layer(*layers).properties(width=theme.WIDTH - 260, height=alt.Step(STEP + 4))
        counts = base.mark_text(align="left", color=theme.TEXT, fontSize=11).encode(
            y=alt.Y(f"{category}:N", sort=_slot("categories"), title=None, axis=None),
            text=f"{label}:N",
        ).properties(width=90, height=alt.Step(STEP + 4), title=alt.TitleParams(label_title, fontSize=11))
        return alt.hconcat(plot, counts, spacing=8).resolve_scale(y="shared")

    cells = tuple(
        (str(r[category]), format_value(r[estimate], kind, language),
         f"{format_value(r[lower], kind, language)} \u2013 {format_value(r[upper], kind, language)}",
         str(r[label]))
        for r in values
    )
    table = ChartTable(title, (category_title, value_title, interval_title, label_title), cells)
    pairs = [(c[0], f"{c[1]} [{c[2]}], {c[3]}") for c in cells]
    key = ("interval", category, estimate, lower, upper, label, category_title, value_title, interval_title,
           label_title, kind, zero_line)
    return _finish(key, build, title=title, subtitle=subtitle, n=n, language=language,
                   description=_describe(title, pairs), table=table, values=values,
                   slots={"categories": categories})


@validate_params({
    "rows": ROWS, "x": TEXT, "y": TEXT, "series": OPTIONAL_TEXT, "title": TEXT, "x_title": TEXT,
    "y_title": TEXT, "series_title": OPTIONAL_TEXT, "n": N, "kind": KIND, "subtitle": OPTIONAL_TEXT,
    "language": LANGUAGE,
})
def line_chart(
    rows: Sequence[Mapping[str, Any]], *, x: str, y: str, title: str, x_title: str, y_title: str,
    series: str | None = None, series_title: str | None = None, n: int | None = None,
    kind: str = "number", subtitle: str | None = None, language: str = "en",
) -> Chart:
    """Values over ordered steps (waves, years) with points on the line, one line per ``series``."""
    fields = (x, y) if series is None else (x, y, series)
    values = _values(rows, fields)
    fmt = D3_FORMATS[kind]
    steps = _ordered(values, x)

    def build() -> alt.TopLevelMixin:
        encoding = {
            "x": alt.X(f"{x}:O", title=x_title, sort=_slot("steps")),
            "y": alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=fmt), scale=_share_scale(kind)),
            "tooltip": [alt.Tooltip(f"{x}:O", title=x_title),
                        alt.Tooltip(f"{y}:Q", title=y_title, format=fmt)],
        }
        if series is not None:
            encoding["color"] = alt.Color(f"{series}:N", title=series_title or series,
                                          scale=alt.Scale(range=list(theme.CATEGORICAL)))
            encoding["tooltip"].insert(0, alt.Tooltip(f"{series}:N", title=series_title or series))
        return alt.Chart(TABLE).mark_line(
            point=alt.OverlayMarkDef(filled=True, size=50), color=theme.BAR,
        ).encode(**encoding).properties(width=theme.WIDTH - 120, height=220)

    columns = (x_title, y_title) if series is None else (series_title or series, x_title, y_title)
    cells = tuple(
        ((str(r[series]),) if series is not None else ()) + (str(r[x]), format_value(r[y], kind, language))
        for r in values
    )
    pairs = [(" ".join(c[:-1]), c[-1]) for c in cells]
    key = ("line", x, y, series, x_title, y_title, series_title, kind)
    table = ChartTable(title, columns, cells)
    return _finish(key, build, title=title, subtitle=subtitle, n=n, language=language,
                   description=_describe(title, pairs), table=table, values=values,
                   slots={"steps": steps})
