"""Performance management: goals' indicators, their status under a city's chosen rule, the city
score per window, KPI value files, and a city's progress from one survey wave to the next.

Pure Python (no Django), so a notebook can use it::

    from civicmeter.performance import DEFAULTS, Direction, RuleName
    DEFAULTS[RuleName.LOUIESTAT].assess(92.0, 100.0, Direction.HIGHER).status   # Status.NEAR_TARGET
"""

from civicmeter.performance.cityscore import WindowScore, city_score, historical_target
from civicmeter.performance.errors import ValueProblem, ValuesFileError
from civicmeter.performance.indicators import Direction, Frequency, Indicator, Observation
from civicmeter.performance.periods import Period, parse_period, period_containing
from civicmeter.performance.progress import (
    ActionDone,
    Caveat,
    ComponentChange,
    ComponentScore,
    Progress,
    Verdict,
    WaveScore,
    rank_verdict,
    wave_progress,
)
from civicmeter.performance.status import (
    DEFAULTS,
    Assessment,
    RuleName,
    Status,
    StatusRule,
    meets_target,
    ratio_to_target,
)
from civicmeter.performance.values_file import COLUMNS, ValueRow, read_values, write_values

__all__ = [
    "COLUMNS",
    "DEFAULTS",
    "ActionDone",
    "Assessment",
    "Caveat",
    "ComponentChange",
    "ComponentScore",
    "Direction",
    "Frequency",
    "Indicator",
    "Observation",
    "Period",
    "Progress",
    "RuleName",
    "Status",
    "StatusRule",
    "ValueProblem",
    "ValueRow",
    "ValuesFileError",
    "Verdict",
    "WaveScore",
    "WindowScore",
    "city_score",
    "historical_target",
    "meets_target",
    "parse_period",
    "period_containing",
    "rank_verdict",
    "ratio_to_target",
    "read_values",
    "wave_progress",
    "write_values",
]
