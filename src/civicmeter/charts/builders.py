"""The chart kinds Civicmeter draws, each a function from rows (dicts) to a :class:`Chart`.

Rows are plain dicts so the domain, a selector or a DataFrame's ``to_dict("records")`` can feed a
chart alike. Which column each channel reads, with its title, is a :class:`~.options.Field`; the
chart's own title, value kind, language, ``n`` and subtitle are one :class:`~.options.Caption`.
Titles come from the caller already translated; values are written with the page language's number
marks. Every builder states ``n`` (the cities behind the chart) in the subtitle, since a share means
little without it.
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
from civicmeter.charts.formats import D3_FORMATS, format_value
from civicmeter.charts.options import Caption, Field, Span
from civicmeter.params import NONE, InstanceOf, validate_params

ROWS = [InstanceOf((list, tuple), "a list of dicts")]
OPTIONAL_TEXT = [InstanceOf((str, type(None)), "a str or None")]
FIELD = [InstanceOf(Field, "a Field (column name and title)")]
CAPTION = [InstanceOf(Caption, "a Caption (title, kind, language, n, subtitle)")]
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
    key: tuple, build: Callable[[], alt.TopLevelMixin], caption: Caption, *, description: str,
    table: ChartTable, values: list[dict[str, Any]], slots: Mapping[str, list],
) -> Chart:
    spec = _shape(key, build, caption.language, slots)
    spec["title"] = {"text": _lines(caption.title, TITLE_CHARS)}
    if lines := _subtitle(caption.subtitle, caption.n):
        spec["title"]["subtitle"] = lines
    spec["datasets"] = {"table": values}
    spec["description"] = description
    return Chart(spec=spec, title=caption.title, description=description, n=caption.n, _table=table)


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
    "rows": ROWS, "category": FIELD, "value": FIELD, "caption": CAPTION,
    "highlight": OPTIONAL_TEXT, "sort": [InstanceOf(bool, "a bool")],
})
def bar_chart(
    rows: Sequence[Mapping[str, Any]], *, category: Field, value: Field, caption: Caption,
    highlight: str | None = None, sort: bool = True,
) -> Chart:
    """Horizontal bars, one per category, labelled with their value (a share of cities, say).

    ``highlight`` marks one category (a city's own answer) in a second colour; ``sort`` puts the
    largest first, else the rows' order is kept (an answer scale's own order).
    """
    cat, val, kind, language = category.name, value.name, caption.kind, caption.language
    values = _values(rows, (cat, val))
    for row in values:
        row["_highlight"] = highlight is not None and row[cat] == highlight
    order = (sorted(values, key=lambda r: -(r[val] or 0)) if sort else values)
    domain = [row[cat] for row in order]
    fmt = D3_FORMATS[kind]

    def build() -> alt.TopLevelMixin:
        base = alt.Chart(TABLE).encode(
            y=alt.Y(f"{cat}:N", sort=_slot("domain"), title=None),
            x=alt.X(f"{val}:Q", title=value.title, scale=_share_scale(kind), axis=alt.Axis(format=fmt)),
            tooltip=[alt.Tooltip(f"{cat}:N", title=category.title),
                     alt.Tooltip(f"{val}:Q", title=value.title, format=fmt)],
        )
        bars = base.mark_bar().encode(
            color=alt.condition("datum._highlight", alt.value(theme.HIGHLIGHT), alt.value(theme.BAR))
        )
        labels = base.mark_text(align="left", dx=4, color=theme.TEXT, fontSize=11).encode(
            text=alt.Text(f"{val}:Q", format=fmt)
        )
        return alt.layer(bars, labels).properties(width=theme.WIDTH - 200, height=alt.Step(STEP))

    cells = [(str(r[cat]), format_value(r[val], kind, language)) for r in order]
    table = ChartTable(caption.title, (category.title, value.title), tuple(cells))
    key = ("bar", category, value, kind)
    return _finish(key, build, caption, description=_describe(caption.title, cells), table=table,
                   values=values, slots={"domain": domain})


def _wide_table(values, category: Field, series: Field, value: Field, caption: Caption, order) -> ChartTable:
    by_category: dict[str, dict[str, Any]] = {}
    for row in values:
        by_category.setdefault(row[category.name], {})[row[series.name]] = row[value.name]
    cells = tuple(
        (str(cat), *(format_value(parts.get(s), caption.kind, caption.language) for s in order))
        for cat, parts in by_category.items()
    )
    return ChartTable(caption.title, (category.title, *map(str, order)), cells)


def _series_pairs(table: ChartTable, order: Sequence[str]) -> list[tuple[str, str]]:
    return [
        (row[0], ", ".join(f"{s} {v}" for s, v in zip(order, row[1:], strict=True))) for row in table.rows
    ]


def _series_values(
    rows, category: Field, series: Field, value: Field, series_order
) -> tuple[list, list, list]:
    """The rows' fields, the series in their given order (else as they come) and the categories."""
    values = _values(rows, (category.name, series.name, value.name))
    order = list(series_order) if series_order else _ordered(values, series.name)
    return values, order, _ordered(values, category.name)


