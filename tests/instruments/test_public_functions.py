"""Meta-test: every public function of ``civicmeter.instruments`` declares its constraints fully,
and each generated invalid value raises ``ParameterError`` with the standard message."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import civicmeter.instruments
import civicmeter.params as params_module
from civicmeter.params import ParameterError, describe_constraints


def _validated_functions() -> dict:
    found = {}
    for info in pkgutil.iter_modules(civicmeter.instruments.__path__):
        module = importlib.import_module(f"civicmeter.instruments.{info.name}")
        for name, obj in vars(module).items():
            if (
                not name.startswith("_")
                and hasattr(obj, "__param_constraints__")
                and obj.__module__ == module.__name__
            ):
                found[f"{module.__name__}.{name}"] = obj
    return found


FUNCTIONS = _validated_functions()
PROBES = [
    (qualname, param, value)
    for qualname, func in FUNCTIONS.items()
    for param, constraints in func.__param_constraints__.items()
    for value in [object()] + [v for c in constraints for v in c.invalid_examples()]
    if not any(c.is_satisfied_by(value) for c in constraints)
]


def test_the_entry_points_are_validated() -> None:
    for qualname in (
        "civicmeter.instruments.loader.load_instrument",
        "civicmeter.instruments.answers.clean_answer",
        "civicmeter.instruments.answers.visible",
        "civicmeter.instruments.tabular.frame_to_answers",
        "civicmeter.instruments.files.read_table",
        "civicmeter.instruments.xform.to_xform",
    ):
        assert qualname in FUNCTIONS


@pytest.mark.parametrize("qualname", sorted(FUNCTIONS))
def test_constraints_match_signature(qualname: str) -> None:
    func = FUNCTIONS[qualname]
    parameters = {
        name
        for name, p in inspect.signature(func).parameters.items()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }
    assert set(func.__param_constraints__) == parameters


@pytest.mark.parametrize(
    ("qualname", "param", "value"),
    PROBES,
    ids=[f"{q.rsplit('.', 1)[1]}-{p}-{i}" for i, (q, p, _) in enumerate(PROBES)],
)
def test_invalid_value_raises_standard_message(qualname, param, value, monkeypatch) -> None:
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
    with pytest.raises(ParameterError) as caught:
        func(**arguments)
    assert str(caught.value) == expected
