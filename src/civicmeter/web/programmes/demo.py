"""Load the demo programme: "Innovation Capacity in Cities" with its 2018 and 2020 survey waves and
the 2020 data-use assessment wave (US cities, paired with the 2020 survey wave).

About 150 real cities (GeoNames facts) with synthetic answers drawn to match the OECD's published
shares, except the published facts of a few known cities; every demo response says so. The data-use
wave's claims and review outcomes are synthetic too, calibrated to the cited What Works Cities levels
(``content/demo/wwc_levels.yaml``). Demo users: ``admin``, ``reviewer`` and one respondent per city
named by its slug, all with password ``demo``.

Everything is written through the services a programme uses (``programme_create``,
``cities_import``, ``members_add``, ``wave_create``, ``invitation_send``, ``responses_import``,
``response_validate``, ``criteria_review_import``, ``wave_pair``), as the system actor; history is
recorded at its own time with ``SYSTEM.as_of(when)`` (the 2018 wave was submitted in 2018).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection

from civicmeter import scoring
from civicmeter.demo.answers import known_cities, synthetic_answers
from civicmeter.demo.assessment import criteria_from, synthetic_assessment, wwc_levels
from civicmeter.demo.cities import demo_cities
from civicmeter.instruments import files, tabular
from civicmeter.web.accounts.models import Role
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.agenda.demo import load_demo_agenda
from civicmeter.web.assessment.demo import load_assessment_round
from civicmeter.web.collection import services as collection
from civicmeter.web.collection.models import Response
from civicmeter.web.collection.services.transfer import Origin, responses_import
from civicmeter.web.explorer.demo import publish_demo
from civicmeter.web.goals.demo import load_demo_goals
from civicmeter.web.programmes import services
from civicmeter.web.programmes.instrument_cache import SHIPPED_DIR, instrument_for
from civicmeter.web.programmes.models import City, Instrument, Programme, Wave
from civicmeter.web.programmes.services import CityRecord, Member, WaveSpec

PROGRAMME_SLUG = "innovation-capacity"
DEMO_PASSWORD = "demo"  # noqa: S105 - the documented demo password, local use only
#: 2020 responses left unfinished so the survey can be tried (Rochester's is not even started).
DRAFT_CITIES_2020 = ("graz-at", "riga-lv", "lima-pe", "wellington-nz", "bologna-it", "tempe-us")
NOT_STARTED_2020 = ("rochester-us",)
#: Submitted 2020 responses left waiting for the programme's validation, so that step can be tried.
#: Every other submitted 2020 response is validated: once an admin closes and publishes the wave, its
#: cities (Lisbon, Athens, Bilbao, Baltimore...) appear on the public pages, and Baltimore's team page
#: compares its 2018 and 2020 scores (progress across waves) beside its agenda.
AWAITING_VALIDATION_2020 = ("leipzig-de", "oslo-no", "seattle-us", "tallinn-ee")
#: The data-use assessment wave (US cities: the OECD drew data-use data from What Works Cities
#: assessments of US cities) and the survey wave whose results table shows its scores.
ASSESSMENT_WAVE, ASSESSMENT_PAIRS_WITH = "2020-data-use", "2020"
ASSESSMENT_FILE = SHIPPED_DIR / "data-use-assessment.xlsx"
#: Review dates: a first round asking for more evidence, then the final outcomes.
REVIEW_ROUNDS = {1: datetime(2020, 5, 15, tzinfo=UTC), 2: datetime(2020, 6, 15, tzinfo=UTC)}
ASSESSED_ON = datetime(2020, 4, 30, tzinfo=UTC)
ASSESSMENT_INVITED_ON = datetime(2020, 1, 15, tzinfo=UTC)
SURVEY_WAVES = (
    WaveSpec("2018", "First survey", Wave.Status.CLOSED, date(2018, 3, 1), date(2018, 9, 30)),
    WaveSpec("2020", "Second survey", Wave.Status.OPEN, date(2020, 3, 1), date(2030, 12, 31)),
)
ASSESSMENT_SPEC = WaveSpec(
    ASSESSMENT_WAVE, "Data-use practices assessment", Wave.Status.CLOSED, date(2020, 1, 15), date(2020, 6, 30)
)
PROGRAMME = {
    "slug": PROGRAMME_SLUG,
    "name": "Innovation Capacity in Cities",
    "name_translations": {
        "es": "Capacidad de Innovación en las Ciudades",
        "fr": "Capacité d'innovation des villes",
    },
    "description": (
        "Demonstration programme modelled on the OECD / Bloomberg Philanthropies study. City facts "
        "are real (GeoNames); survey answers are synthetic, drawn to match the published shares, "
        "except the published facts of a few cities."
    ),
}


INCOMPLETE = (
    "The demo programme is incomplete: its {wave} wave has {found} of {expected} responses (a load "
    "stopped part-way; the demo is loaded step by step through the services, each step its own "
    "transaction). Delete the database ({database}) and run civicmeter demo again."
)


class DemoIncomplete(RuntimeError):
    """An earlier load stopped part-way; loading again would leave the demo inconsistent."""


@dataclass(frozen=True)
class DemoSummary:
    programme: Programme
    cities: int
    responses: int
    created: bool


def _city_records() -> list[CityRecord]:
    """The demo cities: GeoNames facts, with the published population and mayor where known."""
    known = known_cities()["cities"]
    records = []
    for facts in demo_cities():
        extra = known.get(facts.slug, {})
        records.append(
            CityRecord(
                slug=facts.slug,
                name=facts.name,
                country=facts.country,
                region=facts.region,
                population=extra.get("population", facts.population),
                population_year=extra.get("population_year", 2015 if facts.population else None),
                latitude=facts.latitude,
                longitude=facts.longitude,
                mayor=extra.get("mayor", ""),
                synthetic=True,
            )
        )
    return records


def _members(cities: list[City]) -> list[Member]:
    staff = [
        Member("admin", "admin@demo.invalid", Role.Kind.ADMIN, site_staff=True),
        Member("reviewer", "reviewer@demo.invalid", Role.Kind.REVIEWER),
    ]
    return staff + [Member(c.slug, f"{c.slug}@demo.invalid", Role.Kind.RESPONDENT, c.slug) for c in cities]


def wave_date(wave: Wave) -> datetime:
    """The demo's submission date for a wave: mid-year of the wave's year."""
    return datetime(int(wave.code), 6, 30, tzinfo=UTC)


def _profile(city: City) -> dict[str, str]:
    profile = {"population": str(city.population)} if city.population else {}
    if city.population_year:
        profile["population_year"] = str(city.population_year)
    if city.mayor:
        profile["mayor"] = city.mayor
    return profile


def _import(wave: Wave, answers: dict[City, dict[str, str]], *, provenance: str, on: datetime) -> None:
    """Load cities' answers through the responses import, as the file a programme would upload."""
    instrument = instrument_for(wave.instrument)
    rows = [tabular.CityAnswers(city=c.slug, city_name=c.name, answers=a) for c, a in answers.items()]
    content = files.to_csv_bytes(tabular.answers_to_frame(instrument, rows))
    responses_import(
        actor=SYSTEM.as_of(on),
        wave=wave,
        filename=f"demo-{wave.code}.csv",
        content=content,
        allow_closed=True,
        origin=Origin(provenance=provenance, synthetic=True),
    )


