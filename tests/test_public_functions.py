"""Meta-test for every domain package: each public function declares its parameter constraints,
and they are enforced with the standard message (scikit-learn's ``test_public_functions``).

For every function decorated with ``validate_params`` in ``civicmeter.<package>.*``: the declared
constraints cover exactly the signature, and every generated invalid value (plus an arbitrary
object) raises ``ParameterError`` naming the parameter, the function, what is allowed and what was
received. While one parameter is probed the others' checks are switched off, so the probe reaches
it; the function body never runs because the check fails first.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import civicmeter.params as params_module
from civicmeter.params import ParameterError, describe_constraints

PACKAGES = ("indexing", "instruments", "outcomes", "analysis", "scoring", "narrative", "performance",
            "charts")

#: Entry points each package must keep validated (a guard against the walk finding nothing).
ENTRY_POINTS = {
    "indexing": {"run_pipeline", "normalise_array", "read_index_data", "run_uncertainty", "audit_index"},
    "instruments": {"load_instrument", "clean_answer", "visible", "frame_to_answers", "read_table"},
    "outcomes": {"read_outcome_table", "summarise_microdata", "match_cities", "rescale_to_index"},
    "analysis": {"analyze", "compare_groups", "adjusted_difference", "render_html"},
    "scoring": {"load_scoring_recipe", "score_responses", "score_assessments"},
    "charts": {"bar_chart", "stacked_bar_chart", "grouped_bar_chart", "interval_chart", "line_chart"},
    "narrative": {
        "benchmark_statements",
        "render_statement",
        "load_wording",
        "peer_groups",
        "load_rules",
        "recommend",
        "load_cases",
        "filter_cases",
        "search_cases",
    },
    "performance": {"city_score", "read_values", "wave_progress"},
}


def _validated_functions() -> dict[str, object]:
    found = {}
    for package in PACKAGES:
        root = importlib.import_module(f"civicmeter.{package}")
        for info in pkgutil.iter_modules(root.__path__):
            module = importlib.import_module(f"civicmeter.{package}.{info.name}")
            for name, obj in vars(module).items():
                if (
                    not name.startswith("_")
                    and hasattr(obj, "__param_constraints__")
                    and getattr(obj, "__module__", None) == module.__name__
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


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_keeps_its_entry_points_validated(package):
    names = {q.rsplit(".", 1)[1] for q in FUNCTIONS if q.startswith(f"civicmeter.{package}.")}
    assert ENTRY_POINTS[package] <= names


@pytest.mark.parametrize("qualname", sorted(FUNCTIONS))
def test_constraints_cover_the_signature(qualname):
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
    ids=[f"{q.removeprefix('civicmeter.')}-{p}-{i}" for i, (q, p, _) in enumerate(PROBES)],
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
    assert info.value.parameter == param


def _settings_classes() -> dict[str, tuple[type, dict]]:
    """Settings objects (style practice 16): a dataclass whose fields are exactly the keys of its
    module's ``CONSTRAINTS``, each checked when the object is made."""
    found = {}
    for package in PACKAGES:
        root = importlib.import_module(f"civicmeter.{package}")
        for info in pkgutil.iter_modules(root.__path__):
            module = importlib.import_module(f"civicmeter.{package}.{info.name}")
            constraints = getattr(module, "CONSTRAINTS", None)
            if not isinstance(constraints, dict):
                continue
            for name, obj in vars(module).items():
                fields = getattr(obj, "__dataclass_fields__", None)
                if isinstance(obj, type) and fields and obj.__module__ == module.__name__:
                    if set(fields) == set(constraints):
                        found[f"{module.__name__}.{name}"] = (obj, constraints)
    return found


SETTINGS = _settings_classes()
SETTINGS_PROBES = [
    (qualname, field, value)
    for qualname, (_, constraints) in SETTINGS.items()
    for field, allowed in constraints.items()
    for value in [object()] + [v for c in allowed for v in c.invalid_examples()]
    if not any(c.is_satisfied_by(value) for c in allowed)
]


def test_settings_objects_are_found():
    assert "civicmeter.indexing.sensitivity.UncertaintySettings" in SETTINGS


@pytest.mark.parametrize(
    ("qualname", "field", "value"),
    SETTINGS_PROBES,
    ids=[f"{q.removeprefix('civicmeter.')}-{f}-{i}" for i, (q, f, _) in enumerate(SETTINGS_PROBES)],
)
def test_a_settings_object_refuses_an_invalid_field_when_made(qualname, field, value):
    cls, constraints = SETTINGS[qualname]
    expected = (
        f"the {field!r} parameter of {cls.__name__} must be "
        f"{describe_constraints(constraints[field])}; got {value!r}"
    )
    with pytest.raises(ParameterError) as info:
        cls(**{field: value})
    assert str(info.value) == expected
