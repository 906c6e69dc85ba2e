"""The demo's agenda: Baltimore's team has turned two of its recommendations into actions, one under
way and one overdue (so the board, the timeline and ``civicmeter agenda remind`` have something to
show), and one of its 2018 recommendations into an action done in 2019, between the 2018 and 2020
waves (so the progress panel lists it beside the change). Loaded through the agenda service, as the
demo's system actor (``SYSTEM.as_of``: the done action's history is dated when it happened)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from civicmeter.narrative import PeerGroup, recommend
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import City, Instrument
from civicmeter.web.recommendations import content
from civicmeter.web.recommendations.selectors import wave_evidence

from . import services
from .models import AgendaAction, Source, Status

DEMO_CITY = "baltimore-us"
#: Who owns each demo action (fictional roles; the addresses cannot receive mail).
OWNERS = (
    ("Chief Data Officer (demo)", "cdo@baltimore-us.demo.invalid"),
    ("Innovation team lead (demo)", "innovation@baltimore-us.demo.invalid"),
)
#: The action done between the waves: planned once the 2018 results were out (published January
#: 2019), run through 2019 and done before the 2020 survey opened (March 2020).
DONE_OWNER = ("Performance and innovation office (demo)", "performance@baltimore-us.demo.invalid")
DONE_PLANNED_AT = datetime(2019, 2, 4, tzinfo=UTC)
DONE_STARTS_ON, DONE_DUE_ON = date(2019, 3, 1), date(2019, 12, 31)
DONE_STEPS = (
    (datetime(2019, 3, 1, tzinfo=UTC), Status.IN_PROGRESS),
    (datetime(2019, 11, 29, tzinfo=UTC), Status.DONE),
)


def _recommended(programme, wave) -> list | None:
    """Baltimore's recommendations in ``wave``, most reasons first; None when it has no answers there."""
    evidence = wave_evidence(wave)
    instrument = instrument_for(wave.instrument)
    if not evidence.counted(instrument, DEMO_CITY):
        return None
    rules = content.active_rules(programme, instrument)
    result = recommend(rules, instrument, DEMO_CITY, PeerGroup("all", frozenset(evidence.answers)), evidence)
    return sorted(result.items, key=lambda t: (-len(t.reasons), t.number))


def _spec(item, wave, owner: tuple[str, str], status: str, starts: date, due: date) -> services.ActionSpec:
    return services.ActionSpec(
        title=item.recommendation.title,
        owner=owner[0],
        owner_email=owner[1],
        status=status,
        starts_on=starts,
        due_on=due,
        notes="\n".join(f"• {action}" for action in item.first_actions),
        source=Source.RECOMMENDATION,
        source_ref=str(item.number),
        source_wave=wave.code,
    )


def _done_between(programme, city, wave, items, taken: set[int]) -> int:
    """One of ``wave``'s recommendations not already on the agenda, planned after its results, started
    and done before the next wave opened; its history carries those dates."""
    item = next((i for i in items if i.number not in taken), None)
    if item is None:
        return 0
    spec = _spec(item, wave, DONE_OWNER, Status.PLANNED, DONE_STARTS_ON, DONE_DUE_ON)
    planner = SYSTEM.as_of(DONE_PLANNED_AT)
    action = services.action_create(actor=planner, programme=programme, city=city, spec=spec)
    for at, status in DONE_STEPS:
        action = services.action_update(actor=SYSTEM.as_of(at), action=action, values={"status": status})
    return 1


def load_demo_agenda(programme) -> int:
    """Two actions for Baltimore from the recommendations its newest answers trigger (the two with
    the most reasons) and, when it answered an earlier wave too, one done in between from that wave's;
    nothing when it already has actions or no answers. Returns how many were added."""
    city = City.objects.filter(slug=DEMO_CITY).first()
    waves = programme.waves.filter(instrument__kind=Instrument.Kind.SURVEY).order_by("-code")
    if city is None or AgendaAction.objects.filter(programme=programme, city=city).exists():
        return 0
    answered = [(wave, items) for wave in waves if (items := _recommended(programme, wave)) is not None]
    if not answered:
        return 0
    wave, items = answered[0]
    chosen = items[:2]
    today = timezone.localdate()
    plans = (
        (Status.IN_PROGRESS, today - timedelta(days=45), today + timedelta(days=75)),
        (Status.PLANNED, today - timedelta(days=60), today - timedelta(days=7)),
    )
    for item, owner, (status, starts, due) in zip(chosen, OWNERS, plans, strict=False):
        spec = _spec(item, wave, owner, status, starts, due)
        services.action_create(actor=SYSTEM, programme=programme, city=city, spec=spec)
    if len(answered) < 2:
        return len(chosen)
    return len(chosen) + _done_between(programme, city, *answered[1], taken={i.number for i in chosen})
