"""The data files of a static site: the wave's Frictionless Data Package (the API's tables as CSV,
``api.datapackage``) and ``compare.json``, each public city's answers and scores side by side, which
is what the live comparison page shows; plus one page per language listing them."""

from __future__ import annotations

import json
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from civicmeter.web.api.datapackage import write_datapackage
from civicmeter.web.api.public_rows import score_components
from civicmeter.web.programmes.models import Wave

from .published import PublicRun, PublicWave


def _run(run: PublicRun | None, slug: str) -> dict | None:
    score = run.scores.get(slug) if run else None
    if score is None:
        return None
    return {
        "index": score.index,
        "class": score.score_class,
        "tier": score.tier,
        "rank": score.rank,
        "rank_p5": score.rank_p5,
        "rank_p95": score.rank_p95,
        "components": score_components(score),
    }


def compare_data(public: PublicWave, languages: tuple[str, ...]) -> dict:
    """Every public city's published answers and scores, with the questions' and options' labels
    in each language, so any tool (or a page script) can put cities side by side."""
    instrument = public.instrument
    questions = {}
    for name in sorted({q for city in public.cities.values() for q in city.answers}):
        question = instrument.question(name)
        entry = {"type": question.type, "label": {lang: instrument.label(name, lang) for lang in languages}}
        if question.is_select:
            entry["options"] = {
                c.name: {lang: instrument.text(c.labels, lang) for lang in languages}
                for c in instrument.choices(question).choices
            }
        questions[name] = entry
    cities = {
        slug: {
            "name": city.name,
            "country": city.country,
            "continent": city.continent,
            "population": city.population,
            "synthetic": city.synthetic,
            "profile": dict(city.profile),
            "psi": _run(public.psi, slug),
            "data_use": _run(public.data_use, slug),
            "answers": dict(city.answers),
        }
        for slug, city in public.cities.items()
    }
    return {"programme": public.programme_slug, "wave": public.code, "questions": questions, "cities": cities}


def write_data(wave: Wave, public: PublicWave, out: Path, languages: tuple[str, ...]) -> list[dict]:
    """Write ``out/data/``: the Data Package and ``compare.json``; return the package's resources."""
    folder = out / "data"
    descriptor = write_datapackage(wave, folder)
    (folder / "compare.json").write_text(
        json.dumps(compare_data(public, languages), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return json.loads(descriptor.read_text(encoding="utf-8"))["resources"]


def data_page(public: PublicWave, resources: list[dict], language: str) -> str:
    """The page listing the data files, in ``language`` (rendered without a request: no user)."""
    with translation.override(language):
        return render_to_string(
            "explorer/site_data.html", {"public": public, "resources": resources, "LANGUAGE_CODE": language}
        )
