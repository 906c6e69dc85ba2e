"""Cities side by side (`/compare/`) and the list of cities with published results (`/cities/`).

The choice in the address is checked here (two to four known cities, one published wave they all
answered) and refused with a message that says what to change; the table holds every score
component and every closed or numeric answer, read through ``published`` only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext

from . import published
from .snapshot import answer_text, class_label, component_label, number, page_language

MIN_CITIES, MAX_CITIES = 2, 4


@dataclass(frozen=True)
class CompareChoice:
    slugs: tuple[str, ...] = ()
    wave: published.PublicWave | None = field(default=None, repr=False)
    waves: tuple[str, ...] = ()
    problem: str | None = None
    status: int = 200

    @property
    def key(self) -> tuple:
        return (self.wave.key if self.wave else None, self.slugs)


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[str, ...]
    differs: bool = False


@dataclass(frozen=True)
class Block:
    title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class CompareTable:
    wave: published.PublicWave
    cities: tuple[published.PublicCity, ...]
    blocks: tuple[Block, ...]
    synthetic: bool


def _requested(query: Mapping) -> list[str]:
    """The city codes asked for: ``cities=a,b`` and/or repeated ``city=a`` (the form's selects)."""
    slugs: list[str] = []
    for value in [query.get("cities", ""), *query.getlist("city")]:
        for slug in value.split(","):
            slug = slug.strip().lower()
            if slug and slug not in slugs:
                slugs.append(slug)
    return slugs


def parse_choice(query: Mapping, site: published.Site) -> CompareChoice:
    """The checked comparison asked for by the address, or the problem with it."""
    slugs = _requested(query)
    if not slugs:
        return CompareChoice()
    if not MIN_CITIES <= len(slugs) <= MAX_CITIES:
        message = gettext("Choose two to four cities to compare; the address names %(n)s.")
        return CompareChoice(tuple(slugs), problem=message % {"n": len(slugs)}, status=400)
    waves = site.survey_waves()
    known = {slug for w in waves for slug in w.cities}
    unknown = [s for s in slugs if s not in known]
    if unknown:
        message = gettext(
            "No published results for %(codes)s. Use the codes from the list of cities (name and country "
            "code, e.g. lisbon-pt)."
        )
        return CompareChoice(tuple(slugs), problem=message % {"codes": ", ".join(unknown)}, status=404)
    shared = [w for w in waves if all(s in w.cities for s in slugs)]
    codes = tuple(w.code for w in shared)
    code = query.get("wave", "").strip()
    chosen = next((w for w in shared if w.code == code), None) if code else (shared[0] if shared else None)
    if chosen is None:
        message = (
            gettext("These cities have no published wave in common.")
            if not shared
            else gettext("Wave %(wave)s has no published results for all of these cities; choose %(waves)s.")
            % {"wave": code, "waves": ", ".join(codes)}
        )
        return CompareChoice(tuple(slugs), waves=codes, problem=message, status=404)
    return CompareChoice(tuple(slugs), chosen, codes)


def _score_block(run: published.PublicRun | None, slugs, title: str) -> Block | None:
    if run is None or not any(s in run.scores for s in slugs):
        return None
    scores = [run.scores.get(s) for s in slugs]

    def cells(fn) -> tuple[str, ...]:
        return tuple("\u2014" if s is None else fn(s) for s in scores)

    rows = [
        Row(gettext("Index"), cells(lambda s: number(s.index, 1))),
        Row(gettext("Class"), cells(lambda s: class_label(s.score_class))),
        Row(gettext("Rank"), cells(lambda s: str(s.rank))),
        Row(
            gettext("Rank interval (5th-95th percentile)"),
            cells(lambda s: f"{number(s.rank_p5)}\u2013{number(s.rank_p95)}"),
        ),
    ]
    if any(s is not None and s.tier for s in scores):
        rows.append(Row(gettext("Tier"), cells(lambda s: class_label(s.tier) if s.tier else "\u2014")))
    first = next(s for s in scores if s is not None)
    for position, component in enumerate(first.components):
        rows.append(
            Row(
                component_label(str(component["name"])),
                cells(
                    lambda s, p=position: (
                        f"{number(s.components[p]['points'], 1)} / {number(s.components[p]['max'])}"
                    )
                ),
            )
        )
    return Block(title, tuple(rows))


def comparison(choice: CompareChoice) -> CompareTable:
    """Every score component and every closed or numeric answer of the chosen cities, by section."""
    wave, language = choice.wave, page_language()
    instrument = wave.instrument
    cities = tuple(wave.cities[s] for s in choice.slugs)
    blocks = [
        b
        for b in (
            _score_block(wave.psi, choice.slugs, gettext("PSI capacity index")),
            _score_block(wave.data_use, choice.slugs, gettext("Data-use index")),
        )
        if b is not None
    ]
    for section in instrument.sections:
        rows = []
        for question in section.questions:
            if not question.takes_answer or not (
                question.is_select or question.type in published.NUMBER_TYPES
            ):
                continue
            values = [c.answers.get(question.name, "") for c in cities]
            if not any(values):
                continue
            label = instrument.text(question.labels, language)
            if question.group is not None:
                label = f"{instrument.text(instrument.group(question.group).labels, language)} {label}"
            texts = tuple(answer_text(instrument, question.name, v, language) for v in values)
            rows.append(Row(label, texts, differs=len({frozenset(v.split()) for v in values}) > 1))
        if rows:
            blocks.append(Block(instrument.text(section.labels, language), tuple(rows)))
    return CompareTable(wave, cities, tuple(blocks), any(c.synthetic for c in cities))


@dataclass(frozen=True)
class CityRow:
    city: published.PublicCity
    wave: str
    index: str
    score_class: str


_ROWS: dict[tuple, list[CityRow]] = {}


def city_rows(site: published.Site, query: str = "") -> list[CityRow]:
    """Each city with published results once, in its newest published wave, filtered by ``query``
    (kept per data key, query and language: the list is the same for every visitor)."""
    key = (tuple(r.key for r in site.rows), query.casefold(), page_language())
    rows = _ROWS.get(key)
    if rows is None:
        rows = _city_rows(site, query)
        if len(_ROWS) > 64:  # searches by name: keep the memory bounded
            _ROWS.clear()
        _ROWS[key] = rows
    return rows


def _city_rows(site: published.Site, query: str) -> list[CityRow]:
    seen: dict[str, CityRow] = {}
    needle = query.casefold()
    for wave in site.survey_waves():
        for slug, city in wave.cities.items():
            if slug in seen or (needle and needle not in city.name.casefold()):
                continue
            score = wave.psi.scores.get(slug) if wave.psi else None
            seen[slug] = CityRow(
                city,
                wave.code,
                number(score.index, 1) if score else "\u2014",
                class_label(score.score_class) if score else "",
            )
    return sorted(seen.values(), key=lambda r: (r.city.name.casefold(), r.city.country))


def city_options(site: published.Site) -> list[tuple[str, str]]:
    """(code, "Name (CC)") for every city with published results, for the comparison's choosers."""
    return [(r.city.slug, f"{r.city.name} ({r.city.country})") for r in city_rows(site)]
