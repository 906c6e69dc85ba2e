"""Paths to the real-data slices under tests/fixtures (copied from the shared data, see READMEs)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def kc(fixtures) -> Path:
    """The Kansas City resident survey slice (FY2022, 1,033 respondents)."""
    return fixtures / "kcmo-resident-survey/FY2022_RS_slice.csv"


@pytest.fixture
def kc_place_to_live() -> dict:
    """The reduction several tests check on ``kc``: "the city as a place to live" (q1_01, 1-5)
    as the share answering 4 or 5, per quarter."""
    return {
        "city": "Kansas City",
        "period_column": "quarte",
        "item": "q1_01",
        "scale": (1, 5),
        "statistic": "top2",
        "indicator": "kc_place_to_live",
    }
