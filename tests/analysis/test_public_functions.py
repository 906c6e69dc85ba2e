"""Meta-test: each public function of ``civicmeter.analysis`` declares and enforces constraints.

The same walk as tests/indexing/test_public_functions.py, over the analysis package: declared
constraints must cover the whole signature, and each generated invalid value must raise
``ParameterError`` with the standard message before the function body runs.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import civicmeter.analysis
import civicmeter.params as params_module
from civicmeter.analysis import errors
from civicmeter.params import ParameterError, describe_constraints


def _validated():
    found = {}
    for info in pkgutil.iter_modules(civicmeter.analysis.__path__):
        module = importlib.import_module(f"civicmeter.analysis.{info.name}")
        for name, obj in vars(module).items():
            if name.startswith("_") or not hasattr(obj, "__param_constraints__"):
                continue
            if obj.__module__ == module.__name__:
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
    assert {"analyze", "compare_groups", "adjusted_difference", "render_html"} <= names


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
    constraints = func.__param_constraints__[param]
    expected = (
        f"the {param!r} parameter of {func.__name__} must be "
        f"{describe_constraints(constraints)}; got {value!r}"
    )
    with pytest.raises(ParameterError) as info:
        func(**arguments)
    assert str(info.value) == expected


def test_every_error_code_is_documented():
    codes = {v for k, v in vars(errors).items() if k.isupper() and isinstance(v, str)}
    listed = Path(__file__).parents[2].joinpath("docs", "reference", "errors.md").read_text()
    documented = set(re.findall(r"`(analysis\.E\d{3})`", listed))
    assert codes == documented
