"""Compute and store scores for a wave (the web button and ``civicmeter score`` both call this)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from civicmeter import instruments, scoring
from civicmeter.web.accounts.permissions import SYSTEM, Action, require_permission
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.collection.selectors import accepted_criteria
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import City, Instrument, Wave

from .models import CityScore, ScoreRun
from .selectors import SCORED_STATUSES

#: The default recipe for each kind of instrument.
DEFAULT_RECIPES = {
    Instrument.Kind.SURVEY: scoring.PSI_RECIPE,
    Instrument.Kind.ASSESSMENT: scoring.DATA_USE_RECIPE,
}


def default_recipe(wave: Wave) -> Path:
    """The recipe a wave is scored with: an assessment wave's comes with its standard (the shipped
    data-use recipe, or ``CIVICMETER_HOME/standards/<form_id>.recipe.yaml`` for another standard),
    a survey wave's is the PSI recipe."""
    if wave.instrument.kind == Instrument.Kind.ASSESSMENT:
        from civicmeter.web.assessment.selectors import standard_files  # noqa: PLC0415 - app order

        return Path(standard_files(wave.instrument.form_id)[0])
    return DEFAULT_RECIPES[wave.instrument.kind]


def _wave_answers(wave: Wave) -> dict[str, dict[str, str]]:
    """{city slug: {question: value}} for the scored responses (cities without answers too)."""
    responses = Response.objects.filter(wave=wave, status__in=SCORED_STATUSES).select_related(
        "city"
    )
    answers: dict[str, dict[str, str]] = {r.city.slug: {} for r in responses}
    by_response = {r.pk: r.city.slug for r in responses}
    rows = Answer.objects.filter(response__in=list(by_response)).exclude(value="")
    collected: dict[str, dict[str, str]] = defaultdict(dict)
    for response_id, question, value in rows.values_list("response_id", "question", "value"):
        collected[by_response[response_id]][question] = value
    for slug, values in collected.items():
        answers[slug] = values
    return answers


def _wave_criteria_met(
    wave: Wave, instrument: instruments.Instrument, recipe: scoring.ScoringRecipe
) -> dict[str, set[str]]:
    """{city slug: recipe codes of the criteria a reviewer accepted} for the scored responses.

    A city's own "met" answers are claims and are not read here; a scored response without any
    accepted criterion scores 0.
    """
    codes = scoring.recipe_criteria(instrument, recipe)
    responses = list(
        Response.objects.filter(wave=wave, status__in=SCORED_STATUSES).select_related("city")
    )
    accepted = accepted_criteria(responses)
    return {
        r.city.slug: {codes[c] for c in accepted.get(r.pk, set()) if c in codes} for r in responses
    }


def _with_answers(contributions, recipe, instrument, answers: dict[str, str] | None) -> list[dict]:
    """Each contribution as stored, plus the answer it scored and whether its question was asked.

    Kept with the run so "why this city scored this" shows the answer that was scored, in words,
    even after the city changes it (``results.explain``). Assessment runs have no answers to keep.
    """
    rows = [c.as_dict() for c in contributions]
    if answers is None:
        return rows
    shown = instruments.visible(instrument, answers)
    questions = {(c.code, i.code): i.question for c in recipe.components for i in c.items}
    for row in rows:
        question = questions.get((row["component"], row["item"]))
        if question:
            row["asked"] = question in shown
            row["answer"] = answers.get(question, "") if question in shown else ""
    return rows


@transaction.atomic(durable=True)
def scores_compute(*, actor, wave: Wave, recipe_path: Path | None = None) -> ScoreRun:
    """Score the wave's submitted and validated responses and store them as a new run.

    Survey waves score answers with the PSI recipe; assessment waves score the criteria a reviewer
    accepted (latest outcome per criterion) with the data-use recipe. Earlier runs are kept
    untouched. ``recipe_path`` defaults to the recipe for the wave instrument's kind. Raises
    ``PermissionDenied`` unless ``actor`` may manage the wave, and ``ValidationError`` when the wave
    cannot be scored.
    """
    require_permission(actor, Action.MANAGE_WAVE, programme=wave.programme)
    path = recipe_path or default_recipe(wave)
    instrument = instrument_for(wave.instrument)
    try:
        recipe = scoring.load_scoring_recipe(path)
        answers: dict[str, dict[str, str]] = {}
        if wave.instrument.kind == Instrument.Kind.ASSESSMENT:
            table = scoring.score_assessments(_wave_criteria_met(wave, instrument, recipe), recipe)
        else:
            answers = _wave_answers(wave)
            table = scoring.score_responses(instrument, answers, recipe)
    except scoring.ScoringError as exc:
        raise ValidationError([str(p) for p in exc.problems]) from exc
    run = ScoreRun.objects.create(
        wave=wave,
        recipe=recipe.id,
        recipe_version=recipe.version,
        recipe_sha256=recipe.sha256,
        recipe_title=recipe.title,
        instrument_version=instrument.version,
        code_version=table.provenance.code_version,
        interval_method=table.interval_method,
        notes=list(table.notes),
        actor=None if actor is SYSTEM else actor,
        n=table.n,
    )
    cities = {c.slug: c for c in City.objects.filter(slug__in=[r.city for r in table.rows])}
    CityScore.objects.bulk_create(
        [
            CityScore(
                run=run,
                city=cities[row.city],
                index=row.index,
                score_class=row.score_class,
                share=row.share,
                tier=row.tier,
                rank=row.rank,
                rank_p5=row.rank_p5,
                rank_median=row.rank_median,
                rank_p95=row.rank_p95,
                components=[
                    {"code": c.code, "name": c.name, "points": c.points, "raw": c.raw, "max": c.max}
                    for c in row.components
                ],
                contributions=_with_answers(row.contributions, recipe, instrument, answers.get(row.city)),
            )
            for row in table.rows
        ]
    )
    return run
