"""Put outcome values on a common 0-100 "index points" scale, keeping the raw values.

Comparing "86% satisfied" with "life expectancy 78.1 years" needs one scale. Following the OECD
comparison of high- and low-capacity cities, a value that is already a share keeps its meaning
(0.86 or 86% -> 86 points; reversed as 100 - x when lower is better), and any other value is
min-max rescaled across the cities in scope for the same indicator and period:

    points = 100 * (x - min) / (max - min)        (direction +1)
    points = 100 * (max - x) / (max - min)        (direction -1)

Min-max points depend on which cities are in scope; they compare cities within one analysis, not
across analyses. An indicator whose values are all equal in scope gets NaN (there is no spread to
rescale), never an invented 50.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from civicmeter.outcomes.catalogue import SHARE_UNITS, Catalogue, RescaleRule, load_catalogue
from civicmeter.outcomes.errors import OutcomesError, Problem
from civicmeter.params import NONE, Columns, InstanceOf, validate_params

E050_UNKNOWN = (
    "indicator {code!r} (rows {rows}) is not in the catalogue; it cannot be rescaled. Add it to a catalogue."
)


@validate_params(
    {
        "data": [Columns("indicator", "value")],
        "catalogue": [InstanceOf(Catalogue, "a Catalogue"), NONE],
        "scope": [InstanceOf((list, tuple), "a list of columns that define one comparison")],
    }
)
def rescale_to_index(
    data: pd.DataFrame,
    *,
    catalogue: Catalogue | None = None,
    scope: list[str] | tuple[str, ...] = ("indicator", "period"),
) -> pd.DataFrame:
    """``data`` with an ``index_points`` column (0-100) and the rule used; ``value`` is unchanged.

    ``scope`` names the columns within which min-max runs (by default one indicator in one period;
    columns absent from ``data`` are ignored). A ``unit`` column, when present, decides whether a
    share indicator's values are 0-1 shares or 0-100 percentages; otherwise the catalogue unit does.
    """
    catalogue = catalogue if catalogue is not None else load_catalogue()
    codes = data["indicator"].map(lambda c: catalogue.resolve(str(c)))
    unknown = codes.isna()
    if unknown.any():
        problems = []
        for name, rows in data.index[unknown].groupby(data.loc[unknown, "indicator"]).items():
            problems.append(
                Problem(
                    "outcomes.E050",
                    E050_UNKNOWN.format(code=name, rows=", ".join(map(str, list(rows)[:5]))),
                )
            )
        raise OutcomesError(problems)
    indicators = codes.map(lambda c: catalogue[c])
    rule = indicators.map(lambda i: i.rescale.value)
    direction = indicators.map(lambda i: i.direction).astype(float)
    unit = data["unit"] if "unit" in data else indicators.map(lambda i: i.unit)
    unit = unit.where(unit.isin(list(SHARE_UNITS)), indicators.map(lambda i: i.unit))
    value = data["value"].astype(float)

    factor = unit.map(SHARE_UNITS).astype(float)
    share_points = np.where(direction > 0, value * factor, 100 - value * factor)

    keys = [c for c in scope if c in data.columns]
    grouped = value.groupby([data[k] for k in keys] if keys else np.zeros(len(data)))
    low, high = grouped.transform("min"), grouped.transform("max")
    spread = (high - low).where(high > low)
    minmax_points = np.where(direction > 0, value - low, high - value) / spread * 100

    points = np.where(rule == RescaleRule.SHARE.value, share_points, minmax_points)
    return data.assign(index_points=points.astype(float), rescale_rule=rule.to_numpy())