def _invite(wave: Wave, cities: list[City], on: datetime) -> None:
    """Record the demo's invitations (sent before the demo existed: no e-mail is queued)."""
    for city in cities:
        services.invitation_send(
            actor=SYSTEM.as_of(on), wave=wave, city=city, email=f"{city.slug}@demo.invalid", notify=False
        )


def demo_load(*, progress: Callable[[str], None] = lambda _msg: None) -> DemoSummary:
    """Create the demo programme once; later calls add only what is missing (idempotent)."""
    assessment_row = services.instrument_register(
        actor=SYSTEM,
        filename=ASSESSMENT_FILE.name,
        content=ASSESSMENT_FILE.read_bytes(),
        kind=Instrument.Kind.ASSESSMENT,
    )
    existing = Programme.objects.filter(slug=PROGRAMME_SLUG).first()
    if existing is not None:
        _require_complete(existing)
        load_assessment_wave(existing, assessment_row, progress)
        load_assessment_round(existing, progress)
        close_demo_invitations(existing)
        return DemoSummary(
            existing,
            City.objects.count(),
            Response.objects.filter(wave__programme=existing).count(),
            created=False,
        )
    survey = SHIPPED_DIR / "innovation-capacity.xlsx"
    instrument_row = services.instrument_register(
        actor=SYSTEM, filename=survey.name, content=survey.read_bytes()
    )
    summary = _load(instrument_row, progress)
    n = load_assessment_wave(summary.programme, assessment_row, progress)
    n += load_assessment_round(summary.programme, progress)
    close_demo_invitations(summary.programme)
    load_demo_goals(summary.programme)
    load_demo_agenda(summary.programme)
    progress("publishing the 2018 wave")
    publish_demo(summary.programme)
    return DemoSummary(summary.programme, summary.cities, summary.responses + n, created=True)


