"""Scoring recipes: the public, versioned mapping from answers (or reviewed criteria) to points.

A recipe is YAML. A *questionnaire* recipe gives each component a list of items, each earning its
``points`` when one rule holds for a city's answers::

    components:
      - code: strategy
        name: Strategy, goals and approaches
        items:
          - {code: formal_strategy, label: Formal innovation strategy,
             question: s1_strategy, equals: "yes", points: 1}
          - {code: approach, label: Holistic or both, question: s1_approach,
             in: [holistic, both], points: 0.5}
          - {code: roles, label: 3+ roles, question: s2_roles, count_at_least: 3, points: 0.5}
        cap: 2          # optional: the component never earns more than this

An *assessment* recipe lists criteria (the item code is the criterion code, one point each by
default) with optional prerequisites (``requires: [OD1]``): a criterion met after review scores only
when its prerequisites are met too.

Why declarative: the OECD did not publish its item scoring, so any mapping is a reconstruction; a
programme must be able to read it, argue with it and replace it without touching code. Every key is
checked before anything is scored and all problems are reported together, each naming its key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from civicmeter.indexing.errors import ProblemCollector
from civicmeter.params import InstanceOf, validate_params
from civicmeter.scoring import errors as E
from civicmeter.scoring.errors import ScoringError
from civicmeter.yaml_schema import (
    FileMessages,
    MappingReader,
    content_sha256,
    is_number,
    is_whole,
    read_yaml_mapping,
    recipe_provenance,
)

KINDS = ("questionnaire", "assessment")
#: Rules of questionnaire items, each tested against one question's answer.
RULES = ("equals", "in", "includes_any", "count_at_least")
TOP_KEYS = (
    "id",
    "version",
    "kind",
    "title",
    "description",
    "basis",
    "instrument",
    "max",
    "classes",
    "tiers",
    "uncertainty",
    "components",
)
COMPONENT_KEYS = ("code", "name", "items", "cap")
ITEM_KEYS = ("code", "label", "points", "question", "excluding", "requires") + RULES
BAND_KEYS = ("code", "label", "min")
TIER_KEYS = ("code", "label", "min_share", "min_components", "min_per_component")
UNCERTAINTY_KEYS = ("runs", "seed", "inputs")
#: Rounding of reported points: item points are short decimals, so sums are exact at this precision.
DECIMALS = 9


@dataclass(frozen=True)
class Rule:
    """When an item earns its points: ``kind`` is one of :data:`RULES` or ``criterion``."""

    kind: str
    value: Any = None
    excluding: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    points: float
    rule: Rule
    question: str | None = None
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class Component:
    code: str
    name: str
    items: tuple[Item, ...]
    cap: float | None = None

    @property
    def reachable(self) -> float:
        """Points the items can earn together before any cap."""
        return round(sum(i.points for i in self.items), DECIMALS)

    @property
    def max(self) -> float:
        return self.cap if self.cap is not None else self.reachable


@dataclass(frozen=True)
class Band:
    """A class or a tier: cities at or above ``minimum`` (points for classes, share for tiers)."""

    code: str
    label: str
    minimum: float
    #: Tier gates beside the share: at least this many components with a point (WWC 2017: work
    #: across 2 / 3 / all components), and at least this many points in every component.
    min_components: int = 0
    min_per_component: float = 0.0

    def passes_gates(self, component_points: Mapping[str, float]) -> bool:
        """Whether ``{component code: points}`` meets this tier's gates (always, without gates)."""
        with_points = sum(1 for p in component_points.values() if p > 0)
        return with_points >= self.min_components and all(
            p >= self.min_per_component for p in component_points.values()
        )


@dataclass(frozen=True)
class Uncertainty:
    """How rank intervals are sampled: ``runs`` replications, ``perturb`` = the largest relative
    change of a component weight (uniform on [1 - perturb, 1 + perturb]), ``seed`` to repeat it."""

    runs: int = 1000
    seed: int = 1
    perturb: float = 0.25


