"""Recipe files: the public, versioned methodology of an index, in YAML.

A recipe names each step's method and options, e.g.::

    denominate: true
    impute: {method: mean_group, group: EurAsia_group}
    screen: {min_availability: 0.9}
    treat: {winsorise_max: 5, skew: 2.0, kurtosis: 3.5, fallback: log}   # or: none
    normalise: {method: minmax, range: [0, 100]}
    aggregate: {method: arithmetic}
    weights: original

Every key is checked before anything is computed and all problems are reported together, each naming
the key path (``aggregate.levels.3.method``) and what is allowed. The recipe keeps its text's sha256
and its ``version`` so every result can say exactly which methodology produced it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from civicmeter.indexing import aggregate as aggregate_module
from civicmeter.indexing import impute as impute_module
from civicmeter.indexing import normalise as normalise_module
from civicmeter.indexing import treat as treat_module
from civicmeter.indexing.errors import ProblemCollector, RecipeError
from civicmeter.indexing.recipe_fields import FieldReader
from civicmeter.indexing.specs import (
    AggregateSpec,
    ImputeSpec,
    NormaliseSpec,
    ScreenSpec,
    TreatSpec,
)
from civicmeter.params import InstanceOf, validate_params
from civicmeter.yaml_schema import (
    FileMessages,
    content_sha256,
    read_yaml_mapping,
    recipe_provenance,
)

TOP_KEYS = (
    "name",
    "version",
    "description",
    "time",
    "denominate",
    "impute",
    "screen",
    "treat",
    "normalise",
    "aggregate",
    "weights",
    "weight_sets",
)
WEIGHT_METHODS = ("original", "equal", "pca")
NORMALISE_KEYS = (
    "method",
    "range",
    "mean",
    "sd",
    "unit",
    "cap_max",
    "scale",
    "truncate",
    "overrides",
)
AGGREGATE_KEYS = ("method", "p", "min_availability", "shift", "share_bounds", "levels", "nodes")


@dataclass(frozen=True)
class Recipe:
    """A validated recipe. ``sha256`` is the hash of the source text (or of its canonical YAML)."""

    name: str = "unnamed"
    version: str = "0"
    description: str = ""
    time: Any = None
    denominate: bool = False
    impute: ImputeSpec = ImputeSpec()
    screen: ScreenSpec = ScreenSpec()
    treat: TreatSpec = TreatSpec(enabled=False)
    normalise: NormaliseSpec = NormaliseSpec()
    aggregate: AggregateSpec = AggregateSpec()
    weights: str = "original"
    weight_sets: dict[str, dict[str, float]] = field(default_factory=dict)
    sha256: str = ""
    source: str = ""

    @property
    def provenance(self) -> dict[str, str]:
        return recipe_provenance(self.name, self.version, self.sha256, self.source)


def _impute(r: FieldReader) -> ImputeSpec:
    r.only(("method", "group", "group_level"))
    method = r.option("method", impute_module.METHODS, "none")
    group = r.text("group", None)
    if method in impute_module.GROUP_METHODS and group is None:
        r.problem(
            "group",
            "recipe.E003",
            f"impute method {method!r} needs a group column, e.g. group: EurAsia_group",
        )
    return ImputeSpec(method=method, group=group, group_level=r.integer("group_level", 2, low=2))


def _treat(r: FieldReader) -> TreatSpec:
    r.only(("winsorise_max", "skew", "kurtosis", "fallback"))
    return TreatSpec(
        enabled=True,
        winsorise_max=r.integer("winsorise_max", 5, low=0),
        skew=r.number("skew", 2.0, low=0.0),
        kurtosis=r.number("kurtosis", 3.5),
        fallback=r.option("fallback", treat_module.FALLBACKS, "log"),
    )


def _normalise(r: FieldReader, allow_overrides: bool = True) -> NormaliseSpec:
    r.only(NORMALISE_KEYS if allow_overrides else NORMALISE_KEYS[:-1])
    low, high = r.pair("range", (0.0, 100.0))
    if low >= high:
        r.problem("range", "recipe.E003", f"range [{low}, {high}] must have lower < upper")
    spec = NormaliseSpec(
        method=r.option("method", normalise_module.METHODS, "minmax"),
        low=low,
        high=high,
        mean=r.number("mean", 0.0),
        sd=r.number("sd", 1.0, low=0.0, strict=True),
        unit=r.text("unit", None),
        cap_max=r.boolean("cap_max", False),
        scale=r.number("scale", 100.0, low=0.0, strict=True),
        truncate=r.boolean("truncate", True),
    )
    if spec.method == "dist2ref" and spec.unit is None:
        r.problem(
            "unit", "recipe.E003", "dist2ref needs the reference unit's uCode, e.g. unit: CHE"
        )
    overrides = {}
    if allow_overrides:
        for code, sub in r.mapping("overrides").items():
            overrides[code] = _normalise(sub, allow_overrides=False)
    return NormaliseSpec(**{**spec.__dict__, "overrides": overrides})


def _aggregate(r: FieldReader, nested: bool = True) -> AggregateSpec:
    r.only(AGGREGATE_KEYS if nested else AGGREGATE_KEYS[:-2])
    bounds = r.pair("share_bounds", (0.0, 1.0))
    if not 0 <= bounds[0] <= bounds[1] <= 1:
        r.problem(
            "share_bounds", "recipe.E003", "share_bounds must satisfy 0 <= lower <= upper <= 1"
        )
    spec = AggregateSpec(
        method=r.option("method", aggregate_module.METHODS, "arithmetic"),
        p=r.number("p", 1.0),
        min_availability=r.number("min_availability", None, low=0.0, high=1.0),
        shift=r.number("shift", 0.0, low=0.0),
        share_bounds=bounds,
    )
    if spec.method == "generalised" and spec.p == 0:
        r.problem(
            "p",
            "recipe.E003",
            "p must be non-zero for the generalised mean (p = 0 is the geometric mean)",
        )
    levels, nodes = {}, {}
    if nested:
        for level, sub in r.mapping("levels", integer_keys=True).items():
            levels[level] = _aggregate(sub, nested=False)
        for code, sub in r.mapping("nodes").items():
            nodes[code] = _aggregate(sub, nested=False)
    return AggregateSpec(**{**spec.__dict__, "levels": levels, "nodes": nodes})


@validate_params(
    {
        "content": [InstanceOf(dict, "a dict parsed from a recipe")],
        "source": [InstanceOf(str, "a str naming where the recipe came from")],
        "sha256": [InstanceOf(str, "a str")],
    }
)
def recipe_from_dict(content: dict, *, source: str = "<dict>", sha256: str = "") -> Recipe:
    """Validate a parsed recipe and build a :class:`Recipe`; raise :class:`RecipeError` listing
    every problem."""
    problems = ProblemCollector(RecipeError)
    root = FieldReader(content, source, "", problems)
    root.only(TOP_KEYS)
    treat_value = content.get("treat", "none")
    treat_spec = (
        TreatSpec(enabled=False)
        if treat_value in ("none", None, False)
        else _treat(root.child("treat"))
    )
    weight_sets = {
        name: {c: w for c, w in sub.weights().items()}
        for name, sub in root.mapping("weight_sets").items()
    }
    weights = root.text("weights", "original")
    if weights not in WEIGHT_METHODS and weights not in weight_sets:
        root.problem(
            "weights",
            "recipe.E007",
            f"unknown weights {weights!r}; use one of {', '.join(WEIGHT_METHODS)} or a name "
            "under weight_sets",
        )
    screen = root.child("screen")
    screen.only(("min_availability",))
    recipe = Recipe(
        name=root.text("name", Path(source).stem),
        version=str(content.get("version", "0")),
        description=root.text("description", ""),
        time=content.get("time"),
        denominate=root.boolean("denominate", False),
        impute=_impute(root.child("impute", shorthand="method")),
        screen=ScreenSpec(
            min_availability=screen.number("min_availability", None, low=0.0, high=1.0)
        ),
        treat=treat_spec,
        normalise=_normalise(root.child("normalise", shorthand="method")),
        aggregate=_aggregate(root.child("aggregate", shorthand="method")),
        weights=weights,
        weight_sets=weight_sets,
        source=source,
        sha256=sha256 or content_sha256(content),
    )
    problems.raise_if_any()
    return recipe


#: How a recipe file that cannot be read is reported (all ``recipe.E001``).
FILE_MESSAGES = FileMessages(
    error=RecipeError.single,
    code="recipe.E001",
    missing="recipe file not found; check the path",
    unreadable="cannot read the recipe file ({detail}); check the path and its permissions",
    syntax="not valid UTF-8 YAML ({error}); fix the syntax",
    not_mapping="a recipe must be a YAML mapping of step names to options",
)


@validate_params({"path": [InstanceOf((str, Path), "a path to a YAML recipe")]})
def load_recipe(path: str | Path) -> Recipe:
    """Read a YAML recipe file; its sha256 is the hash of the file's bytes."""
    content, sha256 = read_yaml_mapping(path, FILE_MESSAGES)
    return recipe_from_dict(content, source=str(Path(path)), sha256=sha256)
