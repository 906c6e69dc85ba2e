"""Recommendation rules: the ten recommendations and the answers that trigger them, as a versioned file.

A rules file (YAML, ``content/recommendations/recommendations.yaml`` by default) lists each
recommendation with its component (whose score gap sets the priority), its first actions, and its
triggers. A trigger reads one question of the survey (or the data-use criteria met after review)
with exactly one operator, and says in plain words what it found and what peers have::

    - id: no_strategy
      question: s1_strategy
      equals: "no"
      reason: no formal strategy
      peers: have one            # -> "no formal strategy, while 50% of peers have one"

Every text (``title``, each first action, ``reason``, ``peers``) is either English text or a mapping
``{en: ..., es: ..., fr: ...}``; English is required. Why: a file programme staff wrote in English
only stays valid and is shown in English (marked ``lang="en"``) on Spanish and French pages, while
the shipped file carries its own translations in place, beside the text they translate. A language
given anywhere in a file must be given for every text of every rule (``narrative.E018``).

Why checked against the instrument and the recipes on load: a misspelt question or option would
otherwise never fire, and nobody would notice that a recommendation had gone quiet. Every problem is
reported at once, each naming the rule's key path and the fix (``narrative.E001``-``E010``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from civicmeter.indexing.errors import ProblemCollector
from civicmeter.instruments import Instrument
from civicmeter.narrative import errors as E
from civicmeter.narrative.errors import NarrativeError
from civicmeter.narrative.rule_reader import RuleReader, check_languages, check_placeholders, file_messages
from civicmeter.narrative.texts import Text
from civicmeter.params import InstanceOf, validate_params
from civicmeter.scoring import ScoringRecipe
from civicmeter.yaml_schema import content_sha256, read_yaml_mapping

SHIPPED_RULES = (
    Path(__file__).resolve().parent.parent / "content" / "recommendations" / "recommendations.yaml"
)
#: Operator -> the question type it reads (None: it reads reviewed data-use criteria, no question).
OPERATORS = {
    "equals": "select_one",
    "in": "select_one",
    "includes_any": "select_multiple",
    "includes_none": "select_multiple",
    "count_below": "select_multiple",
    "criteria_unmet": None,
}
LAYERS = ("meta_capacity", "component", "tool")
TOP_KEYS = ("id", "version", "title", "basis", "instrument", "recommendations")
RECOMMENDATION_KEYS = ("number", "layer", "title", "component", "first_actions", "triggers")
TRIGGER_KEYS = ("id", "question", "reason", "peers", *OPERATORS)
#: Placeholders a trigger's ``reason`` may use: the city's answer label, options chosen, criteria unmet.
REASON_SLOTS = ("answer", "count", "criteria")


@dataclass(frozen=True)
class Trigger:
    """One condition: ``operator`` applied with ``value`` to ``question`` (or to criteria)."""

    id: str
    operator: str
    value: Any
    reason: Text
    peers: Text
    question: str | None = None


@dataclass(frozen=True)
class RecommendationRule:
    number: int
    layer: str
    title: Text
    component: str
    first_actions: tuple[Text, ...]
    triggers: tuple[Trigger, ...]


@dataclass(frozen=True)
class RuleSet:
    """A validated rules file; ``provenance`` goes into every result made with it."""

    id: str
    version: str
    title: str
    instrument: str
    recommendations: tuple[RecommendationRule, ...]
    sha256: str
    source: str

    @property
    def provenance(self) -> dict[str, str]:
        return {
            "rules": self.id,
            "rules_version": self.version,
            "rules_sha256": self.sha256,
            "rules_source": self.source,
        }

    def recommendation(self, number: int) -> RecommendationRule:
        return next(r for r in self.recommendations if r.number == number)


@dataclass(frozen=True)
class _Context:
    instrument: Instrument
    components: tuple[str, ...]
    criteria: dict[str, tuple[str, ...]]  # recipe id -> criterion codes


def _operator_value(r: RuleReader, operator: str, context: _Context) -> Any:
    if operator == "count_below":
        return r.whole(operator, low=1)
    if operator == "equals":
        return r.code_value(operator)
    values = r.codes(operator, "criterion codes" if operator == "criteria_unmet" else "option codes")
    if values is None:
        return None
    if operator == "criteria_unmet":
        known = sorted({c for codes in context.criteria.values() for c in codes})
        for code in values:
            if code not in known:
                recipes = ", ".join(context.criteria) or "none given"
                r.problem(
                    operator,
                    "narrative.E008",
                    E.NO_CRITERION.format(code=code, recipe=recipes, codes=", ".join(known) or "none"),
                )
    return values


def _check_fit(r: RuleReader, trigger: Trigger, context: _Context) -> None:
    """The question exists, the operator reads its type, and every option named is one of its options."""
    needed = OPERATORS[trigger.operator]
    if needed is None:
        if trigger.question is not None:
            r.problem("question", "narrative.E007", "criteria_unmet reads reviewed criteria; remove question")
        return
    instrument = context.instrument
    if trigger.question is None:
        return
    if not instrument.has_question(trigger.question):
        r.problem(
            "question",
            "narrative.E005",
            E.NO_QUESTION.format(question=trigger.question, form=instrument.form_id),
        )
        return
    question = instrument.question(trigger.question)
    if question.type != needed:
        fits = ", ".join(op for op, kind in OPERATORS.items() if kind == question.type) or "none"
        r.problem(
            trigger.operator,
            "narrative.E007",
            E.OPERATOR_TYPE.format(
                operator=trigger.operator,
                needed=needed,
                question=trigger.question,
                actual=question.type,
                fits=fits,
            ),
        )
        return
    if trigger.operator == "count_below":
        return
    options = instrument.choices(question).names
    values = (trigger.value,) if trigger.operator == "equals" else trigger.value
    for value in values:
        if value not in options:
            r.problem(
                trigger.operator,
                "narrative.E006",
                E.NO_CHOICE.format(value=value, question=trigger.question, options=", ".join(options)),
            )


def _trigger(r: RuleReader, context: _Context) -> Trigger | None:
    r.only(TRIGGER_KEYS)
    trigger_id = r.code("id")
    found = [k for k in OPERATORS if k in r.content]
    if len(found) != 1:
        r.problem(
            "",
            "narrative.E007",
            E.OPERATOR_COUNT.format(allowed=", ".join(OPERATORS), found=", ".join(found) or "none"),
        )
        return None
    operator = found[0]
    question = r.code("question", required=OPERATORS[operator] is not None)
    value = _operator_value(r, operator, context)
    reason = r.translated("reason")
    peers = r.translated("peers")
    if reason:
        check_placeholders(r, "reason", reason, REASON_SLOTS)
    if peers:
        check_placeholders(r, "peers", peers, ())
    if None in (trigger_id, value) or not reason or not peers:
        return None
    trigger = Trigger(trigger_id, operator, value, reason, peers, question)
    _check_fit(r, trigger, context)
    return trigger


def _entries(
    r: RuleReader, key: str, id_key: str, what: str, hint: str, parse: Callable[[RuleReader], Any]
) -> tuple[list, int]:
    """The entries of the required list under ``key`` (recommendations, a rule's triggers), each read
    by ``parse``, and how many were listed. An entry is named by its ``id_key`` in problem places;
    a missing or empty list (E003) and an ``id_key`` value used twice (E009) are problems."""
    raw = r.content.get(key)
    if not isinstance(raw, list) or not raw:
        r.problem(key, "narrative.E003", E.MISSING_KEY.format(hint=hint))
        return [], 0
    entries, seen = [], set()
    for k, entry in enumerate(raw):
        label = entry.get(id_key, k) if isinstance(entry, dict) else k
        parsed = parse(r.nested(entry, f"{key}.{label}"))
        if parsed is None:
            continue
        ident = getattr(parsed, id_key)
        if ident in seen:
            r.problem(f"{key}.{label}", "narrative.E009", E.DUPLICATE.format(what=what, code=ident))
        seen.add(ident)
        entries.append(parsed)
    return entries, len(raw)


def _recommendation(r: RuleReader, context: _Context) -> RecommendationRule | None:
    r.only(RECOMMENDATION_KEYS)
    number = r.whole("number", low=1)
    layer = r.choice("layer", LAYERS)
    title = r.translated("title")
    component = r.code("component")
    if component is not None and component not in context.components:
        r.problem(
            "component",
            "narrative.E010",
            E.NO_COMPONENT.format(code=component, codes=", ".join(context.components)),
        )
    actions = r.translated_list("first_actions", "first actions (text or {en: ..., es: ..., fr: ...})")
    triggers, listed = _entries(
        r, "triggers", "id", "trigger", "list the triggers under triggers", lambda e: _trigger(e, context)
    )
    if None in (number, layer, component, actions) or not title or len(triggers) != listed or not listed:
        return None
    return RecommendationRule(number, layer, title, component, actions, tuple(triggers))


def _texts(rule: RecommendationRule) -> dict[str, Text]:
    """Every text of ``rule`` under its key path."""
    texts = {"title": rule.title}
    texts.update({f"first_actions.{k}": action for k, action in enumerate(rule.first_actions)})
    for t in rule.triggers:
        texts.update({f"triggers.{t.id}.reason": t.reason, f"triggers.{t.id}.peers": t.peers})
    return texts


def _check_languages(root: RuleReader, recommendations: list[RecommendationRule]) -> None:
    """Every language any text of the file is written in is given for every text of every rule
    (``narrative.E018``), so a page never mixes a translated rule with an untranslated one's gaps."""
    texts = {rule.number: _texts(rule) for rule in recommendations}
    check_languages(root, texts, key="recommendations", what="recommendation")


def _rules_from_dict(
    content: dict, instrument: Instrument, recipes: tuple[ScoringRecipe, ...], *, source: str, sha256: str
) -> RuleSet:
    """Validate parsed rules against the instrument and the recipes; raise listing every problem."""
    problems = ProblemCollector(NarrativeError)
    context = _Context(
        instrument,
        tuple(c.code for recipe in recipes for c in recipe.components),
        {recipe.id: tuple(i.code for i in recipe.items) for recipe in recipes if recipe.kind == "assessment"},
    )
    root = RuleReader(content, source, "", problems)
    root.only(TOP_KEYS)
    rules_id = root.code("id")
    version = root.text("version")
    form = root.code("instrument")
    if form is not None and form != instrument.form_id:
        root.problem(
            "instrument",
            "narrative.E005",
            f"the rules are written for instrument {form!r} but were given {instrument.form_id!r}; "
            "use the rules made for that instrument",
        )
    recommendations, _ = _entries(
        root,
        "recommendations",
        "number",
        "recommendation number",
        "list the recommendations",
        lambda e: _recommendation(e, context),
    )
    _check_languages(root, recommendations)
    problems.raise_if_any()
    return RuleSet(
        rules_id,
        version,
        root.text("title", required=False),
        instrument.form_id,
        tuple(sorted(recommendations, key=lambda r: r.number)),
        sha256 or content_sha256(content),
        source,
    )


FILE_MESSAGES = file_messages("rules file", "narrative.E001", TOP_KEYS)


@validate_params(
    {
        "path": [InstanceOf((str, Path), "a path to a YAML rules file")],
        "instrument": [InstanceOf(Instrument, "the survey Instrument the rules read")],
        "recipes": [InstanceOf(tuple, "a tuple of ScoringRecipes (components and criteria)")],
    }
)
def load_rules(path: str | Path, instrument: Instrument, recipes: tuple[ScoringRecipe, ...]) -> RuleSet:
    """Read and validate a rules file; its ``sha256`` is the hash of the file's bytes.

    ``recipes`` give the component codes a recommendation may name (its priority uses that
    component's score) and, for assessment recipes, the criterion codes ``criteria_unmet`` may name.
    """
    content, sha256 = read_yaml_mapping(path, FILE_MESSAGES)
    return _rules_from_dict(content, instrument, recipes, source=str(Path(path)), sha256=sha256)
