"""Score cities: answers (or reviewed criteria) -> item points -> capped components -> index.

Both public functions end in the same place (:func:`_table`): component points go through the
composite-indicator engine for the index, then classes, tiers, ranks and rank intervals are added.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from civicmeter import instruments
from civicmeter.indexing.errors import ProblemCollector
from civicmeter.instruments import InstrumentForm
from civicmeter.params import InstanceOf, validate_params
from civicmeter.scoring import errors as E
from civicmeter.scoring.engine import index_points
from civicmeter.scoring.errors import ScoringError
from civicmeter.scoring.intervals import descending_ranks, describe, rank_intervals
from civicmeter.scoring.recipe import DECIMALS, ScoringRecipe
from civicmeter.scoring.results import ComponentScore, ScoredCity, ScoreTable, score_provenance
from civicmeter.scoring.rules import (
    Contribution,
    answer_contribution,
    check_recipe_fits_instrument,
    criterion_contribution,
)

#: Below this many cities, ranks and their intervals say little; the result carries a note.
SMALL_N = 10


def _components(
    recipe: ScoringRecipe, contributions: list[Contribution]
) -> tuple[ComponentScore, ...]:
    out = []
    for component in recipe.components:
        raw = round(sum(c.points for c in contributions if c.component == component.code), DECIMALS)
        points = min(raw, component.cap) if component.cap is not None else raw
        out.append(ComponentScore(component.code, component.name, points, raw, component.max))
    return tuple(out)


def _table(
    recipe: ScoringRecipe,
    scored: dict[str, list[Contribution]],
    instrument: dict[str, str],
    notes: list[str],
) -> ScoreTable:
    cities = list(scored)
    components = {city: _components(recipe, scored[city]) for city in cities}
    provenance = score_provenance(recipe, instrument)
    method = describe(recipe.uncertainty)
    if not cities:
        return ScoreTable(recipe, (), instrument, method, ("no cities to score",), provenance)
    points = pd.DataFrame({city: {c.code: c.points for c in components[city]} for city in cities}).T
    index = index_points(recipe, points)
    ranks = descending_ranks(index.to_numpy())
    intervals = rank_intervals(recipe, points)
    rows = []
    for k, city in enumerate(cities):
        value = float(index[city])
        share = round(value / recipe.max, DECIMALS)
        rows.append(
            ScoredCity(
                city=city,
                index=value,
                score_class=recipe.classify(value),
                share=share,
                components=components[city],
                contributions=tuple(scored[city]),
                rank=int(ranks[k]),
                rank_p5=float(intervals.p5[k]),
                rank_median=float(intervals.median[k]),
                rank_p95=float(intervals.p95[k]),
                tier=recipe.tier(share, {c.code: c.points for c in components[city]}),
            )
        )
    rows.sort(key=lambda r: (r.rank, r.city))
    if len(rows) < SMALL_N:
        notes.append(f"only {len(rows)} cities: ranks and rank intervals say little at this size")
    return ScoreTable(recipe, tuple(rows), instrument, method, tuple(notes), provenance)


@validate_params(
    {
        "instrument": [InstanceOf(InstrumentForm, "an InstrumentForm")],
        "responses": [InstanceOf(Mapping, "a mapping of city -> {question: answer}")],
        "recipe": [InstanceOf(ScoringRecipe, "a ScoringRecipe")],
    }
)
def score_responses(
    instrument: InstrumentForm, responses: Mapping[str, Mapping[str, str]], recipe: ScoringRecipe
) -> ScoreTable:
    """Score each city's questionnaire answers with a questionnaire recipe.

    Only answers to questions the city was asked count (``instruments.visible_answers``), so
    a stale answer left behind a skip never scores. Raises :class:`ScoringError` when the recipe's
    rules do not fit the instrument.
    """
    check_recipe_fits_instrument(recipe, instrument)
    scored = {}
    for city, answers in responses.items():
        shown = instruments.visible(instrument, answers)
        counted = instruments.visible_answers(instrument, answers)
        scored[str(city)] = [
            answer_contribution(item, component.code, counted, shown)
            for component in recipe.components
            for item in component.items
        ]
    provenance = {
        "form_id": instrument.form_id,
        "version": instrument.version,
        "sha256": instrument.sha256,
    }
    return _table(recipe, scored, provenance, [])


@validate_params(
    {
        "criteria_met": [
            InstanceOf(Mapping, "a mapping of city -> set of criterion codes met after review")
        ],
        "recipe": [InstanceOf(ScoringRecipe, "a ScoringRecipe")],
    }
)
def score_assessments(criteria_met: Mapping[str, set[str]], recipe: ScoringRecipe) -> ScoreTable:
    """Score data-use assessments: one point per criterion met after review, prerequisites gating.

    ``criteria_met`` holds, per city, only the criteria a reviewer accepted (a city's own "met" is a
    claim and does not score). Unknown criterion codes are refused rather than ignored.
    """
    recipe.require_kind("assessment", instead="score_responses")
    problems = ProblemCollector(ScoringError)
    known = {item.code for item in recipe.items}
    for city, met in criteria_met.items():
        unknown = sorted(set(met) - known)
        if unknown:
            problems.add(
                "scoring.E014",
                f"criteria for city {city}",
                E.UNKNOWN_CRITERIA.format(codes=", ".join(unknown)),
            )
    problems.raise_if_any()
    scored = {
        str(city): [
            criterion_contribution(item, component.code, set(met))
            for component in recipe.components
            for item in component.items
        ]
        for city, met in criteria_met.items()
    }
    return _table(recipe, scored, {}, [])
