"""Read an assessment instrument's criteria and match them to an assessment recipe's codes.

A criterion is a ``select_one`` question whose options are ``met`` and ``not_met`` (the city's
claim); its question name is the recipe's criterion code in lower case (``dg1`` for ``DG1``), so the
workbook and the recipe stay two files that a test keeps aligned.
"""

from __future__ import annotations

from civicmeter.indexing.errors import ProblemCollector
from civicmeter.instruments import InstrumentForm
from civicmeter.params import InstanceOf, validate_params
from civicmeter.scoring import errors as E
from civicmeter.scoring.errors import ScoringError
from civicmeter.scoring.recipe import ScoringRecipe

#: The options of a criterion question: the city's self-assessment claim.
CLAIM_OPTIONS = frozenset({"met", "not_met"})


@validate_params({"instrument": [InstanceOf(InstrumentForm, "an InstrumentForm")]})
def assessment_criteria(instrument: InstrumentForm) -> tuple[str, ...]:
    """The question names of the instrument's criteria, in workbook order."""
    return tuple(
        q.name
        for q in instrument.iter_questions(answerable_only=True)
        if q.type == "select_one" and set(instrument.choices(q).names) == CLAIM_OPTIONS
    )


@validate_params(
    {
        "instrument": [InstanceOf(InstrumentForm, "an InstrumentForm")],
        "recipe": [InstanceOf(ScoringRecipe, "a ScoringRecipe")],
    }
)
def recipe_criteria(instrument: InstrumentForm, recipe: ScoringRecipe) -> dict[str, str]:
    """``{question name: recipe criterion code}`` for every criterion of ``recipe``.

    Raises :class:`ScoringError` (``scoring.E011``) naming each recipe criterion the instrument has
    no question for, and (``scoring.E012``) when the recipe is not an assessment recipe.
    """
    recipe.require_kind("assessment", instead="score_responses")
    problems = ProblemCollector(ScoringError)
    questions = set(assessment_criteria(instrument))
    mapping = {}
    for item in recipe.items:
        name = item.code.lower()
        if name in questions:
            mapping[name] = item.code
        else:
            problems.add(
                "scoring.E011",
                f"{recipe.source} criterion {item.code}",
                E.NO_QUESTION.format(question=name, form=instrument.form_id),
            )
    problems.raise_if_any()
    return mapping
