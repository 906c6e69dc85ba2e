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
#: Blue ramp, darkest first, for ordered answers (always ... never).
SEQUENTIAL = ("#0b3c73", "#1f5fa8", "#4f86c6", "#8fb4de", "#d3e2f3")
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
