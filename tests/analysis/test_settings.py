"""ComparisonSettings: one validated object carries every analysis choice through every layer."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

import civicmeter.analysis
from civicmeter.analysis import ComparisonSettings, analyze
from civicmeter.params import ParameterError

PACKAGE = Path(civicmeter.analysis.__file__).parent


def _parameter_counts():
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                args = node.args
                count = len(args.posonlyargs) + len(args.args) + len(args.kwonlyargs)
                count += bool(args.vararg) + bool(args.kwarg)
                yield f"{path.name}:{node.name}", count


def test_no_function_in_the_analysis_package_takes_more_than_eight_parameters():
    too_many = {name: n for name, n in _parameter_counts() if n > 8}
    assert too_many == {}


def test_settings_are_frozen_and_validated_when_made():
    settings = ComparisonSettings(alpha=0.1, indicators=["walkability"])
    assert settings.indicators == ("walkability",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.alpha = 0.2  # type: ignore[misc]
    with pytest.raises(ParameterError, match=r"the 'n_resamples' parameter of ComparisonSettings"):
        ComparisonSettings(n_resamples=10)
    with pytest.raises(ParameterError, match="'fixed_effects'"):
        ComparisonSettings(fixed_effects="continent")


def test_a_stored_mapping_round_trips_and_unknown_options_are_refused():
    settings = ComparisonSettings(method="welch", groupings=("psi_class",), period=2023)
    assert ComparisonSettings.from_mapping(settings.to_mapping()) == settings
    with pytest.raises(ParameterError, match="has no option 'alhpa'"):
        ComparisonSettings.from_mapping({"alhpa": 0.1})


def test_one_settings_object_reaches_every_table_and_the_report(make_inputs):
    data = make_inputs(n=60)
    settings = ComparisonSettings(alpha=0.1, correction="holm", n_resamples=199)
    report = analyze(data["capacity"], data["outcomes"], controls=data["controls"], settings=settings)
    assert report.settings is settings
    assert {(t.alpha, t.correction) for t in report.tables} == {(0.1, "holm")}
    shown = dict(report.to_tables()["settings"].itertuples(index=False))
    assert shown["correction"] == "holm" and shown["economy"] == "gdp_per_capita"
