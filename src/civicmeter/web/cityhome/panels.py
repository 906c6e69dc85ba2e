"""The city team page's panels: each app adds its own, so the page knows none of them.

An app registers a panel from its ``AppConfig.ready()``::

    from civicmeter.web.cityhome.panels import Panel, register
    register(Panel(key="roadmap", order=30, template="assessment/_city_panel.html", context=roadmap))

``context(request, programme, city)`` returns the template's context, or None to hide the panel
(nothing to show, or not for this user). Orders agreed between apps: 10 scores, 20 snapshot
preview, 30 data-use roadmap, 40 recommendations, 50 agenda, 60 goals and KPIs, 70 progress.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Panel:
    key: str
    order: int
    template: str
    context: Callable[..., dict | None]


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    """Add ``panel`` (or replace the one with its key: ``ready()`` may run twice in tests)."""
    _PANELS[panel.key] = panel


def registered() -> list[Panel]:
    """Every panel, in page order (then by key, so equal orders are stable)."""
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    html: str


def render_panels(request, programme, city) -> list[RenderedPanel]:
    """The panels that have something for this user, rendered in order."""
    out = []
    for panel in registered():
        context = panel.context(request, programme, city)
        if context is None:
            continue
        context = {"programme": programme, "city": city, **context}
        out.append(RenderedPanel(panel.key, render_to_string(panel.template, context, request=request)))
    return out
