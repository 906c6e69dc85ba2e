"""The demo's agenda: Baltimore's team has turned two of its recommendations into actions, one under
way and one overdue (so the board, the timeline and ``civicmeter agenda remind`` have something to
show). Loaded through the agenda service, as the demo's system actor."""

from __future__ import annotations

from datetime import timedelta

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


def load_demo_agenda(programme) -> int:
    """Two actions for Baltimore from the recommendations its newest answers trigger (the two with
    the most reasons); nothing when it already has actions or no answers. Returns how many were added."""
    city = City.objects.filter(slug=DEMO_CITY).first()
    waves = programme.waves.filter(instrument__kind=Instrument.Kind.SURVEY).order_by("-code")
    if city is None or AgendaAction.objects.filter(programme=programme, city=city).exists():
        return 0
    for wave in waves:
        evidence = wave_evidence(wave)
        instrument = instrument_for(wave.instrument)
        if evidence.counted(instrument, DEMO_CITY):
            break
    else:
        return 0
    rules = content.active_rules(programme, instrument)
    result = recommend(rules, instrument, DEMO_CITY, PeerGroup("all", frozenset(evidence.answers)), evidence)
    chosen = sorted(result.items, key=lambda t: (-len(t.reasons), t.number))[:2]
    today = timezone.localdate()
    plans = (
        (Status.IN_PROGRESS, today - timedelta(days=45), today + timedelta(days=75)),
        (Status.PLANNED, today - timedelta(days=60), today - timedelta(days=7)),
    )
    for item, (owner, email), (status, starts, due) in zip(chosen, OWNERS, plans, strict=False):
        spec = services.ActionSpec(
            title=item.recommendation.title,
            owner=owner,
            owner_email=email,
            status=status,
            starts_on=starts,
            due_on=due,
            notes="\n".join(f"• {action}" for action in item.first_actions),
            source=Source.RECOMMENDATION,
            source_ref=str(item.number),
            source_wave=wave.code,
        )
        services.action_create(actor=SYSTEM, programme=programme, city=city, spec=spec)
    return len(chosen)
