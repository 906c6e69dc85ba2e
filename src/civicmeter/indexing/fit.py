"""Checks that a valid recipe fits the data it is about to run on, before anything is computed.

Parsing (``recipe.py``) knows only the file; here the recipe meets the tables: group columns,
reference units, targets, goalposts, levels and nodes, weight sets, panel time points, and whether a
geometric or harmonic mean could meet a value <= 0.
"""

from __future__ import annotations

from civicmeter.indexing import aggregate as aggregate_module
from civicmeter.indexing import normalise as normalise_module
from civicmeter.indexing.errors import ProblemCollector, RecipeError
from civicmeter.indexing.recipe import Recipe
from civicmeter.indexing.specs import AggregateSpec, NormaliseSpec
from civicmeter.indexing.tables import IndexData
from civicmeter.params import InstanceOf, validate_params

NOT_POSITIVE = (
    "the {method} mean of {node} needs inputs > 0, but {reason}; normalise onto a positive range "
    "(e.g. normalise: {{method: minmax, range: [1, 100]}}), choose another method, or set an "
    "explicit "
    "shift (e.g. shift: 1)"
)


def _normalised_positive(spec: NormaliseSpec) -> bool:
    """Whether the method guarantees values > 0 whatever the data."""
    return spec.method in normalise_module.POSITIVE_METHODS or (
        spec.method == "minmax" and spec.low > 0
    )


def _node_positive(spec: AggregateSpec, children_positive: bool) -> bool:
    return children_positive and spec.method in aggregate_module.MEAN_METHODS


def _needs_positive(spec: AggregateSpec) -> bool:
    return spec.shift == 0 and (
        spec.method in aggregate_module.POSITIVE_ONLY
        or (spec.method == "generalised" and spec.p <= 0)
    )


def _check_normalise(
    recipe: Recipe, data: IndexData, problems: ProblemCollector, where: str
) -> None:
    h = data.hierarchy
    units = set(data.at_time(recipe.time)["uCode"])
    specs = {
        "normalise": recipe.normalise,
        **{f"normalise.overrides.{c}": s for c, s in recipe.normalise.overrides.items()},
    }
    for code in recipe.normalise.overrides:
        if code not in h.indicators:
            problems.add(
                "recipe.E006",
                f"{where} key normalise.overrides.{code}",
                "is not an indicator code of iMeta",
            )
    for key, spec in specs.items():
        if spec.method == "dist2ref" and spec.unit not in units:
            problems.add(
                "recipe.E006",
                f"{where} key {key}.unit",
                f"unit {spec.unit!r} is not a uCode of iData",
            )
        if spec.method == "dist2targ":
            missing = [c for c, t in data.targets.items() if t != t]
            if missing:
                problems.add(
                    "recipe.E006",
                    f"{where} key {key}.method",
                    "dist2targ needs an iMeta Target for every indicator; missing for "
                    f"{', '.join(missing)}",
                )
        if spec.method == "goalposts":
            for column in ("goalpost_lower", "goalpost_upper"):
                lacking = [c for c, v in data.meta_column(column).items() if v != v]
                if lacking:
                    problems.add(
                        "recipe.E006",
                        f"{where} key {key}.method",
                        f"goalposts needs iMeta column {column} for every indicator; missing for "
                        f"{', '.join(lacking)}",
                    )


def _check_aggregate(
    recipe: Recipe, data: IndexData, problems: ProblemCollector, where: str
) -> None:
    h, agg = data.hierarchy, recipe.aggregate
    for level in agg.levels:
        if not 2 <= level <= h.n_levels:
            problems.add(
                "recipe.E006",
                f"{where} key aggregate.levels.{level}",
                f"level must be in 2..{h.n_levels} (the aggregate levels of iMeta)",
            )
    for code in agg.nodes:
        if code not in h.aggregates:
            problems.add(
                "recipe.E006",
                f"{where} key aggregate.nodes.{code}",
                "is not an aggregate code of iMeta",
            )
    overrides = recipe.normalise.overrides
    positive = {c: _normalised_positive(overrides.get(c, recipe.normalise)) for c in h.indicators}
    for level in range(2, h.n_levels + 1):
        for code in h.codes_at(level):
            spec = agg.for_node(code, level)
            children_positive = all(positive[c] for c in h.children(code))
            if _needs_positive(spec) and not children_positive:
                key = (
                    f"aggregate.nodes.{code}"
                    if code in agg.nodes
                    else (f"aggregate.levels.{level}" if level in agg.levels else "aggregate")
                )
                reason = (
                    "the normalisation can produce values <= 0"
                    if level == 2
                    else "its children's scores can be <= 0"
                )
                problems.add(
                    "recipe.E005",
                    f"{where} key {key}.method",
                    NOT_POSITIVE.format(method=spec.method, node=code, reason=reason),
                )
            positive[code] = _node_positive(spec, children_positive)


@validate_params(
    {
        "recipe": [InstanceOf(Recipe, "a Recipe")],
        "data": [InstanceOf(IndexData, "an IndexData")],
    }
)
def check_recipe_fits(recipe: Recipe, data: IndexData) -> None:
    """Raise :class:`RecipeError` listing every way ``recipe`` does not fit ``data``."""
    problems = ProblemCollector(RecipeError)
    where = recipe.source or recipe.name
    h = data.hierarchy
    if recipe.impute.group is not None and recipe.impute.group not in data.data.columns:
        problems.add(
            "recipe.E004",
            f"{where} key impute.group",
            f"group column {recipe.impute.group!r} is not in iData; add it or pick one of "
            f"{', '.join(data.groups) or '(none)'}",
        )
    if recipe.impute.method == "latest" and not data.is_panel:
        problems.add(
            "recipe.E004",
            f"{where} key impute.method",
            "'latest' needs panel data (a Time column with several time points)",
        )
    if recipe.impute.group_level > h.n_levels:
        problems.add(
            "recipe.E006", f"{where} key impute.group_level", f"must be in 2..{h.n_levels}"
        )
    if recipe.time is not None and (not data.is_panel or recipe.time not in set(data.data["Time"])):
        problems.add(
            "recipe.E006", f"{where} key time", f"time {recipe.time!r} is not a Time value of iData"
        )
    for name, overrides in recipe.weight_sets.items():
        unknown = [c for c in overrides if c not in h.codes]
        if unknown:
            problems.add(
                "recipe.E007",
                f"{where} key weight_sets.{name}",
                f"unknown iCode(s) {', '.join(unknown)}",
            )
    _check_normalise(recipe, data, problems, where)
    _check_aggregate(recipe, data, problems, where)
    problems.raise_if_any()
