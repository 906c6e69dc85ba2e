"""Reads for the wave dashboard: every invited or answering city with its status and completion."""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from civicmeter import instruments
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import City, Invitation, Wave

from .models import Answer, CriterionReview, Response


@dataclass(frozen=True)
class DashboardRow:
    city: City
    response: Response | None
    invitation: Invitation | None
    answered: int
    required: int
    last_activity: datetime | None

    @property
    def percent_complete(self) -> int:
        return round(100 * self.answered / self.required) if self.required else 0

    @property
    def status(self) -> str:
        return self.response.status if self.response else "not_started"


#: Dashboard rows kept per process, keyed by wave and a fingerprint of everything they show.
_ROWS_CACHE_SIZE = 16
_rows_cache: OrderedDict[tuple, list[DashboardRow]] = OrderedDict()
_rows_lock = threading.Lock()


def _fingerprint(wave: Wave) -> tuple:
    """What the rows depend on, read in one query (:func:`_fingerprint_sql`).

    Every change to a response (answer, import, status) raises its ``version`` and moves its last
    activity; invitations are added, never edited except by reminders. So these change whenever a
    row would (the times also tell apart databases that reuse ids, as tests do). The rows and the
    invitation form also show every city's name and country, so those are part of it too. The
    dashboard reads this on every request, and under load each round trip waits for a CPU, so the
    three reads are one ``UNION ALL`` (they were three queries).
    """
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql(), [wave.pk, wave.pk])
        rows = cursor.fetchall()
    return (wave.pk, wave.instrument.sha256, *sorted(rows))


def _fingerprint_sql() -> str:
    """Tagged rows: ``r`` the wave's responses (count, id and version sums, latest activity), ``i``
    its invitations (count, id sum, reminders, latest sending), ``c`` each city (id, slug, name,
    country); values as text so the branches share column types on every database."""
    response, invitation, city = (m._meta.db_table for m in (Response, Invitation, City))
    return f"""
        SELECT 'r', CAST(COUNT(*) AS TEXT), CAST(SUM(id) AS TEXT), CAST(SUM(version) AS TEXT),
               CAST(MAX(last_activity_at) AS TEXT)
          FROM {response} WHERE wave_id = %s
        UNION ALL
        SELECT 'i', CAST(COUNT(*) AS TEXT), CAST(SUM(id) AS TEXT), CAST(SUM(reminder_count) AS TEXT),
               CAST(MAX(sent_at) AS TEXT)
          FROM {invitation} WHERE wave_id = %s
        UNION ALL
        SELECT 'c', CAST(id AS TEXT), slug, name, country FROM {city}
    """  # noqa: S608 - table names from the models, values as parameters


def cities_fingerprint() -> tuple:
    """Every city's id, slug, name and country: part of the key of anything that shows city names
    (cities have no modification time, and there are a few hundred at most)."""
    return tuple(City.objects.order_by("pk").values_list("pk", "slug", "name", "country"))


def wave_dashboard_rows(wave: Wave) -> list[DashboardRow]:
    """One row per city invited to or answering ``wave``, sorted by city name."""
    return dashboard_snapshot(wave)[1]


def dashboard_snapshot(wave: Wave) -> tuple[tuple, list[DashboardRow]]:
    """The dashboard rows of ``wave`` and the fingerprint they were built for.

    Completion counts the required questions that are relevant given the city's own answers, so
    skipped questions never hold a city below 100%. Computing it means reading and evaluating every
    answer of the wave, so the rows are kept per process under a fingerprint of the wave's
    responses and invitations (:func:`_fingerprint`) and rebuilt when any of them changes. Pages
    may cache what they render from the rows under the same fingerprint.
    """
    key = _fingerprint(wave)
    with _rows_lock:
        rows = _rows_cache.get(key)
        if rows is not None:
            _rows_cache.move_to_end(key)
            return key, rows
    rows = _build_rows(wave)
    with _rows_lock:
        _rows_cache[key] = rows
        while len(_rows_cache) > _ROWS_CACHE_SIZE:
            _rows_cache.popitem(last=False)
    return key, rows


