"""What a caller tells a chart builder, as three small settings objects.

Every builder needs the same few things: which column of the rows each visual channel reads and the
title it is shown under (axis, legend, tooltip, table header), and what the chart says about itself
(title, subtitle, the number of cities behind it, how its values are written, the page language).
Spelled out as keywords these came to 12-16 parameters per builder, restated at every call; as
``Field`` / ``Span`` / ``Caption`` each is checked once where it is built, and a new option of all
charts (a footnote, say) is one field of ``Caption``.

    bar_chart(rows, category=Field("factor", "Factor"), value=Field("share", "Share of cities"),
              caption=Caption("Factors lacking", kind="percent", language="es", n=87))
"""

from __future__ import annotations

from dataclasses import dataclass

from civicmeter.charts.formats import KINDS, LANGUAGES
from civicmeter.params import NONE, InstanceOf, Interval, Options, check_fields

_TEXT = [InstanceOf(str, "a str")]


@dataclass(frozen=True)
class Field:
    """A column of the rows (``name``) and the title it is shown under (already translated)."""

    name: str
    title: str

    def __post_init__(self) -> None:
        check_fields(self, {"name": _TEXT, "title": _TEXT})


@dataclass(frozen=True)
class Span:
    """An interval's two columns (``lower``, ``upper``) and the title the interval is shown under."""

    lower: str
    upper: str
    title: str

    def __post_init__(self) -> None:
        check_fields(self, {"lower": _TEXT, "upper": _TEXT, "title": _TEXT})


@dataclass(frozen=True)
class Caption:
    """What the chart says about itself: its title; how its values are written (``kind``: a share of
    cities 0-1, a count of cities, or any other number; no default, since a wrong one rewrites every
    number); the page language (number marks); ``n``, the cities behind it (stated in the subtitle,
    since a share means little without it); and an optional subtitle line."""

    title: str
    kind: str
    language: str = "en"
    n: int | None = None
    subtitle: str | None = None

    def __post_init__(self) -> None:
        check_fields(
            self,
            {
                "title": _TEXT,
                "kind": [Options(KINDS)],
                "language": [Options(LANGUAGES)],
                "n": [Interval(int, 0, None, closed="left"), NONE],
                "subtitle": [InstanceOf((str, type(None)), "a str or None")],
            },
        )
