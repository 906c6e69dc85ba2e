"""Helpers for Civicmeter's own tests and for anyone extending it: build a programme, log in as a role.

Shipped in the package (like Wagtail's ``WagtailTestUtils``) so app tests, browser tests and plugins
share one way of setting up the world.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model

from civicmeter.web.accounts.models import Role
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.programmes import services as programme_services
from civicmeter.web.programmes.instrument_cache import SHIPPED_DIR
from civicmeter.web.programmes.models import City, Instrument, Programme, Wave

SURVEY_FILE = SHIPPED_DIR / "innovation-capacity.xlsx"
ASSESSMENT_FILE = SHIPPED_DIR / "data-use-assessment.xlsx"
PASSWORD = "correct-horse-battery"  # noqa: S105 - test-only password


#: Answers earning every point of the default PSI recipe (10/10).
PSI_FULL_ANSWERS = {
    "s1_strategy": "yes",
    "s1_goals": "yes",
    "s1_approach": "holistic",
    "s2_team": "yes",
    "s2_integration": "embedded",
    "s2_roles": "project_manager designer engineer",
    "s3_dedicated": "yes",
    "s3_budget_plan": "increase",
    "s3_sources_now": "municipal national",
    "s4_data_role": "significant",
    "s4_open_data": "yes",
    "s4_data_strategy": "data_strategy cdo",
    "s5_goal_metrics": "yes",
    "s5_eval_tools": "yes",
    "s5_eval_practice": "systematic",
}
#: Hand-computed: strategy 0 + 0 + 0.5 (both) = 0.5; organisation 1 + 0 (some departments) + 0 (2
#: roles) = 1; funding 0 (no) + 0.5 (maintain) + 0 (sources not asked) = 0.5; data use 0.5 (somewhat)
#: + 0 + 0 (neither) = 0.5; evaluation 1 + 0 (other) + 0 (ad hoc) = 1. Total 3.5, low.
PSI_MIXED_ANSWERS = {
    "s1_strategy": "no",
    "s1_goals": "other",
    "s1_approach": "both",
    "s2_team": "yes",
    "s2_integration": "some_departments",
    "s2_roles": "designer other",
    "s3_dedicated": "no",
    "s3_budget_plan": "maintain",
    "s3_sources_now": "municipal national regional",
    "s4_data_role": "somewhat",
    "s4_open_data": "no",
    "s4_data_strategy": "neither",
    "s5_goal_metrics": "yes",
    "s5_eval_tools": "other",
    "s5_eval_practice": "ad_hoc",
}


def complete_answers(instrument, answers: dict[str, str] | None = None) -> dict[str, str]:
    """``answers`` plus a valid answer for every required question still missing, following skip
    logic until nothing is missing (first choice, lowest allowed number, a plausible text)."""
    from civicmeter import instruments
    from civicmeter.web.collection.views.survey_display import simple_range

    answers = dict(answers or {})
    while missing := instruments.missing_required(instrument, answers):
        for name in missing:
            question = instrument.question(name)
            if question.is_select:
                answers[name] = instruments.available_choices(instrument, name, answers)[0].name
            elif question.type in ("integer", "decimal"):
                answers[name] = simple_range(question.constraint)[0] or "1"
            elif question.type == "url":
                answers[name] = "https://example.org/strategy"
            else:
                answers[name] = "Described."
    return answers


def make_city(name: str, country: str, **fields) -> City:
    slug = fields.pop("slug", None) or f"{name}-{country}".lower().replace(" ", "-")
    city, _ = City.objects.get_or_create(slug=slug, defaults={"name": name, "country": country, **fields})
    return city


#: The cities of the EU Quality of Life slice (tests/fixtures/eu-qol-2023) that outcome imports match.
EU_QOL_CITIES = (
    ("Brussels", "BE"),
    ("Antwerp", "BE"),
    ("Munich", "DE"),
    ("Vienna", "AT"),
    ("Geneva", "CH"),
    ("Newcastle upon Tyne", "GB"),
)


def make_cities(places: tuple[tuple[str, str], ...]) -> list[City]:
    """``make_city`` for each (name, country) of ``places``."""
    return [make_city(name, country) for name, country in places]


def make_user(
    username: str,
    *,
    programme: Programme | None = None,
    kind: str | None = None,
    city: City | None = None,
    email: str | None = None,
):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=email or f"{username}@example.org"
    )
    if kind:
        Role.objects.create(user=user, programme=programme, kind=kind, city=city)
    return user


@dataclass
class World:
    """A small programme: one open wave, two cities, and one user per role."""

    programme: Programme
    wave: Wave
    city_a: City
    city_b: City
    admin: object
    reviewer: object
    respondent_a: object
    respondent_b: object
    outsider: object


def edited_survey(change) -> bytes:
    """The shipped survey workbook after ``change(book)`` (an openpyxl workbook), as bytes."""
    import io

    import openpyxl

    book = openpyxl.load_workbook(SURVEY_FILE)
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def without_translated_titles(book) -> None:
    """For :func:`edited_survey`: the survey as first published under 2020.1 (English title only)."""
    settings = book["settings"]
    for column in reversed(range(1, settings.max_column + 1)):
        if str(settings.cell(1, column).value or "").startswith("translated_title::"):
            settings.delete_cols(column)


def workbook_cell(book, sheet: str, name: str, header: str):
    """For :func:`edited_survey`: the cell under ``header`` in the row named ``name``."""
    rows = book[sheet]
    headers = [c.value for c in rows[1]]
    for row in rows.iter_rows(min_row=2):
        if row[headers.index("name")].value == name:
            return row[headers.index(header)]
    raise KeyError(f"no row named {name} on the {sheet} sheet")


def make_world(
    *,
    instrument_file: Path = SURVEY_FILE,
    wave_code: str = "2020",
    wave_status: str = Wave.Status.OPEN,
) -> World:
    programme = Programme.objects.create(name="Test programme", slug="test")
    instrument = programme_services.instrument_register(
        actor=SYSTEM, filename=instrument_file.name, content=instrument_file.read_bytes()
    )
    wave = Wave.objects.create(programme=programme, code=wave_code, instrument=instrument, status=wave_status)
    city_a = make_city("Baltimore", "US", population=611_648, population_year=2017)
    city_b = make_city("Bilbao", "ES", population=345_122, population_year=2016)
    return World(
        programme=programme,
        wave=wave,
        city_a=city_a,
        city_b=city_b,
        admin=make_user("admin", programme=programme, kind=Role.Kind.ADMIN),
        reviewer=make_user("reviewer", programme=programme, kind=Role.Kind.REVIEWER),
        respondent_a=make_user("baltimore-us", programme=programme, kind=Role.Kind.RESPONDENT, city=city_a),
        respondent_b=make_user("bilbao-es", programme=programme, kind=Role.Kind.RESPONDENT, city=city_b),
        outsider=make_user("outsider"),
    )


def make_assessment_wave(world: World, *, code: str = "2020-data-use", paired: bool = True) -> Wave:
    """A data-use assessment wave in ``world``'s programme, paired with its survey wave."""
    instrument = programme_services.instrument_register(
        actor=SYSTEM,
        filename=ASSESSMENT_FILE.name,
        content=ASSESSMENT_FILE.read_bytes(),
        kind=Instrument.Kind.ASSESSMENT,
    )
    wave = Wave.objects.create(
        programme=world.programme, code=code, instrument=instrument, status=Wave.Status.OPEN
    )
    if paired:
        programme_services.wave_pair(actor=SYSTEM, assessment_wave=wave, survey_wave=world.wave)
        wave.refresh_from_db()
    return wave


