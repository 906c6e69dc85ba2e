"""Denomination: divide size-dependent indicators by a denominator (GDP, population, area...).

Follows COINr's ``Denominate``: each indicator with a ``Denominator`` entry in iMeta is divided by
that iData column; the others pass through unchanged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from civicmeter.params import InstanceOf, validate_params


@validate_params(
    {
        "values": [InstanceOf(pd.DataFrame, "a pandas DataFrame of indicator values")],
        "denominators": [InstanceOf(pd.DataFrame, "a pandas DataFrame of denominator columns")],
        "denominated_by": [
            InstanceOf(dict, "a dict mapping indicator codes to denominator columns")
        ],
    }
)
def denominate(
    values: pd.DataFrame, denominators: pd.DataFrame, denominated_by: dict[str, str]
) -> pd.DataFrame:
    """Divide each indicator named in ``denominated_by`` by its denominator column.

    Rows are matched by index (uCode). A zero denominator gives a missing value rather than
    infinity.
    """
    out = values.astype(float).copy()
    codes = [c for c in denominated_by if c in out.columns]
    if codes:
        columns = [denominated_by[c] for c in codes]
        divisor = denominators[columns].reindex(out.index).to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[codes] = out[codes].to_numpy() / np.where(divisor == 0, np.nan, divisor)
    return out
