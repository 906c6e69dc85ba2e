"""The declarative sensitivity specification: which choices of a recipe are uncertain, and how.

Why validate everything first: an uncertainty analysis runs thousands of builds, and COINr's users
report runs that silently skip a step or die after an hour on a combination that never could work.
Here every problem of a spec is found before the first run and reported together, each naming the
spec key and the fix. A spec file looks like::

    seed: 1
    inputs:
      impute: {values: [{method: mean}, {method: mean_group, group: EurAsia_group}]}
      winsorise_max: {values: [1, 2, 3, 4, 5]}       # or treat: {values: [none, {winsorise_max:
      3}]}
      normalise: {values: [{method: minmax, range: [1, 100]}, {method: zscore, mean: 10, sd: 2}]}
      weights: {perturb: 0.25, levels: [2, 3]}       # uniform +/-25% noise on those levels'
      weights
      aggregate: {values: [{method: arithmetic}, {method: geometric}]}

Alternatives use exactly the recipe's syntax for that step and are checked by the recipe's own
validator. Discrete alternatives are equally likely; ``weights`` multiplies every weight of the
listed levels by an independent factor uniform on [1 - perturb, 1 + perturb] (COINr's
``get_noisy_weights``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from civicmeter.indexing import normalise as normalise_module
from civicmeter.indexing.aggregate import POSITIVE_ONLY
from civicmeter.indexing.errors import IndexInputError, ProblemCollector, RecipeError
from civicmeter.indexing.fit import check_recipe_fits
from civicmeter.indexing.hierarchy import Hierarchy
from civicmeter.indexing.recipe import Recipe, recipe_from_dict
from civicmeter.indexing.specs import AggregateSpec, NormaliseSpec
from civicmeter.indexing.tables import IndexData
from civicmeter.params import InstanceOf, validate_params
from civicmeter.yaml_schema import (
    UNKNOWN_KEY,
    FileMessages,
    MappingReader,
    is_number,
    is_whole,
    read_yaml_mapping,
)

#: Uncertain inputs in pipeline order; the stage each one changes decides what can be cached.
INPUT_STAGES = {
    "impute": "impute",
    "treat": "treat",
    "winsorise_max": "treat",
    "normalise": "normalise",
    "weights": "weights",
    "aggregate": "aggregate",
}
TOP_KEYS = ("seed", "inputs")

UNREADABLE = "cannot read the sensitivity spec ({detail}); fix the path or the YAML syntax"
NOT_MAPPING = "a sensitivity spec must be a YAML mapping with keys seed and inputs"
NO_STEP = "the recipe has no {step} step, so there is nothing to vary; add the step to the recipe"
NO_VALUES = "give the alternatives as a non-empty list under 'values'"
BAD_ALTERNATIVE = "{message}"
BAD_WINSORISE = "winsorise_max alternatives must be whole numbers >= 0; got {value!r}"
BAD_PERTURB = "perturb must be a number in (0, 1), the largest relative change of a weight; got {value!r}"
BAD_LEVELS = "levels must list framework levels whose codes have a parent (1 to {top}); got {value!r}"
NON_POSITIVE = (
    "{aggregate} aggregation needs values > 0 but {normalise} can give values <= 0; give the "
    "aggregate alternative a shift (e.g. shift: 1) or normalise onto a positive range such as "
    "minmax with range [1, 100]"
)
CONFLICT = "vary either treat or winsorise_max, not both (both change the treat step)"
BAD_SEED = "seed must be a whole number >= 0; got {value!r}"
NO_INPUTS = "list at least one uncertain input under 'inputs' (impute, treat, winsorise_max, ...)"


class SensitivitySpecError(IndexInputError):
    """A sensitivity spec is invalid or does not fit the recipe (codes ``sensitivity.E*``)."""


@dataclass(frozen=True)
class DiscreteInput:
    """An input with equally likely alternatives; ``values`` are step specs (or ints), ``labels``
    their text in the spec (written to runs.csv)."""

    name: str
    values: tuple[Any, ...]
    labels: tuple[str, ...]

    @property
    def stage(self) -> str:
        return INPUT_STAGES[self.name]

    @property
    def width(self) -> int:
        return 1

    def choose(self, u: np.ndarray | float) -> np.ndarray:
        """Alternative index for uniform draws u in [0, 1): equal bins, as COINr's ``cut``."""
        n = len(self.values)
        return np.minimum((np.asarray(u) * n).astype(int), n - 1)


@dataclass(frozen=True)
class WeightNoise:
    """Independent uniform noise on the weights of ``codes`` (all codes at ``levels``)."""

    perturb: float
    levels: tuple[int, ...]
    codes: tuple[str, ...]
    name: str = "weights"

    @property
    def stage(self) -> str:
        return "weights"

    @property
    def width(self) -> int:
        return len(self.codes)


@dataclass(frozen=True)
class SensitivitySpec:
    """A validated spec: its inputs in pipeline order, the seed and where it came from."""

    seed: int
    inputs: tuple[DiscreteInput | WeightNoise, ...]
    source: str = "<dict>"
    sha256: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.inputs)

    def get(self, name: str) -> DiscreteInput | WeightNoise | None:
        return next((i for i in self.inputs if i.name == name), None)


