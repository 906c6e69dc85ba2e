"""The trend chart of one indicator: its values per period beside its target, with the table of the
numbers (the chart's text alternative, always shown with it)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from civicmeter.charts import Caption, Chart, Field, line_chart

from .selectors import IndicatorView


def trend_chart(view: IndicatorView) -> Chart | None:
    """None without values: an empty chart says nothing a sentence cannot."""
    if not view.points:
        return None
    indicator = view.indicator
    value, target = _("Value"), _("Target")
    rows = [{"period": p.period.label, "series": value, "value": p.value} for p in view.points]
    if indicator.target is not None:
        rows += [{"period": p.period.label, "series": target, "value": indicator.target} for p in view.points]
    return line_chart(
        rows,
        x=Field("period", _("Period")),
        y=Field("value", indicator.unit),
        series=Field("series", _("Series")),
        caption=Caption(
            _("%(name)s per period") % {"name": indicator.name},
            kind="number",
            language=translation.get_language() or "en",
        ),
    )


def with_charts(goals: list) -> list[dict]:
    """Goals as the ``goals/_goals.html`` include takes them: each indicator's view with its chart."""
    return [
        {"goal": g.goal, "indicators": [{"view": v, "chart": trend_chart(v)} for v in g.indicators]}
        for g in goals
    ]
