"""The chart object every builder returns: its spec, its SVG and its table alternative."""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

#: The Vega-Lite major version vl-convert renders with; the browser bundle is the same major.
VEGA_LITE_VERSION = "6.4"


@dataclass(frozen=True)
class ChartTable:
    """The numbers a chart draws, as text: the accessible alternative and the no-script fallback."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    """A Vega-Lite chart with its text alternative.

    ``description`` is one sentence a screen reader announces for the picture; ``table()`` gives every
    number drawn. ``n`` is the number of cities the chart stands on (``None`` when it mixes several).
    """

    spec: dict[str, Any] = field(repr=False)
    title: str
    description: str
    n: int | None
    _table: ChartTable = field(repr=False)

    def table(self) -> ChartTable:
        return self._table

    def json(self) -> str:
        """The spec as compact JSON, safe inside ``<script type="application/json">`` (no ``<``, ``>``
        or ``&`` left, so the text cannot close the element or start a comment)."""
        return spec_json(self.spec)

    @property
    def key(self) -> str:
        """A short digest of the spec: a stable file name or cache key for its rendered SVG."""
        return hashlib.sha256(self.json().encode()).hexdigest()[:16]

    def svg(self) -> str:
        """The chart drawn as SVG by vl-convert (no browser, no network), cached per spec; "" inside
        ``without_svg()``, where pages leave drawing to the browser.

        The root element is one image named by the description (``role="img"``), so a screen reader
        announces the sentence instead of walking every axis tick; the table carries the detail.
        """
        if not _DRAW_SVG.get():
            return ""
        label = html.escape(self.description, quote=True)
        inner = INNER_ARIA.sub("", _render_svg(self.json()))
        return inner.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)


#: Vega's per-mark ARIA attributes: inside one role="img" they are noise, and checkers report them.
INNER_ARIA = re.compile(r' (?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')
_DRAW_SVG: ContextVar[bool] = ContextVar("draw_svg", default=True)


@contextmanager
def without_svg() -> Iterator[None]:
    """Within this block charts are not drawn on the server (``Chart.svg()`` is empty): the page
    shows the spec for the browser and the table, for pages made in bulk such as a static site's
    1,000 snapshots, where vl-convert's 0.1-0.5 s per chart would dominate."""
    token = _DRAW_SVG.set(False)
    try:
        yield
    finally:
        _DRAW_SVG.reset(token)


def spec_json(spec: dict[str, Any]) -> str:
    text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@lru_cache(maxsize=512)
def _render_svg(spec_text: str) -> str:
    import vl_convert  # noqa: PLC0415 - a 40 MB extension loaded only when a chart is drawn

    return vl_convert.vegalite_to_svg(json.loads(spec_text), vl_version=f"v{VEGA_LITE_VERSION}")
