"""Designs too degenerate to estimate honestly, and the reason given instead of a number.

A formula will still return a number for a constant outcome (a difference of -2e-14 with p = 0.45),
for an outcome constant within each group (a standard error of zero and p = 0) or for a regression in
which one city has leverage one (HC3 divides its residual by 1 - h = 0, so the standard error is
rounding noise). Such numbers look like findings and are not. Each check here returns the reason a
reader sees in the estimate's place, or ``None`` when the design is fine.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from civicmeter.analysis.errors import plain

#: Leverage this close to one is one in floating point (statsmodels reports 0.999999999999999).
LEVERAGE_ONE = 1 - 1e-8
#: Residual variation below this share of the total is an exact fit, not a tight one.
EXACT_FIT = 1e-12


def _constant(values: np.ndarray) -> bool:
    return values.size > 0 and float(np.ptp(values)) <= 1e-12 * max(1.0, float(np.abs(values).max()))


def constant_outcome(values: np.ndarray) -> str | None:
    """The outcome takes one value for every city: nothing to compare."""
    if _constant(values):
        return f"not estimated: all values equal ({plain(float(values[0]))} for every city)"
    return None


def constant_within(groups: Sequence[np.ndarray], word: str) -> str | None:
    """Each group (class) is constant: the data hold no variation to build an interval from."""
    if all(_constant(g) for g in groups):
        return (
            f"not estimated: the outcome is constant within each {word}, so there is no variation "
            "left to estimate an interval from"
        )
    return None


def small_class(count: int, label: str, minimum: int) -> str | None:
    """Too few cities in one class for a regression coefficient with a usable HC3 error."""
    if count >= minimum:
        return None
    cities = "city" if count == 1 else "cities"
    return (
        f"not estimated: only {count} {cities} in the {label} class have this outcome and every "
        f"control; at least {minimum} are needed (with fewer, a city's leverage is near one and its "
        "HC3 standard error meaningless)"
    )


def leverage_one(leverage: np.ndarray, cities: Sequence[str]) -> str | None:
    """A city whose own value the model fits exactly (leverage one): HC3 is undefined there."""
    lone = [city for city, h in zip(cities, leverage, strict=True) if h > LEVERAGE_ONE]
    if not lone:
        return None
    return (
        f"not estimated: {', '.join(repr(c) for c in lone)} has leverage one (the model fits it "
        "exactly), where HC3 standard errors are undefined"
    )


def exact_fit(residual_ss: float, total_ss: float) -> str | None:
    """Capacity and controls reproduce the outcome exactly: a zero error, not a finding."""
    if residual_ss <= EXACT_FIT * max(total_ss, 1e-300):
        return (
            "not estimated: capacity and the controls reproduce the outcome exactly, leaving no "
            "residual variation to estimate an interval from"
        )
    return None