@dataclass(frozen=True)
class ScoringRecipe:
    id: str
    version: str
    kind: str
    max: float
    components: tuple[Component, ...]
    classes: tuple[Band, ...]
    tiers: tuple[Band, ...] = ()
    title: str = ""
    description: str = ""
    basis: str = ""
    instrument: str | None = None
    uncertainty: Uncertainty = field(default_factory=Uncertainty)
    sha256: str = ""
    source: str = "<dict>"

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for c in self.components for i in c.items)

    @property
    def provenance(self) -> dict[str, str]:
        return recipe_provenance(self.id, self.version, self.sha256, self.source)

    def require_kind(self, kind: str, *, instead: str) -> None:
        """Refuse this recipe unless it is of ``kind`` (``scoring.E012``), naming the function
        that scores its kind instead."""
        if self.kind != kind:
            raise ScoringError.single(
                "scoring.E012", self.source, E.WRONG_KIND.format(kind=self.kind, function=instead)
            )

    def classify(self, points: float) -> str:
        """The code of the highest class whose minimum ``points`` reaches."""
        return next(b.code for b in self.classes if points >= b.minimum)

    def tier(self, share: float, component_points: Mapping[str, float] | None = None) -> str:
        """The highest tier reached by ``share`` of the maximum whose gates the component points
        pass (``{component code: points}``; gates are not checked without them), or "" when none is."""
        return next(
            (
                b.code
                for b in self.tiers
                if share >= b.minimum and (component_points is None or b.passes_gates(component_points))
            ),
            "",
        )


class _Reader(MappingReader):
    """Read one mapping of the recipe, recording problems under its key path instead of failing."""

    UNKNOWN_CODE = "scoring.E002"
    NOT_MAPPING_CODE = "scoring.E004"

    def code(self, key: str, required: bool = True) -> str | None:
        value = self.content.get(key)
        if value is None:
            if required:
                self.problem(key, "scoring.E003", E.MISSING_KEY.format(hint=f"give a short {key}"))
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, str | int)
            or not str(value).strip()
            or " " in str(value).strip()
        ):
            self.problem(key, "scoring.E004", E.BAD_TEXT.format(value=value))
            return None
        return str(value).strip()

    def text(self, key: str, default: str = "") -> str:
        value = self.content.get(key, default)
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(key, "scoring.E004", f"must be text, got {value!r}")
            return default
        return str(value).strip()

    def number(
        self,
        key: str,
        *,
        required: bool,
        default: float | None = None,
        low: float = 0.0,
        strict: bool = True,
    ) -> float | None:
        value = self.content.get(key)
        if value is None:
            if required:
                self.problem(
                    key, "scoring.E003", E.MISSING_KEY.format(hint=f"give {key} as a number")
                )
            return default
        if not is_number(value) or value < low or (strict and value == low):
            bound = f"{'>' if strict else '>='} {low:g}"
            self.problem(key, "scoring.E004", E.BAD_NUMBER.format(bound=bound, value=value))
            return default
        return float(value)

    def codes(self, key: str, what: str) -> tuple[str, ...] | None:
        value = self.content.get(key)
        ok = (
            isinstance(value, list)
            and value
            and all(
                isinstance(v, str | int) and not isinstance(v, bool) and str(v).strip()
                for v in value
            )
        )
        if not ok:
            self.problem(key, "scoring.E004", E.BAD_LIST.format(what=what, value=value))
            return None
        return tuple(str(v).strip() for v in value)


def _rule(r: _Reader, kind: str) -> tuple[Rule | None, str | None]:
    found = [k for k in RULES if k in r.content]
    if kind == "assessment":
        for rule in found + (["question"] if "question" in r.content else []):
            r.problem(
                rule, "scoring.E005", E.RULE_NOT_FOR_KIND.format(rule=rule, kind="questionnaire")
            )
        return Rule("criterion"), None
    if "requires" in r.content:
        r.problem(
            "requires",
            "scoring.E005",
            "requires is for assessment criteria; questionnaire items have no prerequisites",
        )
    question = r.code("question")
    if len(found) != 1:
        r.problem(
            "",
            "scoring.E005",
            E.RULE_COUNT.format(allowed=", ".join(RULES), found=", ".join(found) or "none"),
        )
        return None, question
    name = found[0]
    value = r.content[name]
    if name == "equals":
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            r.problem(
                name,
                "scoring.E005",
                E.BAD_RULE_VALUE.format(
                    rule=name, what='one answer value (quote "yes" and "no")', value=value
                ),
            )
            return None, question
        rule = Rule(name, str(value))
    elif name in ("in", "includes_any"):
        values = r.codes(name, "answer codes")
        if values is None:
            return None, question
        rule = Rule(name, values)
    else:
        if not is_whole(value, 1):
            r.problem(
                name,
                "scoring.E005",
                E.BAD_RULE_VALUE.format(rule=name, what="a whole number >= 1", value=value),
            )
            return None, question
        excluding = r.codes("excluding", "answer codes") if "excluding" in r.content else ()
        rule = Rule(name, value, excluding or ())
    if "excluding" in r.content and name != "count_at_least":
        r.problem("excluding", "scoring.E005", "excluding only applies to count_at_least")
    return rule, question


