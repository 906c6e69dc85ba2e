"""Meta-test: each public function of ``civicmeter.scoring`` declares and enforces its constraints.

The same walk as tests/indexing/test_public_functions.py: the declared constraints cover the whole
signature, and each generated invalid value raises ``ParameterError`` with the standard message.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import civicmeter.params as params_module
import civicmeter.scoring
from civicmeter.params import ParameterError, describe_constraints


def _validated():
    found = {}
    for info in pkgutil.iter_modules(civicmeter.scoring.__path__):
        module = importlib.import_module(f"civicmeter.scoring.{info.name}")
        for name, obj in vars(module).items():
            if (
                not name.startswith("_")
                and hasattr(obj, "__param_constraints__")
                and obj.__module__ == module.__name__
            ):
                found[f"{module.__name__}.{name}"] = obj
    return found


FUNCTIONS = _validated()
PROBES = [
    (qualname, param, value)
    for qualname, func in FUNCTIONS.items()
    for param, constraints in func.__param_constraints__.items()
    for value in [object()] + [v for c in constraints for v in c.invalid_examples()]
    if not any(c.is_satisfied_by(value) for c in constraints)
]


def test_the_public_api_is_validated():
    names = {q.rsplit(".", 1)[1] for q in FUNCTIONS}
    assert names == {
        "load_scoring_recipe",
        "scoring_recipe_from_dict",
        "score_responses",
        "score_assessments",
    }


@pytest.mark.parametrize("qualname", sorted(FUNCTIONS))
def test_constraints_cover_the_signature(qualname):
    func = FUNCTIONS[qualname]
    assert set(func.__param_constraints__) == set(inspect.signature(func).parameters)


@pytest.mark.parametrize(
    ("qualname", "param", "value"),
    PROBES,
    ids=[f"{q.rsplit('.', 1)[1]}-{p}-{i}" for i, (q, p, _) in enumerate(PROBES)],
)
def test_invalid_value_raises_standard_message(qualname, param, value, monkeypatch):
    func = FUNCTIONS[qualname]
    real_check = params_module.check_param

    def check_only_target(name, val, constraints, *, caller):
        if name == param:
            real_check(name, val, constraints, caller=caller)

    monkeypatch.setattr(params_module, "check_param", check_only_target)
    arguments = dict.fromkeys(inspect.signature(func).parameters)
    arguments[param] = value
    expected = (
        f"the {param!r} parameter of {func.__name__} must be "
        f"{describe_constraints(func.__param_constraints__[param])}; got {value!r}"
    )
    with pytest.raises(ParameterError) as info:
        func(**arguments)
    assert str(info.value) == expected
