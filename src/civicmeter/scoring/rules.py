"""Apply one recipe item to one city: the points it earns and, always, the reason in words.

Why a reason for every item, earned or not: a city must be able to see exactly why it scored what it
did (indexes.md), and a reviewer must be able to check a score against the answers by reading it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from civicmeter.indexing.errors import ProblemCollector
from civicmeter.instruments import InstrumentForm
from civicmeter.scoring import errors as E
from civicmeter.scoring.errors import ScoringError
from civicmeter.scoring.recipe import Item, ScoringRecipe

#: Question types each rule can read.
RULE_TYPES = {
    "equals": ("select_one", "text", "integer", "decimal"),
    "in": ("select_one",),
    "includes_any": ("select_multiple",),
    "count_at_least": ("select_multiple",),
}


@dataclass(frozen=True)
class Contribution:
    """What one item gave one city: ``points`` earned out of ``available``, and why."""

    component: str
    item: str
    label: str
    points: float
    available: float
    reason: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def check_recipe_fits_instrument(recipe: ScoringRecipe, instrument: InstrumentForm) -> None:
    """Refuse a recipe whose rules name questions or options the instrument does not have."""
    recipe.require_kind("questionnaire", instead="score_assessments")
    problems = ProblemCollector(ScoringError)
    if recipe.instrument != instrument.form_id:
        problems.add(
            "scoring.E011",
            f"{recipe.source} key instrument",
            E.INSTRUMENT_MISMATCH.format(expected=recipe.instrument, got=instrument.form_id),
        )
        problems.raise_if_any()
    for component in recipe.components:
        for item in component.items:
            place = f"{recipe.source} key components.{component.code}.items.{item.code}"
            if not instrument.has_question(item.question):
                problems.add(
                    "scoring.E011",
                    f"{place}.question",
                    E.NO_QUESTION.format(question=item.question, form=instrument.form_id),
                )
                continue
            question = instrument.question(item.question)
            needed = RULE_TYPES[item.rule.kind]
            if question.type not in needed:
                problems.add(
                    "scoring.E011",
                    f"{place}.{item.rule.kind}",
                    E.WRONG_QUESTION_TYPE.format(
                        rule=item.rule.kind,
                        needed=" or ".join(needed),
                        question=item.question,
                        actual=question.type,
                    ),
                )
                continue
            if not question.is_select:
                continue
            options = instrument.choices(question).names
            values = (
                item.rule.excluding
                if item.rule.kind == "count_at_least"
                else ((item.rule.value,) if item.rule.kind == "equals" else item.rule.value)
            )
            key = "excluding" if item.rule.kind == "count_at_least" else item.rule.kind
            for value in values:
                if value not in options:
                    problems.add(
                        "scoring.E011",
                        f"{place}.{key}",
                        E.NO_CHOICE.format(
                            value=value, question=item.question, options=", ".join(options)
                        ),
                    )
    problems.raise_if_any()


def _quoted(values) -> str:
    return ", ".join(values)


def answer_contribution(
    item: Item, component: str, answers: Mapping[str, str], shown: set[str]
) -> Contribution:
    """Score ``item`` on ``answers`` (to shown questions only); ``shown`` = the questions asked."""
    q, rule = item.question, item.rule
    answer = answers.get(q, "")
    earned, reason = False, ""
    if q not in shown:
        reason = f"{q} not asked (skipped because of an earlier answer)"
    elif not answer:
        reason = f"{q} not answered"
    elif rule.kind == "equals":
        earned = answer == rule.value
        reason = f'answered "{answer}" to {q}' + ("" if earned else f' (needs "{rule.value}")')
    elif rule.kind == "in":
        earned = answer in rule.value
        reason = f'answered "{answer}" to {q}' + (
            "" if earned else f" (needs one of {_quoted(rule.value)})"
        )
    else:
        chosen = sorted(set(answer.split()))
        if rule.kind == "includes_any":
            matched = [v for v in rule.value if v in chosen]
            earned = bool(matched)
            reason = (
                f"{q} includes {_quoted(matched)}"
                if earned
                else f"{q} includes none of {_quoted(rule.value)}"
            )
        else:
            counted = [c for c in chosen if c not in rule.excluding]
            earned = len(counted) >= rule.value
            reason = f"{len(counted)} option(s) chosen in {q} (needs at least {rule.value})"
    return Contribution(
        component, item.code, item.label, item.points if earned else 0.0, item.points, reason
    )


def criterion_contribution(item: Item, component: str, met: set[str]) -> Contribution:
    """Score an assessment criterion: met after review, and every prerequisite met too."""
    missing = [code for code in item.requires if code not in met]
    if item.code not in met:
        reason, earned = "not met", False
    elif missing:
        reason, earned = (
            f"met after review, but scores nothing until {_quoted(missing)} is met",
            False,
        )
    else:
        reason, earned = "met after review", True
    return Contribution(
        component, item.code, item.label, item.points if earned else 0.0, item.points, reason
    )
