"""Number marks per page language, the same in the drawn chart (d3-format locale) and its table."""

from __future__ import annotations

import math

from civicmeter.params import NONE, InstanceOf, Options, validate_params

LANGUAGES = ("en", "es", "fr")
#: How each chart value is written: a share of cities (0-1), a count of cities, or any other number.
KINDS = ("percent", "count", "number")

# d3-format locales (https://github.com/d3/d3-format#locales): Spanish and French put a space before
# the percent sign and use a decimal comma; French groups thousands with a narrow no-break space.
D3_LOCALES = {
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
    "es": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0€"],
           "percent": "\u00a0%"},
    "fr": {"decimal": ",", "thousands": "\u202f", "grouping": [3], "currency": ["", "\u00a0€"],
           "percent": "\u202f%"},
}
#: The d3 format string of each kind in the chart (axis labels, tooltips, value labels).
D3_FORMATS = {"percent": ".0%", "count": ",d", "number": ",.1f"}


@validate_params({
    "value": [InstanceOf((int, float), "a number (NaN for missing)"), NONE],
    "kind": [Options(KINDS)],
    "language": [Options(LANGUAGES)],
})
def format_value(value: float | None, kind: str, language: str) -> str:
    """``0.5`` -> ``50%`` (en) or ``50 %`` (es); ``1234`` -> ``1,234`` / ``1.234``; missing -> ``–``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\u2013"
    marks = D3_LOCALES[language]
    if kind == "percent":
        return _group(f"{value * 100:.0f}", marks) + marks.get("percent", "%")
    if kind == "count":
        return _group(f"{value:.0f}", marks)
    return _group(f"{value:.1f}", marks)


def _group(text: str, marks: dict) -> str:
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = marks["thousands"].join(groups)
    return sign + out + (marks["decimal"] + fraction if fraction else "")