def _require_complete(programme: Programme) -> None:
    """Refuse a demo whose survey waves did not load completely (see ``INCOMPLETE``)."""
    cities = City.objects.filter(synthetic=True).count()
    expected = {"2018": cities, "2020": cities - len(NOT_STARTED_2020)}
    for code, n in expected.items():
        found = Response.objects.filter(wave__programme=programme, wave__code=code).count()
        validated = Response.objects.filter(wave__programme=programme, wave__code=code, status="validated")
        if found != n or (code == "2018" and validated.count() != n):
            database = connection.settings_dict["NAME"]
            raise DemoIncomplete(INCOMPLETE.format(wave=code, found=found, expected=n, database=database))


def close_demo_invitations(programme: Programme) -> int:
    """Accept every demo invitation for its city's demo login (``invitations_close_demo``)."""
    return services.invitations_close_demo(actor=SYSTEM, programme=programme)


def _criteria(instrument_row: Instrument):
    """The assessment's criteria (question names) with their prerequisites, in recipe order."""
    recipe = scoring.load_scoring_recipe(scoring.DATA_USE_RECIPE)
    criteria = scoring.recipe_criteria(instrument_for(instrument_row), recipe)
    question = {code: name for name, code in criteria.items()}
    return criteria_from({question[item.code]: [question[r] for r in item.requires] for item in recipe.items})


def _assessment_provenance(city: City, cited: dict | None, sources: dict) -> str:
    if cited is None:
        return (
            "Synthetic demo claims and review outcomes, drawn around the What Works Cities launch "
            "calibration (about 40% of criteria met)."
        )
    return (
        f"Synthetic demo claims and review outcomes, drawn so the tier matches {city.name}'s real "
        f"What Works Cities level as of mid-2020: {cited['level'].replace('_', ' ')} (since "
        f"{cited['since']}; {sources[cited['source']]}; levels from press releases, partial)."
    )


def _review_file(reviews) -> bytes:
    rows = ["criterion,decision,comment"]
    for criterion, outcome, _round in reviews:
        note = (
            "Synthetic demo review: the evidence does not show the practice is current."
            if outcome == "needs_evidence"
            else "Synthetic demo review."
        )
        rows.append(f"{criterion},{outcome},{note}")
    return ("\n".join(rows) + "\n").encode()


def _assessment_wave(programme: Programme, instrument_row: Instrument) -> Wave:
    wave = programme.waves.filter(code=ASSESSMENT_WAVE).first()
    if wave is not None:
        return wave
    wave = services.wave_create(
        actor=SYSTEM, programme=programme, instrument=instrument_row, spec=ASSESSMENT_SPEC
    )
    survey = programme.waves.filter(code=ASSESSMENT_PAIRS_WITH).first()
    if survey is not None:
        services.wave_pair(actor=SYSTEM, assessment_wave=wave, survey_wave=survey)
    return wave


