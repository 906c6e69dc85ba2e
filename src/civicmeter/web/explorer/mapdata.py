"""The map's data: one row per public city of a published wave, with every colouring and filter.

Read from ``published.PublicWave`` (validated answers of a published wave, published scores) and
``published.public_outcomes`` (outcome figures of public cities), so nothing else can reach the
map. Each row carries its colour and value text for every colouring, so the page's script can
switch colouring and filter without asking the server again; the server filters the same rows
for the table, which is the page without script and the accessible view of the map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicmeter.charts.formats import format_value

from .places import BAND_NAMES, CONTINENT_NAMES, band_key
from .published import PublicWave, public_outcomes

#: Class and tier colours: distinguishable without colour vision (blue/orange) and at 3:1 on the
#: map's light land colour; "none" is the grey of a city without the value.
CLASS_COLOURS = {"high": "#1f5fa8", "medium": "#7b6fb0", "low": "#c25700"}
TIER_COLOURS = {"platinum": "#0b3c73", "gold": "#8a6100", "silver": "#5c6670", "": "#b8c0c8"}
NONE_COLOUR = "#b8c0c8"
#: Five steps, light to dark, for an index cut into equal bins of its range.
RAMP = ("#c9dbef", "#8fb4de", "#4f86c6", "#1f5fa8", "#0b3c73")
CLASS_NAMES = {"high": gettext_lazy("High"), "medium": gettext_lazy("Medium"), "low": gettext_lazy("Low")}
TIER_NAMES = {"platinum": gettext_lazy("Platinum"), "gold": gettext_lazy("Gold"),
              "silver": gettext_lazy("Silver"), "": gettext_lazy("No tier")}
#: The highest index each scale can reach (the PSI index 0-10, the data-use index 0-38, outcome
#: index points 0-100), so bins mean the same on every wave.
SCALE_MAX = {"psi_index": 10.0, "data_use_index": 38.0, "outcome": 100.0}
#: Which answers feed the filters, and the answer of an activity that counts as "uses it".
POLICY_AREAS, ROLES, TEAM, ACTIVITY_GROUP, ACTIVITY_USED = (
    "s1_policy_areas", "s2_roles", "s2_team", "s1_activities", "often"
)


@dataclass(frozen=True)
class Colouring:
    key: str
    label: str
    legend: tuple[tuple[str, str], ...]  # (colour, label)


def _bin_legend(top: float, language: str) -> tuple[tuple[str, str], ...]:
    step = top / len(RAMP)
    kind = "number" if top < 50 else "count"
    return tuple(
        (colour, "\u2013".join(format_value(b * step, kind, language) for b in (i, i + 1)))
        for i, colour in enumerate(RAMP)
    ) + ((NONE_COLOUR, _("No value")),)


def _binned(value: float | None, top: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NONE_COLOUR
    return RAMP[min(len(RAMP) - 1, max(0, int(value / top * len(RAMP))))]


Latest = dict[str, dict[str, float]]


def _latest_outcomes(public: PublicWave, programme) -> tuple[Latest, list[tuple[str, str]]]:
    """{city: {indicator: index points of its latest period}} and the indicators (code, name)."""
    values: dict[str, dict[str, tuple[str, float]]] = {}
    names: dict[str, str] = {}
    rows = public_outcomes(programme).filter(city__slug__in=list(public.cities), index_points__isnull=False)
    for slug, code, name, period, points in rows.values_list(
        "city__slug", "indicator__code", "indicator__name", "period", "index_points"
    ):
        names[code] = name
        held = values.setdefault(slug, {}).get(code)
        if held is None or period > held[0]:
            values[slug][code] = (period, points)
    latest = {slug: {code: v for code, (_p, v) in codes.items()} for slug, codes in values.items()}
    return latest, sorted(names.items(), key=lambda item: item[1])


def colourings(public: PublicWave, indicators: list[tuple[str, str]], language: str) -> list[Colouring]:
    """What the map can be coloured by in this wave (a data-use colouring only where one is public)."""
    found = []
    if public.psi is not None:
        classes = sorted({s.score_class for s in public.psi.scores.values()}, key=list(CLASS_COLOURS).index)
        found += [
            Colouring("psi_class", _("PSI capacity class"),
                      tuple((CLASS_COLOURS[c], str(CLASS_NAMES[c])) for c in classes)),
            Colouring("psi_index", _("PSI capacity index (0-10)"),
                      _bin_legend(SCALE_MAX["psi_index"], language)),
        ]
    if public.data_use is not None and public.data_use.scores:
        found += [
            Colouring("data_use_tier", _("Data-use tier"),
                      tuple((TIER_COLOURS[t], str(TIER_NAMES[t])) for t in TIER_COLOURS)),
            Colouring("data_use_index", _("Data-use index (0-38)"),
                      _bin_legend(SCALE_MAX["data_use_index"], language)),
        ]
    for code, name in indicators:
        found.append(Colouring(f"outcome:{code}", _("Outcome: %(name)s (index points)") % {"name": name},
                               _bin_legend(SCALE_MAX["outcome"], language)))
    return found


#: The map's two scores: the public run's attribute, the colourings of its band and of its index,
#: the score's band attribute, and the band's colours and names.
SCORES = (
    ("psi", "psi_class", "psi_index", "score_class", CLASS_COLOURS, CLASS_NAMES),
    ("data_use", "data_use_tier", "data_use_index", "tier", TIER_COLOURS, TIER_NAMES),
)


def _colours(public: PublicWave, slug: str, outcomes: dict[str, float], language: str) -> tuple[dict, dict]:
    colour, text = {}, {}
    for run_name, band_name, index_name, band_of, colours, names in SCORES:
        run = getattr(public, run_name)
        score = run.scores.get(slug) if run else None
        if score is not None:
            band = getattr(score, band_of)
            colour[band_name] = colours.get(band, NONE_COLOUR)
            text[band_name] = str(names.get(band, band))
            colour[index_name] = _binned(score.index, SCALE_MAX[index_name])
            text[index_name] = format_value(score.index, "number", language)
    for code, points in outcomes.items():
        colour[f"outcome:{code}"] = _binned(points, SCALE_MAX["outcome"])
        text[f"outcome:{code}"] = format_value(points, "number", language)
    return colour, text


def _chosen(answers, name: str) -> list[str]:
    return answers.get(name, "").split()


def map_data(public: PublicWave, programme, language: str) -> dict:
    """Rows, colourings and filter choices of the wave's map in ``language``."""
    instrument = public.instrument
    outcomes, indicators = _latest_outcomes(public, programme)
    activity_rows = []
    if any(g.name == ACTIVITY_GROUP for s in instrument.sections for g in s.groups):
        activity_rows = [q.name for q in instrument.group(ACTIVITY_GROUP).questions]
    rows = []
    for slug, city in public.cities.items():
        colour, text = _colours(public, slug, outcomes.get(slug, {}), language)
        answers = city.answers
        rows.append({
            "slug": slug, "name": city.name, "country": city.country, "continent": city.continent or "",
            "continent_name": str(CONTINENT_NAMES.get(city.continent or "", "")),
            "band": band_key(city.population), "population": city.population,
            "population_text": format_value(city.population, "count", language) if city.population else "",
            "lat": city.latitude, "lon": city.longitude, "synthetic": city.synthetic,
            "url": reverse("explorer:snapshot", args=[slug]) + f"?wave={public.code}",
            "areas": _chosen(answers, POLICY_AREAS), "roles": _chosen(answers, ROLES),
            "activities": [q for q in activity_rows if answers.get(q) == ACTIVITY_USED],
            "team": answers.get(TEAM, ""), "colour": colour, "text": text,
        })
    rows.sort(key=lambda r: r["name"])
    return {"rows": rows, "colourings": colourings(public, indicators, language),
            "choices": filter_choices(public, rows, activity_rows, language)}