def _series_finish(
    shape: str, build: Callable[[], alt.TopLevelMixin], values: list, order: list, categories: list,
    fields: tuple[Field, Field, Field], caption: Caption,
) -> Chart:
    """What stacked and grouped bars share once their Altair shape is written: the wide table (a
    column per series), the description, the cached shape's key and the order slots."""
    table = _wide_table(values, *fields, caption, order)
    key = (shape, *fields, caption.kind, len(order))
    return _finish(key, build, caption, description=_describe(caption.title, _series_pairs(table, order)),
                   table=table, values=values, slots={"order": order, "categories": categories})


SERIES_PARAMS = {
    "rows": ROWS, "category": FIELD, "series": FIELD, "value": FIELD, "caption": CAPTION,
    "series_order": [InstanceOf((list, tuple, type(None)), "a list of series values or None")],
}


@validate_params(SERIES_PARAMS)
def stacked_bar_chart(
    rows: Sequence[Mapping[str, Any]], *, category: Field, series: Field, value: Field, caption: Caption,
    series_order: Sequence[str] | None = None,
) -> Chart:
    """One horizontal bar per category split into ordered answers ("very important" ... "not
    important"), darkest first; categories keep the rows' order. Shares stack to 100 %."""
    values, order, categories = _series_values(rows, category, series, value, series_order)
    rank = {s: i for i, s in enumerate(order)}
    for row in values:
        row["_order"] = rank.get(row[series.name], len(order))
    cat, ser, val, kind = category.name, series.name, value.name, caption.kind
    fmt = D3_FORMATS[kind]

    def build() -> alt.TopLevelMixin:
        return alt.Chart(TABLE).mark_bar(stroke="white", strokeWidth=0.5).encode(
            y=alt.Y(f"{cat}:N", sort=_slot("categories"), title=None),
            x=alt.X(f"{val}:Q", title=value.title, stack="zero", scale=_share_scale(kind),
                    axis=alt.Axis(format=fmt)),
            color=alt.Color(f"{ser}:N", title=series.title, sort=_slot("order"),
                            scale=alt.Scale(domain=_slot("order"), range=theme.ramp(len(order)))),
            order=alt.Order("_order:Q"),
            tooltip=[alt.Tooltip(f"{cat}:N", title=category.title),
                     alt.Tooltip(f"{ser}:N", title=series.title),
                     alt.Tooltip(f"{val}:Q", title=value.title, format=fmt)],
        ).properties(width=theme.WIDTH - 200, height=alt.Step(STEP))

    return _series_finish("stacked", build, values, order, categories, (category, series, value), caption)