def _item(r: _Reader, kind: str) -> Item | None:
    r.only(ITEM_KEYS)
    code = r.code("code")
    points = r.number("points", required=kind == "questionnaire", default=1.0)
    rule, question = _rule(r, kind)
    requires = ()
    if kind == "assessment" and "requires" in r.content:
        requires = r.codes("requires", "criterion codes") or ()
    if code is None or points is None or rule is None:
        return None
    return Item(code, r.text("label", code) or code, points, rule, question, requires)


def _component(r: _Reader, kind: str) -> Component | None:
    r.only(COMPONENT_KEYS)
    code = r.code("code")
    raw_items = r.content.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        r.problem(
            "items",
            "scoring.E003",
            E.MISSING_KEY.format(hint="list the component's items under items"),
        )
        raw_items = []
    items = []
    for k, raw in enumerate(raw_items):
        label = raw.get("code", k) if isinstance(raw, dict) else k
        item = _item(r.nested(raw, f"items.{label}"), kind)
        if item is not None:
            items.append(item)
    cap = r.number("cap", required=False)
    if code is None or len(items) != len(raw_items) or not items:
        return None
    component = Component(code, r.text("name", code) or code, tuple(items))
    if cap is not None and cap >= component.reachable:
        r.problem("cap", "scoring.E007", E.BAD_CAP.format(cap=cap, total=component.reachable))
        return component
    return replace(component, cap=cap)


def _bands(r: _Reader, key: str, top: float, share: bool) -> tuple[Band, ...]:
    raw = r.content.get(key)
    if raw is None and share:
        return ()
    if not isinstance(raw, list) or not raw:
        r.problem(key, "scoring.E003", E.MISSING_KEY.format(hint=f"list the {key}, highest first"))
        return ()
    bands = []
    for k, entry in enumerate(raw):
        sub = r.nested(entry, f"{key}[{k}]")
        sub.only(TIER_KEYS if share else BAND_KEYS)
        code = sub.code("code")
        minimum = sub.number("min_share" if share else "min", required=True, low=0.0, strict=share)
        if code is None or minimum is None:
            return ()
        gates = {}
        if share:
            count = sub.number("min_components", required=False, default=0.0, strict=False)
            gates["min_components"] = int(count or 0)
            gates["min_per_component"] = sub.number(
                "min_per_component", required=False, default=0.0, strict=False
            ) or 0.0
        bands.append(Band(code, sub.text("label", code) or code, minimum, **gates))
    minimums = [b.minimum for b in bands]
    decreasing = all(a > b for a, b in zip(minimums, minimums[1:], strict=False))
    if share:
        if not decreasing or minimums[0] > 1:
            r.problem(key, "scoring.E009", E.BAD_TIERS)
    elif not decreasing or minimums[0] > top or minimums[-1] != 0:
        r.problem(key, "scoring.E009", E.BAD_BANDS.format(what=key, top=top))
    return tuple(bands)


def _uncertainty(r: _Reader) -> Uncertainty:
    if "uncertainty" not in r.content:
        return Uncertainty()
    sub = r.nested(r.content["uncertainty"], "uncertainty")
    sub.only(UNCERTAINTY_KEYS)
    runs = sub.content.get("runs", 1000)
    seed = sub.content.get("seed", 1)
    if not is_whole(runs) or not 10 <= runs <= 100_000:
        sub.problem(
            "runs",
            "scoring.E013",
            E.BAD_UNCERTAINTY.format(
                detail=f"runs must be a whole number in [10, 100000], got {runs!r}"
            ),
        )
        runs = 1000
    if not is_whole(seed, 0):
        sub.problem(
            "seed",
            "scoring.E013",
            E.BAD_UNCERTAINTY.format(detail=f"seed must be a whole number >= 0, got {seed!r}"),
        )
        seed = 1
    inputs = sub.nested(sub.content.get("inputs"), "inputs")
    inputs.only(("weights",))
    weights = inputs.nested(inputs.content.get("weights"), "weights")
    weights.only(("perturb", "levels"))
    perturb = weights.content.get("perturb")
    if not is_number(perturb) or not 0 < perturb < 1:
        weights.problem(
            "perturb",
            "scoring.E013",
            E.BAD_UNCERTAINTY.format(detail=f"perturb must be a number in (0, 1), got {perturb!r}"),
        )
        perturb = 0.25
    if weights.content.get("levels", [1]) != [1]:
        weights.problem(
            "levels",
            "scoring.E013",
            E.BAD_UNCERTAINTY.format(
                detail="levels must be [1]: the component weights are what is uncertain"
            ),
        )
    return Uncertainty(runs=runs, seed=seed, perturb=float(perturb))


