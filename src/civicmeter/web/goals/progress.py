"""Reads for the progress panel: a city's scores in its two latest scored survey waves, as the pure
``performance.wave_progress`` takes them, with the agenda actions the city marked done.

An action's done date is when its status last became "done" (its agenda history), or its last
change when the history holds no such step (an action entered as done).
"""

from __future__ import annotations

from civicmeter.performance import ActionDone, ComponentScore, Progress, WaveScore, wave_progress
from civicmeter.web.agenda.models import AgendaAction, Status
from civicmeter.web.collection.models import Response
from civicmeter.web.programmes.models import City, Instrument, Programme
from civicmeter.web.results.models import CityScore
from civicmeter.web.results.selectors import PSI, latest_run


def scored_waves(programme: Programme, city: City) -> list[tuple[object, CityScore]]:
    """``(wave, score)`` for every survey wave whose latest PSI run scored the city, oldest first."""
    waves = programme.waves.filter(instrument__kind=Instrument.Kind.SURVEY).order_by("code")
    found = []
    for wave in waves:
        run = latest_run(wave, PSI)
        score = CityScore.objects.filter(run=run, city=city).select_related("run").first() if run else None
        if score is not None:
            found.append((wave, score))
    return found


def wave_score(wave, score: CityScore) -> WaveScore:
    return WaveScore(
        wave=wave.code,
        index=score.index,
        components=tuple(
            ComponentScore(c["code"], c["name"], float(c["points"]), float(c["max"]))
            for c in score.components
        ),
        rank=score.rank,
        rank_p5=score.rank_p5,
        rank_p95=score.rank_p95,
        ranked=score.run.n,
        recipe_version=score.run.recipe_version,
        closes_on=wave.closes_on,
        answered_on=answered_on(wave, score.city_id),
    )


def answered_on(wave, city_id: int):
    """The day the city's answers in ``wave`` were fixed: when its response was (last) submitted,
    submitting being the step after which only a return for changes can alter them."""
    response = Response.objects.filter(wave=wave, city_id=city_id, submitted_at__isnull=False).first()
    return response.submitted_at.date() if response else None


def actions_done(programme: Programme, city: City) -> list[ActionDone]:
    done = []
    actions = AgendaAction.objects.filter(programme=programme, city=city, status=Status.DONE)
    for action in actions.prefetch_related("events"):
        steps = (e for e in action.events.all() if _became_done(e.changes))
        when = next((e.at for e in steps), action.updated_at)
        done.append(ActionDone(action.title, when.date()))
    return done


def _became_done(changes) -> bool:
    status = (changes or {}).get("status")
    return isinstance(status, list | tuple) and bool(status) and status[-1] == Status.DONE


def city_progress(programme: Programme, city: City) -> tuple[Progress | None, list]:
    """The change between the two latest scored survey waves (None with fewer than two), and the
    scored waves themselves (so a page can say which one is missing)."""
    waves = scored_waves(programme, city)
    if len(waves) < 2:
        return None, waves
    (old_wave, old), (new_wave, new) = waves[-2], waves[-1]
    actions = actions_done(programme, city)
    return wave_progress(wave_score(old_wave, old), wave_score(new_wave, new), actions), waves