def _build_rows(wave: Wave) -> list[DashboardRow]:
    instrument = instrument_for(wave.instrument)
    responses = {r.city_id: r for r in Response.objects.filter(wave=wave).select_related("city")}
    invitations: dict[int, Invitation] = {}
    for inv in Invitation.objects.filter(wave=wave).select_related("city").order_by("sent_at"):
        invitations.setdefault(inv.city_id, inv)
    answers: dict[int, dict[str, str]] = defaultdict(dict)
    for response_id, question, value in (
        Answer.objects.filter(response__wave=wave)
        .exclude(value="")
        .values_list("response_id", "question", "value")
    ):
        answers[response_id][question] = value
    cities = {r.city_id: r.city for r in responses.values()}
    cities.update({i.city_id: i.city for i in invitations.values() if i.city_id not in cities})
    rows = []
    for city in sorted(cities.values(), key=lambda c: c.name):
        response = responses.get(city.pk)
        progress = instruments.section_progress(instrument, answers[response.pk] if response else {})
        rows.append(
            DashboardRow(
                city,
                response,
                invitations.get(city.pk),
                answered=sum(p.required_answered for p in progress),
                required=sum(p.required for p in progress),
                last_activity=response.last_activity_at if response else None,
            )
        )
    return rows


def filter_rows(rows: list[DashboardRow], *, status: str | None, query: str) -> list[DashboardRow]:
    """Rows with this status (if given) whose city name contains ``query`` (case-insensitive)."""
    query = query.casefold()
    return [r for r in rows if (not status or r.status == status) and query in r.city.name.casefold()]


#: The dashboard's sortable columns and the key each sorts by (ties broken by city name).
SORT_KEYS = {
    "city": lambda r: (r.city.name.casefold(),),
    "status": lambda r: (STATUS_ORDER.index(r.status),),
    "complete": lambda r: (r.percent_complete,),
    "activity": lambda r: (r.last_activity is not None, r.last_activity or datetime.min),
    "invitation": lambda r: (r.invitation is not None, r.invitation.email if r.invitation else ""),
}
#: Statuses in the order a wave moves through them.
STATUS_ORDER = ["not_started", *Response.Status.values]


def sort_rows(rows: list[DashboardRow], column: str, *, descending: bool = False) -> list[DashboardRow]:
    """``rows`` sorted by one of :data:`SORT_KEYS` (unknown columns sort by city)."""
    key = SORT_KEYS.get(column, SORT_KEYS["city"])
    ordered = sorted(rows, key=lambda r: r.city.name.casefold())
    return sorted(ordered, key=key, reverse=descending)


def status_counts(rows: list[DashboardRow]) -> dict[str, int]:
    """Cities per status; every status appears (0 when none), so the counts add up to the rows."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for row in rows:
        counts[row.status] += 1
    return counts


def latest_reviews(responses) -> dict[int, dict[str, str]]:
    """``{response id: {criterion: outcome}}``: the latest review outcome of each criterion."""
    latest: dict[int, dict[str, str]] = defaultdict(dict)
    rows = CriterionReview.objects.filter(response__in=responses).order_by("at", "id")
    for response_id, criterion, outcome in rows.values_list("response_id", "criterion", "outcome"):
        latest[response_id][criterion] = outcome  # later rows overwrite earlier ones
    return dict(latest)


def accepted_criteria(responses) -> dict[int, set[str]]:
    """``{response id: criteria whose latest outcome is accepted}`` (what scores)."""
    return {
        response_id: {c for c, outcome in outcomes.items() if outcome == CriterionReview.Outcome.ACCEPTED}
        for response_id, outcomes in latest_reviews(responses).items()
    }
