"""Reads of a city's goals: each indicator's values and status under the city's rule, the city score
per window, the export rows, and whether the public goals page is on.

The statuses and scores are computed here from stored values by the pure ``civicmeter.performance``
package each time a page is shown; nothing derived is stored, so a changed rule or target shows at
once and a page can never disagree with its values.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from civicmeter.performance import (
    DEFAULTS,
    Assessment,
    Direction,
    Frequency,
    Indicator,
    Observation,
    Period,
    RuleName,
    StatusRule,
    WindowScore,
    city_score,
)
from civicmeter.web.programmes.models import City, Programme

from .models import Goal, GoalSettings, Kpi, KpiValue

#: The rule a city starts with until it chooses one; shown on its goals page with a link to change
#: it. CityScore's ratio is also what the city score averages, so the two agree from the start.
DEFAULT_RULE = RuleName.CITYSCORE


@dataclass(frozen=True)
class CitySettings:
    rule: StatusRule
    public: bool
    stored: GoalSettings | None


def settings_of(programme: Programme, city: City) -> CitySettings:
    row = GoalSettings.objects.filter(programme=programme, city=city).first()
    if row is None:
        return CitySettings(DEFAULTS[DEFAULT_RULE], False, None)
    return CitySettings(StatusRule(row.rule, band=row.band, cap=row.cap), row.public, row)


def city_indicators(programme: Programme, city: City) -> dict[str, Kpi]:
    return {
        i.code: i
        for i in Kpi.objects.filter(goal__programme=programme, goal__city=city).select_related("goal")
    }


#: What defines an indicator, named as the domain's ``Indicator`` and the ``Kpi`` model both name it:
#: the one list the form, the services and the reads go by.
INDICATOR_FIELDS = tuple(f.name for f in fields(Indicator))


def facts(indicator: Kpi) -> Indicator:
    return Indicator(**{name: getattr(indicator, name) for name in INDICATOR_FIELDS})


@dataclass(frozen=True)
class ValuePoint:
    period: Period
    value: float
    assessment: Assessment
    row: KpiValue


@dataclass(frozen=True)
class IndicatorView:
    indicator: Kpi
    points: list[ValuePoint]  # oldest first
    rule: StatusRule

    @property
    def latest(self) -> ValuePoint | None:
        return self.points[-1] if self.points else None

    @property
    def assessment(self) -> Assessment:
        """The latest value's status (not measured when there is none; no target when none is set)."""
        if self.latest is not None:
            return self.latest.assessment
        return self.rule.assess(None, self.indicator.target, Direction(self.indicator.direction))


@dataclass(frozen=True)
class GoalView:
    goal: Goal
    indicators: list[IndicatorView]


def _indicator_view(indicator: Kpi, values: list[KpiValue], rule: StatusRule) -> IndicatorView:
    frequency, direction = Frequency(indicator.frequency), Direction(indicator.direction)
    points = [
        ValuePoint(
            Period(v.period_start, frequency), v.value, rule.assess(v.value, indicator.target, direction), v
        )
        for v in values
    ]
    return IndicatorView(indicator, points, rule)


def goals_overview(programme: Programme, city: City, rule: StatusRule) -> list[GoalView]:
    """Every goal of the city with its indicators, values (oldest first) and statuses under ``rule``."""
    goals = list(Goal.objects.filter(programme=programme, city=city).prefetch_related("indicators"))
    values: dict[int, list[KpiValue]] = {}
    for value in KpiValue.objects.filter(indicator__goal__in=goals).order_by("period_start"):
        values.setdefault(value.indicator_id, []).append(value)
    return [
        GoalView(goal, [_indicator_view(i, values.get(i.pk, []), rule) for i in goal.indicators.all()])
        for goal in goals
    ]


def indicator_view(indicator: Kpi, rule: StatusRule) -> IndicatorView:
    return _indicator_view(indicator, list(indicator.values.order_by("period_start")), rule)


def scores_by_window(
    programme: Programme, city: City, window: Frequency, cap: float | None
) -> list[WindowScore]:
    """The city score of each ``window`` with values, newest first."""
    indicators = list(city_indicators(programme, city).values())
    observations = [
        Observation(code, start, value)
        for code, start, value in KpiValue.objects.filter(indicator__in=indicators).values_list(
            "indicator__code", "period_start", "value"
        )
    ]
    return list(reversed(city_score([facts(i) for i in indicators], observations, window, cap)))


def export_rows(programme: Programme, city: City) -> list[dict[str, object]]:
    """Every stored value of the city's indicators, as ``performance.write_values`` writes them."""
    rows = []
    values = KpiValue.objects.filter(indicator__goal__programme=programme, indicator__goal__city=city)
    for v in values.select_related("indicator").order_by("indicator__code", "period_start"):
        i = v.indicator
        rows.append(
            {
                "indicator": i.code,
                "name": i.name,
                "unit": i.unit,
                "period": Period(v.period_start, Frequency(i.frequency)),
                "value": v.value,
                "note": v.note,
            }
        )
    return rows


def public_programmes(city: City) -> list[Programme]:
    """The programmes in which ``city`` has switched its goals page on."""
    ids = GoalSettings.objects.filter(city=city, public=True).values_list("programme_id", flat=True)
    return list(Programme.objects.filter(pk__in=ids))
