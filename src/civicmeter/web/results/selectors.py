"""Reads of stored scores: the latest run per recipe for a wave, joined into one table per city.

A survey wave's table shows its own PSI run beside the data-use run of the assessment wave paired
with it (``Wave.pairs_with``, set by ``programmes.services.wave_pair``); an assessment wave's table
shows its own data-use run. The two indexes sit side by side and are never compared.
"""

from __future__ import annotations

import csv
import functools
import io
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Max, Q
from django.template.defaultfilters import floatformat
from django.utils import translation

from civicmeter.web.collection.models import CriterionReview, Response, ResponseEvent
from civicmeter.web.collection.selectors import cities_fingerprint
from civicmeter.web.programmes.models import City, Instrument, Wave

from .models import CityScore, ScoreRun

#: Responses that count: submitted (not yet checked) and validated. Drafts and returned responses
#: are still being changed by the city.
SCORED_STATUSES = (Response.Status.SUBMITTED, Response.Status.VALIDATED)
PSI = "psi-capacity"
DATA_USE = "data-use"
#: The columns of ``civicmeter results export`` and of the web download, in order.
EXPORT_COLUMNS = (
    "city",
    "name",
    "country",
    "psi_index",
    "psi_class",
    "psi_c1",
    "psi_c2",
    "psi_c3",
    "psi_c4",
    "psi_c5",
    "psi_rank",
    "psi_rank_p5",
    "psi_rank_p95",
    "data_use_index",
    "data_use_class",
    "tier",
)


def latest_run(wave: Wave, recipe: str) -> ScoreRun | None:
    """The newest run of ``recipe`` for ``wave`` (what pages show), or None."""
    return ScoreRun.objects.filter(wave=wave, recipe=recipe).select_related("actor").first()


def data_use_wave(wave: Wave) -> Wave | None:
    """The wave whose data-use runs ``wave``'s table shows: itself if it is an assessment wave,
    else the assessment wave paired with it (None when there is none)."""
    if wave.instrument.kind == Instrument.Kind.ASSESSMENT:
        return wave
    return Wave.objects.filter(pairs_with=wave).select_related("instrument").first()


def latest_data_use_run(wave: Wave) -> ScoreRun | None:
    """The newest data-use run shown with ``wave``: of itself or of its paired assessment wave.

    One query: only assessment waves have data-use runs, and only survey waves are paired with, so
    "of this wave or of a wave paired with it" is the same as :func:`data_use_wave`'s choice.
    """
    runs = ScoreRun.objects.filter(Q(wave=wave) | Q(wave__pairs_with=wave), recipe=DATA_USE)
    return runs.select_related("actor", "wave").first()


def runs_fingerprint(wave: Wave) -> tuple:
    """Changes whenever the runs shown with ``wave`` (its own and its paired assessment wave's)
    change, in one query: runs are only ever added, so their number and newest id say it."""
    runs = ScoreRun.objects.filter(Q(wave=wave) | Q(wave__pairs_with=wave))
    return tuple(runs.aggregate(n=Count("id"), newest=Max("id")).values())


@dataclass(frozen=True)
class ResultRow:
    """A city's latest scores, with the figures the table shows already formatted (``text``)."""

    city: City
    psi: CityScore | None
    data_use: CityScore | None
    text: dict[str, object] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class WaveResults:
    """The latest PSI run of a wave and the latest data-use run of its assessment wave (itself or
    the paired one); one row per scored city, best PSI rank first, then cities assessed only.

    The summary for the wave dashboard (:func:`wave_results_summary`) has the runs and class counts
    but no rows."""

    wave: Wave
    psi_run: ScoreRun | None
    data_use_run: ScoreRun | None
    rows: list[ResultRow]
    component_names: list[str]
    class_counts: dict[str, int]


def _scores(run: ScoreRun | None) -> dict[int, CityScore]:
    """The run's scores by city, without the per-item contributions (read one city at a time)."""
    if run is None:
        return {}
    return {s.city_id: s for s in run.scores.select_related("city").defer("contributions")}