def _options(instrument, question: str, language: str) -> list[tuple[str, str]]:
    if not instrument.has_question(question):
        return []
    return [(c.name, instrument.text(c.labels, language)) for c in instrument.choices(question).choices]


def filter_choices(public: PublicWave, rows: list[dict], activity_rows: list[str], language: str) -> dict:
    """The values each filter offers: those of the wave's public cities, labelled in ``language``."""
    instrument = public.instrument
    continents = {r["continent"] for r in rows}
    bands = {r["band"] for r in rows}
    return {
        "continent": [(c, str(name)) for c, name in CONTINENT_NAMES.items() if c in continents],
        "band": [(str(low), str(name)) for low, name in BAND_NAMES.items() if str(low) in bands],
        "area": _options(instrument, POLICY_AREAS, language),
        "role": [o for o in _options(instrument, ROLES, language) if o[0] != "other"],
        "activity": [(q, instrument.label(q, language)) for q in activity_rows],
        "team": [(v, label) for v, label in _options(instrument, TEAM, language)],
    }


def matches(row: dict, chosen: dict[str, str]) -> bool:
    """Whether a row passes every chosen filter (an empty value does not filter). The page's
    script applies the same rules (map.js, ``matches``)."""
    query = chosen.get("q", "").strip().casefold()
    return (
        (not query or query in row["name"].casefold())
        and (not chosen.get("continent") or row["continent"] == chosen["continent"])
        and (not chosen.get("band") or row["band"] == chosen["band"])
        and (not chosen.get("area") or chosen["area"] in row["areas"])
        and (not chosen.get("role") or chosen["role"] in row["roles"])
        and (not chosen.get("activity") or chosen["activity"] in row["activities"])
        and (not chosen.get("team") or row["team"] == chosen["team"])
    )