def assessment_claims(instrument, met: set[str] | frozenset[str] = frozenset()) -> dict[str, str]:
    """A complete set of claims: ``met`` for the criteria named, ``not_met`` for the rest."""
    from civicmeter import scoring

    return {c: "met" if c in met else "not_met" for c in scoring.assessment_criteria(instrument)}


def make_published_world() -> World:
    """``make_world`` with its 2020 wave closed, scored and published: Baltimore's and Bilbao's
    responses validated (public); Athens' draft, Lisbon's returned and Rochester's submitted
    response never public (Rochester's is scored, as submitted responses are)."""
    from civicmeter.web.collection.models import Answer, Response
    from civicmeter.web.programmes.instrument_cache import instrument_for
    from civicmeter.web.results.services import scores_compute

    world = make_world(wave_status=Wave.Status.CLOSED)
    instrument = instrument_for(world.wave.instrument)
    full = complete_answers(instrument, PSI_FULL_ANSWERS)
    mixed = complete_answers(instrument, PSI_MIXED_ANSWERS)
    rows = [
        (world.city_a, full, Response.Status.VALIDATED),
        (world.city_b, mixed, Response.Status.VALIDATED),
        (make_city("Athens", "GR", population=664_046), full, Response.Status.DRAFT),
        (make_city("Lisbon", "PT", population=547_733), full, Response.Status.RETURNED),
        (make_city("Rochester", "US", population=208_046), mixed, Response.Status.SUBMITTED),
    ]
    for city, answers, status in rows:
        response = Response.objects.create(wave=world.wave, city=city, status=status)
        Answer.objects.bulk_create(
            [Answer(response=response, question=q, value=v) for q, v in answers.items()]
        )
    scores_compute(actor=SYSTEM, wave=world.wave)
    programme_services.wave_publish(actor=SYSTEM, wave=world.wave)
    world.wave.refresh_from_db()
    return world


def login(client, user) -> None:
    """Log ``client`` in as ``user`` (by password, through the real authentication backend)."""
    assert client.login(username=user.get_username(), password=PASSWORD), "login failed"
