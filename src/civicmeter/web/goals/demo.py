"""Demo goals and KPIs for a few cities (``content/demo/goals.yaml``), loaded through the services.

Each city gets its status rule, goals with Boston-style indicators, and synthetic monthly or
quarterly values drawn from a start value, a trend and seeded noise (the same on every machine),
imported as the values file a city would upload. Every value's note says it is synthetic. Cities
that already have goals are left as they are, so loading twice adds nothing.
"""

from __future__ import annotations

import random
import zlib
from datetime import date

import yaml

from civicmeter.demo.cities import CONTENT
from civicmeter.performance import Frequency, Period, parse_period, period_containing, write_values
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.programmes.models import City, Programme

from . import services
from .models import Goal

GOALS_FILE = CONTENT / "goals.yaml"


def _periods(first: str, count: int, frequency: Frequency) -> list[Period]:
    """The periods of ``frequency`` from the month ``first`` over ``count`` months."""
    start = parse_period(first, Frequency.MONTH).start
    months = [
        date(start.year + (start.month - 1 + k) // 12, (start.month - 1 + k) % 12 + 1, 1)
        for k in range(count)
    ]
    return sorted({period_containing(m, frequency) for m in months})


def _values(city: str, spec: dict, periods: list[Period]) -> list[tuple[Period, float]]:
    if "start" not in spec:  # defined, not measured yet
        return []
    draw = random.Random(zlib.crc32(f"{city}/{spec['code']}".encode()))  # noqa: S311 - demo noise
    return [
        (period, round(spec["start"] + spec["trend"] * k + draw.gauss(0, spec["noise"]), 1))
        for k, period in enumerate(periods)
    ]


def load_demo_goals(programme: Programme) -> int:
    """Load the demo cities' goals into ``programme``; returns the number of cities loaded now."""
    data = yaml.safe_load(GOALS_FILE.read_text(encoding="utf-8"))
    loaded = 0
    for slug, setup in data["cities"].items():
        city = City.objects.filter(slug=slug).first()
        if city is None or Goal.objects.filter(programme=programme, city=city).exists():
            continue
        rule = setup["rule"]
        services.goals_settings_set(
            actor=SYSTEM,
            programme=programme,
            city=city,
            rule=rule["name"],
            band=rule.get("band"),
            public=setup["public"],
        )
        rows = []
        for goal_spec in setup["goals"]:
            goal = services.goal_create(
                actor=SYSTEM,
                programme=programme,
                city=city,
                title=goal_spec["title"],
                description=goal_spec.get("description", ""),
            )
            for spec in goal_spec["indicators"]:
                frequency = Frequency(spec["frequency"])
                services.indicator_create(
                    actor=SYSTEM,
                    goal=goal,
                    spec=services.IndicatorSpec(
                        spec["code"],
                        spec["name"],
                        spec["unit"],
                        spec["direction"],
                        frequency,
                        spec.get("baseline"),
                        spec.get("target"),
                    ),
                )
                periods = _periods(data["months"]["first"], data["months"]["count"], frequency)
                rows += [
                    {"indicator": spec["code"], "period": period, "value": value, "note": data["note"]}
                    for period, value in _values(slug, spec, periods)
                ]
        services.values_import(
            actor=SYSTEM,
            programme=programme,
            city=city,
            filename=f"demo-{slug}-kpi.csv",
            content=write_values(rows).encode(),
        )
        loaded += 1
    return loaded