@validate_params(SERIES_PARAMS)
def grouped_bar_chart(
    rows: Sequence[Mapping[str, Any]], *, category: Field, series: Field, value: Field, caption: Caption,
    series_order: Sequence[str] | None = None,
) -> Chart:
    """Bars side by side within each category (funding sources now and in future), one hue per series."""
    values, order, categories = _series_values(rows, category, series, value, series_order)
    cat, ser, val, kind = category.name, series.name, value.name, caption.kind
    fmt = D3_FORMATS[kind]

    def build() -> alt.TopLevelMixin:
        return alt.Chart(TABLE).mark_bar().encode(
            y=alt.Y(f"{cat}:N", sort=_slot("categories"), title=None),
            yOffset=alt.YOffset(f"{ser}:N", sort=_slot("order")),
            x=alt.X(f"{val}:Q", title=value.title, scale=_share_scale(kind), axis=alt.Axis(format=fmt)),
            color=alt.Color(f"{ser}:N", title=series.title, sort=_slot("order"),
                            scale=alt.Scale(domain=_slot("order"),
                                            range=list(theme.CATEGORICAL[: len(order)]))),
            tooltip=[alt.Tooltip(f"{cat}:N", title=category.title),
                     alt.Tooltip(f"{ser}:N", title=series.title),
                     alt.Tooltip(f"{val}:Q", title=value.title, format=fmt)],
        ).properties(width=theme.WIDTH - 200, height=alt.Step(STEP // 2 + 2, **{"for": "position"}))

    return _series_finish("grouped", build, values, order, categories, (category, series, value), caption)


@validate_params({
    "rows": ROWS, "category": FIELD, "estimate": FIELD, "interval": [InstanceOf(Span, "a Span")],
    "label": FIELD, "caption": CAPTION, "zero_line": [InstanceOf(bool, "a bool")],
})
def interval_chart(
    rows: Sequence[Mapping[str, Any]], *, category: Field, estimate: Field, interval: Span, label: Field,
    caption: Caption, zero_line: bool = True,
) -> Chart:
    """A point with its interval as a whisker per row, and each row's ``label`` (the cities behind
    it, e.g. "n = 31 / 29") printed at the right, on the chart itself."""
    cat, est, low, high, lab = category.name, estimate.name, interval.lower, interval.upper, label.name
    kind, language = caption.kind, caption.language
    values = _values(rows, (cat, est, low, high, lab))
    fmt = D3_FORMATS[kind]
    categories = _ordered(values, cat)

    def build() -> alt.TopLevelMixin:
        y = alt.Y(f"{cat}:N", sort=_slot("categories"), title=None)
        base = alt.Chart(TABLE)
        tooltip = [alt.Tooltip(f"{cat}:N", title=category.title),
                   alt.Tooltip(f"{est}:Q", title=estimate.title, format=fmt),
                   alt.Tooltip(f"{low}:Q", title=interval.title, format=fmt),
                   alt.Tooltip(f"{high}:Q", title=interval.title, format=fmt),
                   alt.Tooltip(f"{lab}:N", title=label.title)]
        whiskers = base.mark_rule(color=theme.BAR, strokeWidth=2).encode(
            y=y, x=alt.X(f"{low}:Q", title=estimate.title, axis=alt.Axis(format=fmt)), x2=f"{high}:Q",
            tooltip=tooltip)
        points = base.mark_point(filled=True, size=70, color=theme.BAR, opacity=1).encode(
            y=y, x=f"{est}:Q", tooltip=tooltip)
        layers = [whiskers, points]
        if zero_line:
            layers.insert(0, alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(
                color=theme.MUTED, strokeDash=[4, 3]).encode(x="zero:Q"))
        plot = alt.layer(*layers).properties(width=theme.WIDTH - 260, height=alt.Step(STEP + 4))
        counts = base.mark_text(align="left", color=theme.TEXT, fontSize=11).encode(
            y=alt.Y(f"{cat}:N", sort=_slot("categories"), title=None, axis=None),
            text=f"{lab}:N",
        ).properties(width=90, height=alt.Step(STEP + 4), title=alt.TitleParams(label.title, fontSize=11))
        return alt.hconcat(plot, counts, spacing=8).resolve_scale(y="shared")

    cells = tuple(
        (str(r[cat]), format_value(r[est], kind, language),
         f"{format_value(r[low], kind, language)} \u2013 {format_value(r[high], kind, language)}",
         str(r[lab]))
        for r in values
    )
    table = ChartTable(caption.title, (category.title, estimate.title, interval.title, label.title), cells)
    pairs = [(c[0], f"{c[1]} [{c[2]}], {c[3]}") for c in cells]
    key = ("interval", category, estimate, interval, label, kind, zero_line)
    return _finish(key, build, caption, description=_describe(caption.title, pairs), table=table,
                   values=values, slots={"categories": categories})


@validate_params({
    "rows": ROWS, "x": FIELD, "y": FIELD, "caption": CAPTION,
    "series": [InstanceOf(Field, "a Field"), NONE],
})
def line_chart(
    rows: Sequence[Mapping[str, Any]], *, x: Field, y: Field, caption: Caption, series: Field | None = None,
) -> Chart:
    """Values over ordered steps (waves, years) with points on the line, one line per ``series``."""
    xn, yn, kind, language = x.name, y.name, caption.kind, caption.language
    fields = (xn, yn) if series is None else (xn, yn, series.name)
    values = _values(rows, fields)
    fmt = D3_FORMATS[kind]
    steps = _ordered(values, xn)

    def build() -> alt.TopLevelMixin:
        encoding = {
            "x": alt.X(f"{xn}:O", title=x.title, sort=_slot("steps")),
            "y": alt.Y(f"{yn}:Q", title=y.title, axis=alt.Axis(format=fmt), scale=_share_scale(kind)),
            "tooltip": [alt.Tooltip(f"{xn}:O", title=x.title),
                        alt.Tooltip(f"{yn}:Q", title=y.title, format=fmt)],
        }
        if series is not None:
            encoding["color"] = alt.Color(f"{series.name}:N", title=series.title,
                                          scale=alt.Scale(range=list(theme.CATEGORICAL)))
            encoding["tooltip"].insert(0, alt.Tooltip(f"{series.name}:N", title=series.title))
        return alt.Chart(TABLE).mark_line(
            point=alt.OverlayMarkDef(filled=True, size=50), color=theme.BAR,
        ).encode(**encoding).properties(width=theme.WIDTH - 120, height=220)

    columns = (x.title, y.title) if series is None else (series.title, x.title, y.title)
    own = (lambda r: (str(r[series.name]),)) if series is not None else (lambda r: ())
    cells = tuple((*own(r), str(r[xn]), format_value(r[yn], kind, language)) for r in values)
    pairs = [(" ".join(c[:-1]), c[-1]) for c in cells]
    key = ("line", x, y, series, kind)
    table = ChartTable(caption.title, columns, cells)
    return _finish(key, build, caption, description=_describe(caption.title, pairs), table=table,
                   values=values, slots={"steps": steps})
