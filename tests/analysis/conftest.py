"""Synthetic capacity, outcome and control tables for the analysis tests (no shared data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def build_inputs(
    *,
    n: int = 60,
    n_data_use: int = 0,
    gap: float = 4.0,
    indicators: tuple[str, ...] = ("city_satisfaction", "life_satisfaction", "walkability"),
    seed: int = 0,
) -> dict[str, pd.DataFrame]:
    """``n`` PSI cities (the last ``n_data_use`` of which are instead in the data-use sample)."""
    rng = np.random.default_rng(seed)
    cities = [f"city-{i:03d}-us" for i in range(n)]
    psi_index = rng.uniform(0, 10, n)
    capacity = pd.DataFrame(
        {
            "city": cities,
            "psi_index": psi_index,
            "psi_class": np.where(psi_index >= 6, "high", "low"),
            "dedicated_staff": rng.integers(0, 2, n).astype(bool),
            "formal_strategy": rng.choice(["yes", "no"], n),
            "holistic_approach": rng.integers(0, 2, n),
        }
    )
    if n_data_use:
        du = slice(n - n_data_use, n)
        for column in ("psi_index", "psi_class", "dedicated_staff", "formal_strategy"):
            capacity[column] = capacity[column].astype(object)
            capacity.loc[capacity.index[du], column] = None
        capacity.loc[capacity.index[du], "holistic_approach"] = np.nan
        index = rng.integers(0, 39, n_data_use).astype(float)
        capacity["data_use_index"] = np.nan
        capacity["data_use_class"] = None
        capacity["practice_open_data"] = np.nan
        capacity.loc[capacity.index[du], "data_use_index"] = index
        capacity.loc[capacity.index[du], "data_use_class"] = np.where(index >= 23, "high", "low")
        capacity.loc[capacity.index[du], "practice_open_data"] = rng.integers(0, 4, n_data_use)
    high = (capacity["psi_class"] == "high") | (capacity.get("data_use_class") == "high")
    records = []
    for code in indicators:
        values = np.clip(rng.normal(78, 6, n) + gap * high.to_numpy(), 0, 100)
        for city, value in zip(cities, values, strict=True):
            records.append(
                {"city": city, "indicator": code, "period": 2023, "value": value, "n": 400}
            )
    controls = pd.DataFrame(
        {
            "city": cities,
            "population": rng.lognormal(12, 1, n),
            "gdp_per_capita": rng.lognormal(10.5, 0.3, n),
            "country": rng.choice(["us", "de", "fr"], n),
        }
    )
    catalogue = pd.DataFrame(
        {
            "code": list(indicators),
            "name": [code.replace("_", " ") for code in indicators],
            "dimension": "community",
            "direction": "higher is better",
        }
    )
    return {
        "capacity": capacity,
        "outcomes": pd.DataFrame.from_records(records),
        "controls": controls,
        "catalogue": catalogue,
    }


@pytest.fixture
def make_inputs():
    return build_inputs


@pytest.fixture
def inputs():
    return build_inputs()
