"""Load the demo programme: "Innovation Capacity in Cities" with its 2018 and 2020 survey waves and
the 2020 data-use assessment wave (US cities, paired with the 2020 survey wave).

About 150 real cities (GeoNames facts) with synthetic answers drawn to match the OECD's published
shares, except the published facts of a few known cities; every demo response says so. The data-use
wave's claims and review outcomes are synthetic too, calibrated to the cited What Works Cities levels
(``content/demo/wwc_levels.yaml``). Demo users: ``admin``, ``reviewer`` and one respondent per city
named by its slug, all with password ``demo``.
"""

from __future__ import annotations

import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q

from civicmeter import scoring
from civicmeter.demo.answers import known_cities, synthetic_answers
from civicmeter.demo.assessment import criteria_from, synthetic_assessment, wwc_levels
from civicmeter.demo.cities import demo_cities
from civicmeter.web.accounts.models import Role
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection.models import Answer, AnswerChange, CriterionReview, Response
from civicmeter.web.programmes import services
from civicmeter.web.programmes.instrument_cache import SHIPPED_DIR, instrument_for
from civicmeter.web.programmes.models import City, Instrument, Invitation, Programme, Wave

PROGRAMME_SLUG = "innovation-capacity"
DEMO_PASSWORD = "demo"  # noqa: S105 - the documented demo password, local use only
#: 2020 responses left unfinished so the survey can be tried (Baltimore's is not even started).
DRAFT_CITIES_2020 = ("bilbao-es", "athens-gr", "lima-pe", "wellington-nz", "bologna-it", "tempe-us")
NOT_STARTED_2020 = ("baltimore-us", "rochester-us")
#: The data-use assessment wave (US cities: the OECD drew data-use data from What Works Cities
#: assessments of US cities) and the survey wave whose results table shows its scores.
ASSESSMENT_WAVE, ASSESSMENT_PAIRS_WITH = "2020-data-use", "2020"
ASSESSMENT_FILE = SHIPPED_DIR / "data-use-assessment.xlsx"
#: Review dates: a first round asking for more evidence, then the final outcomes.
REVIEW_ROUNDS = {1: datetime(2020, 5, 15, tzinfo=UTC), 2: datetime(2020, 6, 15, tzinfo=UTC)}
ASSESSED_ON = datetime(2020, 4, 30, tzinfo=UTC)


@dataclass(frozen=True)
class DemoSummary:
    programme: Programme
    cities: int
    responses: int
    created: bool


def _users(cities: list[City], programme: Programme) -> None:
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: 150 separate hashes would take a minute
    admin, _ = User.objects.get_or_create(
        username="admin",
        defaults={"email": "admin@demo.invalid", "is_staff": True, "password": password},
    )
    reviewer, _ = User.objects.get_or_create(
        username="reviewer", defaults={"email": "reviewer@demo.invalid", "password": password}
    )
    Role.objects.get_or_create(user=admin, programme=programme, kind=Role.Kind.ADMIN)
    Role.objects.get_or_create(user=reviewer, programme=programme, kind=Role.Kind.REVIEWER)
    existing = set(
        User.objects.filter(username__in=[c.slug for c in cities]).values_list("username", flat=True)
    )
    User.objects.bulk_create(
        [
            User(username=c.slug, email=f"{c.slug}@demo.invalid", password=password)
            for c in cities
            if c.slug not in existing
        ]
    )
    users = {u.username: u for u in User.objects.filter(username__in=[c.slug for c in cities])}
    Role.objects.bulk_create(
        [Role(user=users[c.slug], programme=programme, kind=Role.Kind.RESPONDENT, city=c) for c in cities],
        ignore_conflicts=True,
    )


def _cities() -> list[City]:
    known = known_cities()["cities"]
    cities = []
    for facts in demo_cities():
        extra = known.get(facts.slug, {})
        city, _ = City.objects.update_or_create(
            slug=facts.slug,
            defaults={
                "name": facts.name,
                "country": facts.country,
                "region": facts.region,
                "population": extra.get("population", facts.population),
                "population_year": extra.get("population_year", 2015 if facts.population else None),
                "latitude": facts.latitude,
                "longitude": facts.longitude,
                "mayor": extra.get("mayor", ""),
                "synthetic": True,
            },
        )
        cities.append(city)
    return cities