def _prerequisites(recipe_items: list[Item], r: _Reader, component_of: dict[str, str]) -> None:
    gated = {i.code for i in recipe_items if i.requires}
    for item in recipe_items:
        for code in item.requires:
            place = f"components.{component_of[item.code]}.items.{item.code}.requires"
            if code not in component_of or code == item.code:
                r.problem(place, "scoring.E010", E.UNKNOWN_PREREQUISITE.format(code=code))
            elif code in gated:
                r.problem(place, "scoring.E010", E.GATED_PREREQUISITE.format(code=code))


@validate_params(
    {
        "content": [InstanceOf(dict, "a dict parsed from a scoring recipe")],
        "source": [InstanceOf(str, "a str naming where the recipe came from")],
        "sha256": [InstanceOf(str, "a str")],
    }
)
def scoring_recipe_from_dict(
    content: dict, *, source: str = "<dict>", sha256: str = ""
) -> ScoringRecipe:
    """Validate a parsed recipe; raise :class:`ScoringError` listing every problem with its key."""
    problems = ProblemCollector(ScoringError)
    root = _Reader(content, source, "", problems)
    root.only(TOP_KEYS)
    recipe_id = root.code("id")
    version = root.text("version", "")
    if not version:
        root.problem(
            "version",
            "scoring.E003",
            E.MISSING_KEY.format(hint='give the recipe a version, e.g. version: "1.0"'),
        )
    kind = content.get("kind")
    if kind not in KINDS:
        root.problem(
            "kind", "scoring.E004", E.BAD_KIND.format(allowed=", ".join(KINDS), value=kind)
        )
        kind = "questionnaire"
    instrument = root.code("instrument", required=kind == "questionnaire")
    raw_components = content.get("components")
    if not isinstance(raw_components, list) or not raw_components:
        root.problem("components", "scoring.E003", E.MISSING_KEY.format(hint="list the components"))
        raw_components = []
    components, component_of = [], {}
    for k, raw in enumerate(raw_components):
        label = raw.get("code", k) if isinstance(raw, dict) else k
        component = _component(root.nested(raw, f"components.{label}"), kind)
        if component is None:
            continue
        if any(c.code == component.code for c in components):
            root.problem(
                f"components.{label}",
                "scoring.E006",
                E.DUPLICATE.format(code=component.code, what="component"),
            )
        for item in component.items:
            if item.code in component_of:
                root.problem(
                    f"components.{label}.items.{item.code}",
                    "scoring.E006",
                    E.DUPLICATE.format(code=item.code, what="item"),
                )
            component_of[item.code] = component.code
        components.append(component)
    total = round(sum(c.max for c in components), DECIMALS)
    declared = root.number("max", required=True)
    if (
        declared is not None
        and components
        and len(components) == len(raw_components)
        and declared != total
    ):
        root.problem("max", "scoring.E008", E.BAD_MAX.format(declared=declared, total=total))
    if kind == "assessment":
        _prerequisites([i for c in components for i in c.items], root, component_of)
    classes = _bands(root, "classes", declared or total, share=False)
    tiers = _bands(root, "tiers", 1.0, share=True)
    uncertainty = _uncertainty(root)
    problems.raise_if_any()
    return ScoringRecipe(
        id=recipe_id,
        version=version,
        kind=kind,
        max=total,
        components=tuple(components),
        classes=classes,
        tiers=tiers,
        title=root.text("title"),
        description=root.text("description"),
        basis=root.text("basis"),
        instrument=instrument,
        uncertainty=uncertainty,
        source=source,
        sha256=sha256 or content_sha256(content),
    )


#: How a scoring recipe file that cannot be read is reported (all ``scoring.E001``).
FILE_MESSAGES = FileMessages(
    error=ScoringError.single,
    code="scoring.E001",
    unreadable=E.UNREADABLE,
    syntax=E.UNREADABLE,
    not_mapping=E.NOT_MAPPING,
)


@validate_params({"path": [InstanceOf((str, Path), "a path to a YAML scoring recipe")]})
def load_scoring_recipe(path: str | Path) -> ScoringRecipe:
    """Read and validate a YAML scoring recipe; its sha256 is the hash of the file's bytes."""
    content, sha256 = read_yaml_mapping(path, FILE_MESSAGES)
    return scoring_recipe_from_dict(content, source=str(Path(path)), sha256=sha256)