def _label(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _step_alternative(step: str, value: Any, place: str, problems: ProblemCollector) -> Any | None:
    """Parse one alternative with the recipe's validator; re-home its problems under ``place``."""
    marker = "\x00spec"
    try:
        recipe = recipe_from_dict({step: value}, source=marker)
    except RecipeError as exc:
        for problem in exc.problems:
            key = problem.place.split(" key ", 1)[-1]
            suffix = key[len(step) :] if key.startswith(step) else f".{key}"
            problems.add("sensitivity.E005", f"{place}{suffix}", problem.message)
        return None
    return getattr(recipe, step)


def _may_be_non_positive(spec: NormaliseSpec) -> str | None:
    """Describe why a normalisation can produce values <= 0, or None when it never does."""
    for code, sub in {"": spec, **spec.overrides}.items():
        positive = sub.method in normalise_module.POSITIVE_METHODS or (sub.method == "minmax" and sub.low > 0)
        if not positive:
            where = f" (override for {code})" if code else ""
            return f"{sub.method} normalisation{where}"
    return None


def _needs_positive(spec: AggregateSpec) -> str | None:
    """The method needing positive values somewhere in ``spec`` without a shift, or None."""
    for sub in (spec, *spec.levels.values(), *spec.nodes.values()):
        strict = sub.method in POSITIVE_ONLY or (sub.method == "generalised" and sub.p <= 0)
        if strict and sub.shift == 0:
            return sub.method
    return None


def _check_fits(variant: Recipe, data: IndexData, place: str, problems: ProblemCollector) -> None:
    """Check one alternative against the data with the recipe's own fit check.

    Positivity problems (``recipe.E005``) are left to :func:`_check_combinations`, which knows
    which pair of alternatives clashes.
    """
    try:
        check_recipe_fits(variant, data)
    except RecipeError as exc:
        for problem in exc.problems:
            if problem.code != "recipe.E005":
                key = problem.place.split(" key ", 1)[-1]
                problems.add("sensitivity.E005", f"{place} ({key})", problem.message)


class _SpecReader(MappingReader):
    """The spec's top level: unknown keys are ``sensitivity.E002``."""

    UNKNOWN_CODE = "sensitivity.E002"
    NOT_MAPPING_CODE = "sensitivity.E001"
    NOT_MAPPING = NOT_MAPPING


class _ValuesReader(_SpecReader):
    """A discrete input, ``{values: [...]}``; anything else asks for the list (E004)."""

    NOT_MAPPING_CODE = "sensitivity.E004"
    NOT_MAPPING = NO_VALUES


class _WeightsReader(_SpecReader):
    """The weights input, ``{perturb: ..., levels: [...]}``; anything else is E006."""

    NOT_MAPPING_CODE = "sensitivity.E006"
    NOT_MAPPING = BAD_PERTURB


def _discrete(
    name: str, r: _ValuesReader, recipe: Recipe, data: IndexData
) -> DiscreteInput | None:
    if not r.is_mapping:
        return None
    r.only(("values",))
    values = r.content.get("values")
    if not isinstance(values, list) or not values:
        r.problem("values", "sensitivity.E004", NO_VALUES)
        return None
    parsed = []
    for k, value in enumerate(values):
        at = f"values[{k}]"
        if name == "winsorise_max":
            if not is_whole(value, 0):
                r.problem(at, "sensitivity.E005", BAD_WINSORISE.format(value=value))
                continue
            parsed.append(replace(recipe.treat, winsorise_max=value))
        else:
            alternative = _step_alternative(name, value, r.place(at), r.problems)
            if alternative is not None:
                parsed.append(alternative)
    if len(parsed) != len(values):
        return None
    step = "treat" if name == "winsorise_max" else name
    for k, alternative in enumerate(parsed):
        variant = replace(recipe, **{step: alternative})
        _check_fits(variant, data, r.place(f"values[{k}]"), r.problems)
    return DiscreteInput(name=name, values=tuple(parsed), labels=tuple(_label(v) for v in values))


def _weights(r: _WeightsReader, hierarchy: Hierarchy) -> WeightNoise | None:
    if not r.is_mapping:
        return None
    r.only(("perturb", "levels"))
    perturb = r.content.get("perturb")
    ok = is_number(perturb) and 0 < perturb < 1
    if not ok:
        r.problem("perturb", "sensitivity.E006", BAD_PERTURB.format(value=perturb))
    top = hierarchy.n_levels - 1
    levels = r.content.get("levels", list(range(1, top + 1)))
    valid_levels = (
        isinstance(levels, list)
        and levels
        and all(is_whole(v, 1) and v <= top for v in levels)
    )
    if not valid_levels:
        r.problem("levels", "sensitivity.E006", BAD_LEVELS.format(top=top, value=levels))
    if not (ok and valid_levels):
        return None
    chosen = tuple(sorted(set(levels)))
    codes = tuple(c for c in hierarchy.codes if hierarchy.levels[c] in chosen)
    return WeightNoise(perturb=float(perturb), levels=chosen, codes=codes)


def _has_step(name: str, recipe: Recipe) -> bool:
    if name == "impute":
        return recipe.impute.method != "none"
    if name in ("treat", "winsorise_max"):
        return recipe.treat.enabled
    return True


def _check_combinations(
    inputs: dict[str, DiscreteInput | WeightNoise],
    recipe: Recipe,
    source: str,
    problems: ProblemCollector,
) -> None:
    """Refuse every varied (normalise, aggregate) pair the runs could meet that cannot be computed.

    The problem is placed on the aggregate alternative when aggregation is varied (that is where a
    shift goes), else on the normalise alternative.
    """
    norm, agg = inputs.get("normalise"), inputs.get("aggregate")
    if not isinstance(norm, DiscreteInput) and not isinstance(agg, DiscreteInput):
        return
    normalisations = (
        [(f"inputs.normalise.values[{k}]", v) for k, v in enumerate(norm.values)]
        if isinstance(norm, DiscreteInput)
        else [("", recipe.normalise)]
    )
    aggregations = (
        [(f"inputs.aggregate.values[{k}]", v) for k, v in enumerate(agg.values)]
        if isinstance(agg, DiscreteInput)
        else [("", recipe.aggregate)]
    )
    for agg_place, agg_spec in aggregations:
        method = _needs_positive(agg_spec)
        if method is None:
            continue
        for norm_place, norm_spec in normalisations:
            reason = _may_be_non_positive(norm_spec)
            if reason is None:
                continue
            origin = norm_place or "the recipe"
            message = NON_POSITIVE.format(aggregate=method, normalise=f"{reason} ({origin})")
            problems.add("sensitivity.E007", f"{source} key {agg_place or norm_place}", message)


@validate_params(
    {
        "content": [InstanceOf(dict, "a dict parsed from a sensitivity spec")],
        "recipe": [InstanceOf(Recipe, "a Recipe")],
        "data": [InstanceOf(IndexData, "an IndexData")],
        "source": [InstanceOf(str, "a str naming where the spec came from")],
        "sha256": [InstanceOf(str, "a str")],
    }
)
def sensitivity_spec_from_dict(
    content: dict, recipe: Recipe, data: IndexData, *, source: str = "<dict>", sha256: str = ""
) -> SensitivitySpec:
    """Validate a parsed spec against ``recipe`` and ``data``; raise every problem at once."""
    hierarchy = data.hierarchy
    problems = ProblemCollector(SensitivitySpecError)
    root = _SpecReader(content, source, "", problems)
    root.only(TOP_KEYS)
    seed = content.get("seed", 0)
    if not is_whole(seed, 0):
        root.problem("seed", "sensitivity.E008", BAD_SEED.format(value=seed))
    raw_inputs = content.get("inputs")
    if not isinstance(raw_inputs, dict) or not raw_inputs:
        root.problem("inputs", "sensitivity.E009", NO_INPUTS)
        raw_inputs = {}
    parsed: dict[str, DiscreteInput | WeightNoise] = {}
    for name, body in raw_inputs.items():
        at = f"inputs.{name}"
        if name not in INPUT_STAGES:
            allowed = ", ".join(INPUT_STAGES)
            root.problem(at, "sensitivity.E002", UNKNOWN_KEY.format(allowed=allowed))
            continue
        if not _has_step(name, recipe):
            step = "treat" if name == "winsorise_max" else name
            root.problem(at, "sensitivity.E003", NO_STEP.format(step=step))
            continue
        item = (
            _weights(_WeightsReader(body, source, at, problems), hierarchy)
            if name == "weights"
            else _discrete(name, _ValuesReader(body, source, at, problems), recipe, data)
        )
        if item is not None:
            parsed[name] = item
    if "treat" in raw_inputs and "winsorise_max" in raw_inputs:
        root.problem("inputs.winsorise_max", "sensitivity.E010", CONFLICT)
    _check_combinations(parsed, recipe, source, problems)
    problems.raise_if_any()
    ordered = tuple(parsed[n] for n in INPUT_STAGES if n in parsed)
    return SensitivitySpec(seed=int(seed), inputs=ordered, source=source, sha256=sha256)


#: How a spec file that cannot be read is reported (all ``sensitivity.E001``).
FILE_MESSAGES = FileMessages(
    error=SensitivitySpecError.single,
    code="sensitivity.E001",
    unreadable=UNREADABLE,
    syntax=UNREADABLE,
    not_mapping=NOT_MAPPING,
)


@validate_params(
    {
        "path": [InstanceOf((str, Path), "a path to a YAML sensitivity spec")],
        "recipe": [InstanceOf(Recipe, "a Recipe")],
        "data": [InstanceOf(IndexData, "an IndexData")],
    }
)
def load_sensitivity_spec(path: str | Path, recipe: Recipe, data: IndexData) -> SensitivitySpec:
    """Read and validate a YAML spec file; its sha256 (of the file's bytes) goes into
    provenance."""
    content, sha256 = read_yaml_mapping(path, FILE_MESSAGES)
    return sensitivity_spec_from_dict(content, recipe, data, source=str(Path(path)), sha256=sha256)
