"""Unit screening: drop units whose share of available indicator values is too low.

COINr's ``Screen(unit_screen = "byNA")``: availability is the fraction of non-missing indicator
values of a unit; units strictly below ``min_availability`` are removed. Screening runs after
imputation in COINr's documented pipeline, so it only removes units imputation could not fill.
"""

from __future__ import annotations

import pandas as pd

from civicmeter.params import InstanceOf, Interval, validate_params


@validate_params(
    {
        "values": [InstanceOf(pd.DataFrame, "a pandas DataFrame of indicator values")],
        "min_availability": [Interval(float, 0, 1)],
    }
)
def screen_units(
    values: pd.DataFrame, *, min_availability: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the kept rows and a table (uCode, Availability, Kept) for every unit."""
    availability = values.notna().mean(axis=1)
    kept = availability >= min_availability
    report = pd.DataFrame(
        {"uCode": values.index, "Availability": availability.to_numpy(), "Kept": kept.to_numpy()}
    )
    return values.loc[kept], report