def _text(psi: CityScore | None, data_use: CityScore | None, tied: Counter) -> dict[str, object]:
    """The row's figures as the table prints them, in the active language's number format.

    ``tied`` counts the cities at each rank: tied cities share the best rank of their group, and
    ``last`` is the group's last position, which the page shows beside the shared rank.
    """
    text: dict[str, object] = {}
    if psi is not None:
        text["tied"] = tied[psi.rank]
        text["last"] = psi.rank + tied[psi.rank] - 1
        text["index"] = floatformat(psi.index, "-1")
        text["components"] = [floatformat(c["points"], "-1") for c in psi.components]
        text["interval"] = f"{floatformat(psi.rank_p5, '0')}–{floatformat(psi.rank_p95, '0')}"
        text["outside"] = not (round(psi.rank_p5) <= psi.rank <= round(psi.rank_p95))
    if data_use is not None:
        text["data_use"] = floatformat(data_use.index, "-1")
    return text


def page_state(wave: Wave) -> tuple:
    """Everything the results page of ``wave`` shows, fingerprinted in one query (the page reads it
    on every request, and under load each round trip waits for a CPU; it was four queries).

    The newest PSI run of the wave and data-use run of the wave or its paired assessment wave (runs
    are only added, so the newest id says which is shown); the responses of both waves, their
    events and criterion reviews (count and newest change: whether a rescoring is pending can only
    change with them or with a new run); and every city's id, slug, name and country (the rows show
    names). Values as text, so the branches of the ``UNION ALL`` agree on every database.
    """
    with connection.cursor() as cursor:
        cursor.execute(_page_state_sql(), [wave.pk, PSI, wave.pk, wave.pk, DATA_USE, *[wave.pk] * 6])
        return (wave.pk, *sorted(cursor.fetchall(), key=lambda row: tuple(map(str, row))))


def _page_state_sql() -> str:
    run, wave, response = ScoreRun._meta.db_table, Wave._meta.db_table, Response._meta.db_table
    event, review, city = ResponseEvent._meta.db_table, CriterionReview._meta.db_table, City._meta.db_table
    # the responses of the wave and of the assessment wave paired with it
    shown = (
        f"SELECT r.id FROM {response} r JOIN {wave} w ON w.id = r.wave_id "  # noqa: S608 - table names
        "WHERE r.wave_id = %s OR w.pairs_with_id = %s"
    )
    return f"""
        SELECT 'p', CAST(MAX(id) AS TEXT), NULL, NULL, NULL FROM {run} WHERE wave_id = %s AND recipe = %s
        UNION ALL
        SELECT 'u', CAST(MAX(s.id) AS TEXT), NULL, NULL, NULL FROM {run} s JOIN {wave} w ON w.id = s.wave_id
         WHERE (s.wave_id = %s OR w.pairs_with_id = %s) AND s.recipe = %s
        UNION ALL
        SELECT 'r', CAST(COUNT(*) AS TEXT), CAST(SUM(version) AS TEXT), CAST(MAX(last_activity_at) AS TEXT),
               NULL FROM {response} WHERE id IN ({shown})
        UNION ALL
        SELECT 'e', CAST(COUNT(*) AS TEXT), CAST(MAX(at) AS TEXT), NULL, NULL
          FROM {event} WHERE response_id IN ({shown})
        UNION ALL
        SELECT 'v', CAST(COUNT(*) AS TEXT), CAST(MAX(at) AS TEXT), NULL, NULL
          FROM {review} WHERE response_id IN ({shown})
        UNION ALL
        SELECT 'c', CAST(id AS TEXT), slug, name, country FROM {city}
    """  # noqa: S608 - table names from the models, values as parameters


def run_key(run: ScoreRun | None) -> tuple | None:
    """What identifies a stored run for caching: runs never change once stored (a recomputation
    adds a run), so id and creation time say everything; a new run is a new key."""
    return None if run is None else (run.pk, run.created_at)


