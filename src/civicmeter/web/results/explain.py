"""Why a city scored what it did, in words a city reads: questions and answers, not codes.

A stored contribution names a recipe item and gives a reason written with question and choice codes
(``answered "yes" to s1_strategy``), which is what the CSV and the audit need. This page puts the
question's text and the answer's labels in the reader's language beside each item's points. The
answer shown is the one scored, kept with the contribution when the run was computed, not today's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicmeter import instruments, scoring
from civicmeter.scoring.recipe import Item
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import City, Instrument, Wave

from .models import CityScore
from .selectors import DATA_USE, PSI, latest_run


@dataclass(frozen=True)
class ExplainedItem:
    label: str
    question: str  # the question's text in the reader's language ("" for a reviewed criterion)
    answer: str  # the scored answer's labels ("" when not answered or not asked)
    reason: str  # in plain words
    points: str
    available: str
    earned: bool


@dataclass(frozen=True)
class ExplainedComponent:
    name: str
    points: str
    max: str
    items: list[ExplainedItem]


@dataclass(frozen=True)
class Explanation:
    city: City
    score: CityScore
    components: list[ExplainedComponent]


def _recipe_items(run) -> dict[tuple[str, str], Item]:
    """The run's recipe items by (component, item), when the recipe file is the one the run used."""
    kind = Instrument.Kind.ASSESSMENT if run.recipe == DATA_USE else Instrument.Kind.SURVEY
    path = scoring.DATA_USE_RECIPE if kind == Instrument.Kind.ASSESSMENT else scoring.PSI_RECIPE
    recipe = scoring.load_scoring_recipe(path)
    if recipe.sha256 != run.recipe_sha256:
        return {}
    return {(c.code, i.code): i for c in recipe.components for i in c.items}


def _labels(instrument: instruments.Instrument, question: str, values, lang: str) -> list[str]:
    if not instrument.has_question(question) or not instrument.question(question).is_select:
        return list(values)
    choices = instrument.choices(question).choices
    texts = {c.name: instrument.text(c.labels, lang) for c in choices}
    return [texts.get(v, v) for v in values]


def _reason(item: Item, contribution: dict, instrument, lang: str) -> str:
    """What the city did and, when it earned nothing, what would have earned the points."""
    rule, question = item.rule, item.question
    if contribution.get("asked") is False:
        return _("Not asked: an earlier answer skipped this question.")
    if contribution.get("answer") == "":
        return _("Not answered.")
    if contribution["points"] or rule.kind == "criterion":
        return _("Earns the points.") if contribution["points"] else contribution["reason"]
    if rule.kind == "count_at_least":
        return ngettext(
            "Needs at least %(n)d option chosen.",
            "Needs at least %(n)d options chosen.",
            rule.value,
        ) % {"n": rule.value}
    needed = [rule.value] if rule.kind == "equals" else list(rule.value)
    return _("Needs: %(answers)s.") % {
        "answers": " / ".join(_labels(instrument, question, needed, lang))
    }


def _item(contribution: dict, item: Item | None, instrument, lang: str) -> ExplainedItem:
    points, available = contribution["points"], contribution["available"]
    question, answer, reason = "", "", contribution["reason"]
    if item is not None and item.question and instrument.has_question(item.question):
        question = instrument.label(item.question, lang)
        scored = contribution.get("answer") or ""
        answer = ", ".join(_labels(instrument, item.question, scored.split(), lang))
        reason = _reason(item, contribution, instrument, lang) if "answer" in contribution else reason
    return ExplainedItem(
        label=contribution["label"],
        question=question,
        answer=answer,
        reason=reason,
        points=floatformat(points, "-1"),
        available=floatformat(available, "-1"),
        earned=bool(points),
    )


def city_explanation(wave: Wave, city_slug: str, lang: str) -> Explanation | None:
    """The latest score of ``city_slug`` in ``wave`` explained item by item, or None if unscored."""
    recipe = DATA_USE if wave.instrument.kind == Instrument.Kind.ASSESSMENT else PSI
    run = latest_run(wave, recipe)
    score = (
        CityScore.objects.select_related("city").filter(run=run, city__slug=city_slug).first()
        if run
        else None
    )
    if score is None:
        return None
    instrument = instrument_for(wave.instrument)
    items = _recipe_items(run)
    with translation.override(lang):
        components = [
            ExplainedComponent(
                name=c["name"],
                points=floatformat(c["points"], "-1"),
                max=floatformat(c["max"], "-1"),
                items=[
                    _item(x, items.get((x["component"], x["item"])), instrument, lang)
                    for x in score.contributions
                    if x["component"] == c["code"]
                ],
            )
            for c in score.components
        ]
    return Explanation(score.city, score, components)
