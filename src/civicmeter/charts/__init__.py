"""Charts as declarative Vega-Lite specifications (built with Altair), one spec per chart.

The same spec is drawn three ways, so a chart never differs between the web, a PDF and the static
site: as SVG on the server by vl-convert (PDFs, static pages, the picture before any script runs), and
interactively in the browser by vega-embed with Vega's expression interpreter (no ``eval``, so the
strict Content-Security-Policy stays). Every chart carries its text alternative: a one-sentence
description and the table of the numbers it draws.

    from civicmeter.charts import Caption, Field, bar_chart
    chart = bar_chart(rows, category=Field("factor", "Factor"), value=Field("share", "Share of cities"),
                      caption=Caption("Factors lacking", kind="percent", n=87))
    chart.spec      # the Vega-Lite dict
    chart.svg()     # the SVG text (cached per spec)
    chart.table()   # ChartTable(caption, columns, rows) with formatted cells

Pure Python: no Django here; callers pass titles and labels already translated and the page's
language (number marks).
"""

from civicmeter.charts.builders import (
    bar_chart,
    grouped_bar_chart,
    interval_chart,
    line_chart,
    stacked_bar_chart,
)
from civicmeter.charts.chart import Chart, ChartTable, without_svg
from civicmeter.charts.options import Caption, Field, Span

__all__ = [
    "Caption",
    "Chart",
    "ChartTable",
    "Field",
    "Span",
    "bar_chart",
    "grouped_bar_chart",
    "interval_chart",
    "line_chart",
    "stacked_bar_chart",
    "without_svg",
]
