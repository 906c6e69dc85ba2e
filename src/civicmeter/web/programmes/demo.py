"""Load the demo programme: "Innovation Capacity in Cities" with its 2018 and 2020 waves.

About 150 real cities (GeoNames facts) with synthetic answers drawn to match the OECD's published
shares, except the published facts of a few known cities; every demo response says so. Demo users:
``admin``, ``reviewer`` and one respondent per city named by its slug, all with password ``demo``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from civicmeter.demo.answers import known_cities, synthetic_answers
from civicmeter.demo.cities import demo_cities
from civicmeter.web.accounts.models import Role
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection.models import Answer, AnswerChange, Response
from civicmeter.web.programmes import services
from civicmeter.web.programmes.instrument_cache import SHIPPED_DIR, instrument_for
from civicmeter.web.programmes.models import City, Invitation, Programme, Wave

PROGRAMME_SLUG = "innovation-capacity"
DEMO_PASSWORD = "demo"  # noqa: S105 - the documented demo password, local use only
#: 2020 responses left unfinished so the survey can be tried (Baltimore's is not even started).
DRAFT_CITIES_2020 = ("bilbao-es", "athens-gr", "lima-pe", "wellington-nz", "bologna-it", "tempe-us")
NOT_STARTED_2020 = ("baltimore-us", "rochester-us")


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


def _store(wave: Wave, city: City, answers: dict[str, str], *, status: str, provenance: str) -> Response:
    response = Response.objects.create(
        wave=wave,
        city=city,
        status=status,
        synthetic=True,
        provenance=provenance,
        submitted_at=None if status == Response.Status.DRAFT else wave_date(wave),
    )
    # auto_now_add stamps the load time; the demo's activity belongs to the wave's own year.
    Response.objects.filter(pk=response.pk).update(last_activity_at=wave_date(wave))
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
    """Create the demo programme once; later calls return it unchanged (the loader is idempotent)."""
    existing = Programme.objects.filter(slug=PROGRAMME_SLUG).first()
    if existing is not None:
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
        return _load(instrument_row, progress)


def _load(instrument_row, progress: Callable[[str], None]) -> DemoSummary:
    programme = Programme.objects.create(
        name="Innovation Capacity in Cities",
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
                token=f"demo-{code}-{city.slug}",
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