def _store(
    wave: Wave,
    city: City,
    answers: dict[str, str],
    *,
    status: str,
    provenance: str,
    on: datetime | None = None,
) -> Response:
    on = on or wave_date(wave)
    response = Response.objects.create(
        wave=wave,
        city=city,
        status=status,
        synthetic=True,
        provenance=provenance,
        submitted_at=None if status == Response.Status.DRAFT else on,
    )
    # auto_now_add stamps the load time; the demo's activity belongs to the wave's own year.
    Response.objects.filter(pk=response.pk).update(last_activity_at=on)
    Answer.objects.bulk_create([Answer(response=response, question=q, value=v) for q, v in answers.items()])
    AnswerChange.objects.bulk_create(
        [
            AnswerChange(response=response, question=q, new_value=v, source=AnswerChange.Source.DEMO)
            for q, v in answers.items()
        ]
    )
    return response


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
        with transaction.atomic():
            load_assessment_wave(existing, assessment_row, progress)
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
    with transaction.atomic():
        summary = _load(instrument_row, progress)
        n = load_assessment_wave(summary.programme, assessment_row, progress)
        close_demo_invitations(summary.programme)
    return DemoSummary(summary.programme, summary.cities, summary.responses + n, created=True)


def close_demo_invitations(programme: Programme) -> int:
    """Mark every demo invitation as accepted by its city's demo login, with a fresh random token.

    The demo users sign in with their password; leaving their invitations open would give anyone
    with the link a way in. Older demo databases had guessable ``demo-<wave>-<city>`` tokens, which
    are replaced here too. Returns how many invitations were closed.
    """
    users = {u.username: u for u in get_user_model().objects.filter(email__endswith="@demo.invalid")}
    open_ones = Invitation.objects.filter(wave__programme=programme, email__endswith="@demo.invalid").filter(
        Q(accepted_by__isnull=True) | Q(token__startswith="demo-")  # noqa: S106 - the old guessable form
    )
    closed = 0
    for invitation in open_ones.select_related("city"):
        invitation.token = secrets.token_urlsafe(32)
        invitation.accepted_by = invitation.accepted_by or users.get(invitation.city.slug)
        invitation.accepted_at = invitation.accepted_at or invitation.sent_at
        invitation.save(update_fields=["token", "accepted_by", "accepted_at"])
        closed += 1
    return closed


def _criteria(instrument_row: Instrument):
    """The assessment's criteria (question names) with their prerequisites, in recipe order."""
    recipe = scoring.load_scoring_recipe(scoring.DATA_USE_RECIPE)
    criteria = scoring.recipe_criteria(instrument_for(instrument_row), recipe)
    question = {code: name for name, code in criteria.items()}
    return criteria_from(
        {question[item.code]: [question[r] for r in item.requires] for item in recipe.items}
    )


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