@functools.lru_cache(maxsize=32)
def _rows(psi_key: tuple | None, data_use_key: tuple | None, language: str, cities: tuple) -> tuple:
    """Rows, component names and class counts of two stored runs (:func:`run_key`), formatted for
    ``language``; ``cities`` (:func:`cities_fingerprint`) is only part of the key, since the rows
    show the cities' names."""
    ids = [key[0] for key in (psi_key, data_use_key) if key]
    runs = {r.pk: r for r in ScoreRun.objects.filter(pk__in=ids)}
    psi = _scores(runs.get(psi_key[0])) if psi_key else {}
    data_use = _scores(runs.get(data_use_key[0])) if data_use_key else {}
    cities = {s.city_id: s.city for s in [*psi.values(), *data_use.values()]}
    tied = Counter(s.rank for s in psi.values())
    with translation.override(language):
        rows = [
            ResultRow(city, psi.get(pk), data_use.get(pk), _text(psi.get(pk), data_use.get(pk), tied))
            for pk, city in cities.items()
        ]
    rows.sort(key=lambda r: (r.psi is None, r.psi.rank if r.psi else 0, r.city.name))
    first = next((r.psi for r in rows if r.psi is not None), None)
    names = [c["name"] for c in first.components] if first else []
    counts: dict[str, int] = {}
    for score in psi.values():
        counts[score.score_class] = counts.get(score.score_class, 0) + 1
    return rows, names, counts


def wave_results(wave: Wave, cities: tuple | None = None) -> WaveResults:
    """The latest runs of ``wave`` with their rows; ``cities`` is :func:`cities_fingerprint` when the
    caller has read it already."""
    psi_run, data_use_run = latest_run(wave, PSI), latest_data_use_run(wave)
    language = translation.get_language() or "en"
    cities = cities_fingerprint() if cities is None else cities
    rows, names, counts = _rows(run_key(psi_run), run_key(data_use_run), language, cities)
    return WaveResults(wave, psi_run, data_use_run, list(rows), list(names), dict(counts))


def wave_results_summary(wave: Wave) -> WaveResults:
    """The latest runs and the PSI class counts, without the table (for the wave dashboard)."""
    psi_run, data_use_run = latest_run(wave, PSI), latest_data_use_run(wave)
    counts = _class_counts(run_key(psi_run)) if psi_run is not None else {}
    return WaveResults(wave, psi_run, data_use_run, [], [], dict(counts))


@functools.lru_cache(maxsize=64)
def _class_counts(key: tuple) -> dict[str, int]:
    """Cities per class in a stored run (:func:`run_key`)."""
    by_class = CityScore.objects.filter(run_id=key[0]).values_list("score_class").annotate(n=Count("id"))
    return dict(sorted(by_class.order_by("score_class")))


def scores_pending(run: ScoreRun | None) -> bool:
    """Has a response of the run's wave been submitted, validated, returned, reviewed or changed
    while scored after ``run`` was computed? Then a rescoring is due (``results.tasks``)."""
    if run is None:
        return False
    after = run.created_at
    changed = (
        Q(status__in=SCORED_STATUSES, last_activity_at__gt=after)
        | Q(events__at__gt=after)
        | Q(criterion_reviews__at__gt=after)
    )
    return Response.objects.filter(wave_id=run.wave_id).filter(changed).exists()


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def export_rows(wave: Wave) -> list[dict[str, str]]:
    """One row per scored city with :data:`EXPORT_COLUMNS`; empty cells where not assessed."""
    out = []
    for row in wave_results(wave).rows:
        p, d = row.psi, row.data_use
        components = [c["points"] for c in p.components] if p else []
        record = {
            "city": row.city.slug,
            "name": row.city.name,
            "country": row.city.country,
            "psi_index": _number(p.index if p else None),
            "psi_class": p.score_class if p else "",
            "psi_rank": str(p.rank) if p else "",
            "psi_rank_p5": _number(p.rank_p5 if p else None),
            "psi_rank_p95": _number(p.rank_p95 if p else None),
            "data_use_index": _number(d.index if d else None),
            "data_use_class": d.score_class if d else "",
            "tier": d.tier if d else "",
        }
        for k in range(5):
            record[f"psi_c{k + 1}"] = _number(components[k] if k < len(components) else None)
        out.append({column: record[column] for column in EXPORT_COLUMNS})
    return out


def export_csv(wave: Wave) -> str:
    """:func:`export_rows` as CSV text (UTF-8, header first)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(export_rows(wave))
    return buffer.getvalue()
