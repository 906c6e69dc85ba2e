"""Every public outcomes function declares its parameter constraints, and they are enforced."""

from __future__ import annotations

import inspect

import pytest

import civicmeter.outcomes as outcomes
from civicmeter.outcomes import estimators, names
from civicmeter.params import ParameterError

FUNCTIONS = [
    getattr(outcomes, name) for name in outcomes.__all__ if inspect.isfunction(getattr(outcomes, name))
]
FUNCTIONS += [estimators.cell_estimates, estimators.group_estimates, names.name_keys]


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_constraints_are_declared_and_match_the_signature(function):
    constraints = getattr(function, "__param_constraints__", None)
    assert constraints, f"{function.__name__} does not declare its parameters"
    assert set(constraints) <= set(inspect.signature(function).parameters)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_invalid_values_raise_the_standard_message(function):
    for name, allowed in function.__param_constraints__.items():
        for constraint in allowed:
            for bad in constraint.invalid_examples():
                if any(c.is_satisfied_by(bad) for c in allowed):
                    continue
                with pytest.raises(
                    ParameterError, match=f"the '{name}' parameter of {function.__name__} must be"
                ):
                    _call_with(function, name, bad)


def _call_with(function, name, value):
    """Call with ``value`` for ``name`` and placeholders elsewhere; validation runs first."""
    arguments = {}
    for parameter in inspect.signature(function).parameters.values():
        if parameter.name == name:
            arguments[name] = value
        elif parameter.default is inspect.Parameter.empty:
            arguments[parameter.name] = _valid_placeholder(function, parameter.name)
    function(**arguments)


def _valid_placeholder(function, name):
    for constraint in function.__param_constraints__.get(name, []):
        for candidate in ("x", 1, 0.5, (1, 5), [], {}, True):
            if constraint.is_satisfied_by(candidate):
                return candidate
    import numpy as np
    import pandas as pd

    for candidate in (
        np.zeros(1),
        pd.DataFrame({"name": [], "slug": [], "country": [], "indicator": [], "value": []}),
    ):
        if any(c.is_satisfied_by(candidate) for c in function.__param_constraints__.get(name, [])):
            return candidate
    return None
