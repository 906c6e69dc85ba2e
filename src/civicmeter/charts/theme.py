"""Colours and type shared by every chart, chosen for contrast on white (WCAG 2.1 non-text 3:1).

Sequential ramps run dark to light so the strongest answer ("always", "very important") reads
first; every colour of a ramp keeps 3:1 against white except the lightest, which carries a dark
outline instead.
"""

from __future__ import annotations

from civicmeter.charts.formats import D3_LOCALES

BAR = "#1f5fa8"
HIGHLIGHT = "#b34d00"
MUTED = "#5c6670"
TEXT = "#1d2329"
OUTLINE = "#3d4650"
#: Blue ramp, darkest first, for ordered answers (always ... never); ``ramp(n)`` spreads n answers
#: over it so neighbouring segments always differ clearly.
SEQUENTIAL = ("#08306b", "#2166ac", "#4f8fd0", "#92bde8", "#d3e6f7")
_PICKS = {1: (1,), 2: (0, 3), 3: (0, 2, 3), 4: (0, 1, 2, 3), 5: (0, 1, 2, 3, 4)}


def ramp(n: int) -> list[str]:
    """``n`` colours of the sequential ramp, darkest first; the categorical hues beyond five."""
    if n > len(SEQUENTIAL):
        return list(CATEGORICAL[:n])
    return [SEQUENTIAL[i] for i in _PICKS[n]]
#: Distinct hues for unordered series (now / in future, groups), colour-blind safe (Okabe-Ito).
CATEGORICAL = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#56b4e9", "#e69f00", "#000000")
#: Arial's metrics (Liberation Sans is its free metric twin): the server measures labels with the
#: same widths the browser and WeasyPrint draw them with, so no label is cut.
FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"
WIDTH = 520


def config(language: str) -> dict:
    """The Vega-Lite ``config`` block: type, colours, axis style and the language's number marks."""
    return {
        "font": FONT,
        # No ARIA roles on each mark and axis: the SVG is one image named by the chart's description
        # (role="img", set on the server and in charts.js) and its table carries every number.
        "aria": False,
        "background": "white",
        "view": {"stroke": None},
        "locale": {"number": D3_LOCALES[language]},
        "title": {"anchor": "start", "fontSize": 15, "fontWeight": 600, "color": TEXT,
                  "subtitleColor": MUTED, "subtitleFontSize": 12, "offset": 10},
        "axis": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 12, "titleFontSize": 12,
                 "titleFontWeight": 500, "gridColor": "#e3e7eb", "domainColor": OUTLINE,
                 "tickColor": OUTLINE, "labelLimit": 280},
        "legend": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 12, "titleFontSize": 12,
                   "orient": "bottom", "direction": "horizontal", "labelLimit": 240},
        "bar": {"color": BAR},
        "range": {"category": list(CATEGORICAL)},
    }
