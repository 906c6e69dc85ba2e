"""Synthetic survey answers for demo cities, drawn to match the OECD's published answer shares.

Every generated response is labelled synthetic wherever it appears; published facts for a few known
cities (``content/demo/known_cities.yaml``) override the draws.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import yaml

from civicmeter import instruments
from civicmeter.instruments.model import Instrument, Question

CONTENT = Path(__file__).resolve().parent.parent / "content" / "demo"


@functools.lru_cache(maxsize=1)
def calibration() -> dict:
    return yaml.safe_load((CONTENT / "calibration.yaml").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def known_cities() -> dict:
    return yaml.safe_load((CONTENT / "known_cities.yaml").read_text(encoding="utf-8"))


def _shift(question: str, probs: dict[str, float], wave: str) -> dict[str, float]:
    """Lower the odds of capacity-building answers in earlier waves (``wave_shift``)."""
    cal = calibration()
    factor = cal.get("wave_shift", {}).get(wave)
    target = cal.get("capacity_answers", {}).get(question)
    if factor is None or target not in probs:
        return probs
    shifted = dict(probs)
    shifted[target] *= factor
    return shifted


def _draw_one(rng: np.random.Generator, question: Question, names: tuple[str, ...], wave: str) -> str:
    probs = calibration()["select_one"].get(question.name) or dict.fromkeys(names, 1.0)
    probs = _shift(question.name, {n: float(probs.get(n, 0.0)) for n in names}, wave)
    weights = np.array([probs[n] for n in names])
    return str(rng.choice(names, p=weights / weights.sum()))


def _draw_many(rng: np.random.Generator, question: Question, names: tuple[str, ...]) -> str:
    cal = calibration()
    ticks = cal["select_multiple"].get(question.name, {})
    exclusive = {"none", "neither"}
    chosen = [n for n in names if n not in exclusive and rng.random() < ticks.get(n, cal["default_tick"])]
    if question.constraint and "count-selected(.) <= 2" in question.constraint:
        chosen = chosen[:2]
    if not chosen:
        candidates = [n for n in names if n not in exclusive and n != "other"]
        chosen = [str(rng.choice(candidates))]
    return " ".join(chosen)


def _draw_text(rng: np.random.Generator, question: Question, city: str) -> str:
    if question.type == "integer":
        if question.name == "s2_team_size":
            return str(int(np.clip(round(rng.lognormal(np.log(7), 0.8)), 1, 200)))
        return ""
    if question.type == "url" or (question.constraint or "").startswith("regex(., '^https?"):
        return f"https://example.org/{city}/{question.name}"
    return f"Synthetic demo answer ({city})."


def _conditional_questions(instrument: Instrument) -> frozenset[str]:
    """Questions with skip logic of their own or from their block or section; only these need
    the (comparatively slow) relevance evaluation while answers are drawn."""
    names = set()
    for section in instrument.sections:
        for question in section.questions:
            block = instrument.group(question.group) if question.group else None
            if question.relevant or section.relevant or (block is not None and block.relevant):
                names.add(question.name)
    return frozenset(names)


def synthetic_answers(
    instrument: Instrument,
    *,
    city_slug: str,
    wave: str,
    seed: int,
    facts: dict[str, str] | None = None,
    profile: dict[str, str] | None = None,
) -> dict[str, str]:
    """A complete, valid response for ``city_slug`` in ``wave``.

    Questions are answered in workbook order so skip logic sees earlier answers; ``facts`` (published
    answers) and ``profile`` (population, mayor...) are used as given instead of drawn.
    """
    rng = np.random.default_rng(seed)
    given = {**(profile or {}), **(facts or {})}
    answers: dict[str, str] = {}
    conditional = _conditional_questions(instrument)
    for question in instrument.iter_questions(answerable_only=True):
        if question.name in conditional and question.name not in instruments.visible(instrument, answers):
            continue
        if question.name in given:
            answers[question.name] = str(given[question.name])
            continue
        if question.type == "select_one":
            answers[question.name] = _draw_one(rng, question, instrument.choices(question).names, wave)
        elif question.type == "select_multiple":
            answers[question.name] = _draw_many(rng, question, instrument.choices(question).names)
        elif question.required:
            value = _draw_text(rng, question, city_slug)
            if value:
                answers[question.name] = value
    return answers