def load_assessment_wave(programme: Programme, instrument_row: Instrument, progress) -> int:
    """Add the 2020 data-use wave and a validated, reviewed assessment for each US demo city that
    has none yet. Returns the number of responses created (0 when all exist)."""
    wave = _assessment_wave(programme, instrument_row)
    done = set(Response.objects.filter(wave=wave).values_list("city_id", flat=True))
    cities = [c for c in City.objects.filter(synthetic=True, country="US") if c.pk not in done]
    if not cities:
        return 0
    progress(f"data-use assessments of {len(cities)} US cities")
    criteria, facts = _criteria(instrument_row), wwc_levels()
    _invite(wave, cities, ASSESSMENT_INVITED_ON)
    draws, groups = {}, {}
    for city in cities:
        cited = facts["cities"].get(city.slug)
        draws[city] = synthetic_assessment(
            criteria,
            city_slug=city.slug,
            seed=zlib.crc32(city.slug.encode()) + 2020,
            level=cited["level"] if cited else None,
        )
        provenance = _assessment_provenance(city, cited, facts["sources"])
        groups.setdefault(provenance, {})[city] = draws[city].answers
    for provenance, answers in groups.items():
        _import(wave, answers, provenance=provenance, on=ASSESSED_ON)
    responses = {r.city_id: r for r in Response.objects.filter(wave=wave, city__in=cities)}
    reviewer = get_user_model().objects.filter(username="reviewer").first()
    for city in cities:
        collection.response_validate(actor=SYSTEM.as_of(ASSESSED_ON), response=responses[city.pk])
    for round_, at in REVIEW_ROUNDS.items():  # round 1 first, so ids follow the review order too
        for city in cities:
            reviews = [r for r in draws[city].reviews if r[2] == round_]
            if reviews:
                collection.criteria_review_import(
                    actor=SYSTEM.as_of(at, by=reviewer),  # the reviewer's decisions, made then
                    response=responses[city.pk],
                    filename="demo-reviews.csv",
                    content=_review_file(reviews),
                )
    return len(cities)


def _survey_answers(instrument, wave: Wave, cities: list[City], known: dict) -> dict[str, dict]:
    """Each answering city's synthetic answers, grouped by their provenance note."""
    groups: dict[str, dict] = {}
    for index, city in enumerate(cities):
        if wave.code == "2020" and city.slug in NOT_STARTED_2020:
            continue
        facts = known["cities"].get(city.slug, {}).get("answers", {})
        answers = synthetic_answers(
            instrument,
            city_slug=city.slug,
            wave=wave.code,
            seed=index * 10 + int(wave.code),
            facts=facts if wave.code == "2018" else None,
            profile=_profile(city),
        )
        if wave.code == "2020" and city.slug in DRAFT_CITIES_2020:  # a draft stops part-way through
            answers = dict(list(answers.items())[: len(answers) // 3])
        provenance = (
            f"Synthetic demo answers, except published facts: {', '.join(sorted(facts))} ({known['source']})."
            if facts and wave.code == "2018"
            else "Synthetic demo answers."
        )
        groups.setdefault(provenance, {})[city] = answers
    return groups


def _load_survey_wave(wave: Wave, cities: list[City], known: dict) -> int:
    on = wave_date(wave)
    _invite(wave, cities, on)
    if wave.code == "2020":  # drafts are started by their city; the import keeps their status
        for city in cities:
            if city.slug in DRAFT_CITIES_2020:
                collection.response_start(actor=SYSTEM.as_of(on), wave=wave, city=city)
    groups = _survey_answers(instrument_for(wave.instrument), wave, cities, known)
    for provenance, answers in groups.items():
        _import(wave, answers, provenance=provenance, on=on)
    validated = Response.objects.filter(wave=wave, status=Response.Status.SUBMITTED)
    if wave.code == "2020":
        validated = validated.exclude(city__slug__in=AWAITING_VALIDATION_2020)
    for response in validated:
        collection.response_validate(actor=SYSTEM.as_of(on), response=response)
    return sum(len(answers) for answers in groups.values())


def _load(instrument_row, progress: Callable[[str], None]) -> DemoSummary:
    programme = services.programme_create(actor=SYSTEM, **PROGRAMME)
    progress("cities")
    cities = services.cities_import(actor=SYSTEM, cities=_city_records())
    progress("users")
    password = make_password(DEMO_PASSWORD)  # hashed once: 150 separate hashes would take a minute
    services.members_add(actor=SYSTEM, programme=programme, members=_members(cities), password_hash=password)
    known = known_cities()
    n = 0
    for spec in SURVEY_WAVES:
        progress(f"the {spec.code} wave")
        wave = services.wave_create(actor=SYSTEM, programme=programme, instrument=instrument_row, spec=spec)
        n += _load_survey_wave(wave, cities, known)
    return DemoSummary(programme, len(cities), n, created=True)