def load_assessment_wave(programme: Programme, instrument_row: Instrument, progress) -> int:
    """Add the 2020 data-use wave and a validated, reviewed assessment for each US demo city that
    has none yet. Returns the number of responses created (0 when all exist)."""
    wave, _ = Wave.objects.get_or_create(
        programme=programme,
        code=ASSESSMENT_WAVE,
        defaults={
            "title": "Data-use practices assessment",
            "instrument": instrument_row,
            "status": Wave.Status.CLOSED,
            "opens_on": date(2020, 1, 15),
            "closes_on": date(2020, 6, 30),
            "pairs_with": programme.waves.filter(code=ASSESSMENT_PAIRS_WITH).first(),
        },
    )
    reviewer = get_user_model().objects.filter(username="reviewer").first()
    done = set(Response.objects.filter(wave=wave).values_list("city_id", flat=True))
    cities = [c for c in City.objects.filter(synthetic=True, country="US") if c.pk not in done]
    if not cities:
        return 0
    progress(f"data-use assessments of {len(cities)} US cities")
    criteria, facts = _criteria(instrument_row), wwc_levels()
    rounds: dict[int, list[CriterionReview]] = {1: [], 2: []}
    for city in cities:
        cited = facts["cities"].get(city.slug)
        draw = synthetic_assessment(
            criteria,
            city_slug=city.slug,
            seed=zlib.crc32(city.slug.encode()) + 2020,
            level=cited["level"] if cited else None,
        )
        Invitation.objects.get_or_create(
            wave=wave,
            city=city,
            email=f"{city.slug}@demo.invalid",
            defaults={"token": secrets.token_urlsafe(32), "sent_at": datetime(2020, 1, 15, tzinfo=UTC)},
        )
        response = _store(
            wave,
            city,
            draw.answers,
            status=Response.Status.VALIDATED,
            provenance=_assessment_provenance(city, cited, facts["sources"]),
            on=ASSESSED_ON,
        )
        for criterion, outcome, round_ in draw.reviews:
            rounds[round_].append(
                CriterionReview(
                    response=response,
                    criterion=criterion,
                    outcome=outcome,
                    reviewer=reviewer,
                    note="Synthetic demo review."
                    if outcome != CriterionReview.Outcome.NEEDS_EVIDENCE
                    else "Synthetic demo review: the evidence does not show the practice is current.",
                )
            )
    for round_, reviews in rounds.items():  # round 1 first, so ids follow the review order too
        created = CriterionReview.objects.bulk_create(reviews)
        CriterionReview.objects.filter(pk__in=[r.pk for r in created]).update(at=REVIEW_ROUNDS[round_])
    return len(cities)


def _load(instrument_row, progress: Callable[[str], None]) -> DemoSummary:
    programme = Programme.objects.create(
        name="Innovation Capacity in Cities",
        name_translations={
            "es": "Capacidad de Innovación en las Ciudades",
            "fr": "Capacité d'innovation des villes",
        },
        slug=PROGRAMME_SLUG,
        description=(
            "Demonstration programme modelled on the OECD / Bloomberg Philanthropies study. City facts "
            "are real (GeoNames); survey answers are synthetic, drawn to match the published shares, "
            "except the published facts of a few cities."
        ),
    )
    waves = {
        "2018": Wave.objects.create(
            programme=programme,
            code="2018",
            title="First survey",
            instrument=instrument_row,
            status=Wave.Status.CLOSED,
            opens_on=date(2018, 3, 1),
            closes_on=date(2018, 9, 30),
        ),
        "2020": Wave.objects.create(
            programme=programme,
            code="2020",
            title="Second survey",
            instrument=instrument_row,
            status=Wave.Status.OPEN,
            opens_on=date(2020, 3, 1),
            closes_on=date(2030, 12, 31),
        ),
    }
    progress("cities")
    cities = _cities()
    progress("users")
    _users(cities, programme)
    instrument = instrument_for(instrument_row)
    known = known_cities()
    n = 0
    for index, city in enumerate(cities):
        facts = known["cities"].get(city.slug, {}).get("answers", {})
        for code, wave in waves.items():
            Invitation.objects.create(
                wave=wave,
                city=city,
                email=f"{city.slug}@demo.invalid",
                token=secrets.token_urlsafe(32),
                sent_at=wave_date(wave),
            )
            if code == "2020" and city.slug in NOT_STARTED_2020:
                continue
            draft = code == "2020" and city.slug in DRAFT_CITIES_2020
            answers = synthetic_answers(
                instrument,
                city_slug=city.slug,
                wave=code,
                seed=index * 10 + int(code),
                facts=facts if code == "2018" else None,
                profile=_profile(city),
            )
            if draft:  # a draft stops part-way through the questionnaire
                answers = dict(list(answers.items())[: len(answers) // 3])
            provenance = (
                f"Synthetic demo answers, except published facts: {', '.join(sorted(facts))} "
                f"({known['source']})."
                if facts and code == "2018"
                else "Synthetic demo answers."
            )
            status = (
                Response.Status.DRAFT
                if draft
                else (Response.Status.VALIDATED if code == "2018" else Response.Status.SUBMITTED)
            )
            _store(wave, city, answers, status=status, provenance=provenance)
            n += 1
        if index % 25 == 0:
            progress(f"responses {index}/{len(cities)}")
    return DemoSummary(programme, len(cities), n, created=True)
