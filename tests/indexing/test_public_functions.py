"""Meta-test: every public engine function declares its constraints, and they are enforced.

Walks each module of ``civicmeter.indexing``; for every public function decorated with
``validate_params`` it checks that the declared constraints match the signature and that every
generated invalid value (and an arbitrary object) raises ``ParameterError`` with the standard
message.
Checking one parameter at a time, the other parameters' checks are switched off so the probe reaches
the parameter under test (the function body never runs: the check fails first).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import civicmeter.indexing
import civicmeter.params as params_module
from civicmeter.params import ParameterError, describe_constraints


def _public_validated_functions():
    found = {}
    for info in pkgutil.iter_modules(civicmeter.indexing.__path__):
        module = importlib.import_module(f"civicmeter.indexing.{info.name}")
        for name, obj in vars(module).items():
            if (
                name.startswith("_")
                or not callable(obj)
                or not hasattr(obj, "__param_constraints__")
            ):
                continue
            if getattr(obj, "__module__", None) == module.__name__:
                found[f"{module.__name__}.{name}"] = obj
    return found


FUNCTIONS = _public_validated_functions()
PROBES = [
    (qualname, param, value)
    for qualname, func in FUNCTIONS.items()
    for param, constraints in func.__param_constraints__.items()
    for value in [object()] + [v for c in constraints for v in c.invalid_examples()]
    if not any(c.is_satisfied_by(value) for c in constraints)
]


def test_the_engine_has_validated_public_functions():
    assert "civicmeter.indexing.pipeline.run_pipeline" in FUNCTIONS
    assert "civicmeter.indexing.normalise.normalise_array" in FUNCTIONS
    assert len(FUNCTIONS) >= 15


@pytest.mark.parametrize("qualname", sorted(FUNCTIONS))
def test_constraints_match_signature(qualname):
    func = FUNCTIONS[qualname]
    signature = inspect.signature(func)
    parameters = {
        name
        for name, p in signature.parameters.items()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }
    assert set(func.__param_constraints__) == parameters


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
    arguments = {name: None for name in inspect.signature(func).parameters}
    arguments[param] = value
    constraints = func.__param_constraints__[param]
    expected = (
        f"the {param!r} parameter of {func.__name__} must be {describe_constraints(constraints)}; "
        f"got {value!r}"
    )
    with pytest.raises(ParameterError) as info:
        func(**arguments)
    assert str(info.value) == expected
    assert info.value.parameter == param
