"""Reads for the wave dashboard: every invited or answering city with its status and completion."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

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


def wave_dashboard_rows(wave: Wave) -> list[DashboardRow]:
    """One row per city invited to or answering ``wave``, sorted by city name.

    Completion counts the required questions that are relevant given the city's own answers, so
    skipped questions never hold a city below 100%.
    """
    instrument = instrument_for(wave.instrument)
    responses = {r.city_id: r for r in Response.objects.filter(wave=wave).select_related("city")}
    invitations = {}
    for inv in Invitation.objects.filter(wave=wave).select_related("city").order_by("sent_at"):
        invitations.setdefault(inv.city_id, inv)
    answers: dict[int, dict[str, str]] = defaultdict(dict)
    for response_id, question, value in (
        Answer.objects.filter(response__wave=wave)
        .exclude(value="")
        .values_list("response_id", "question", "value")
    ):
        answers[response_id][question] = value
    city_ids = set(responses) | set(invitations)
    rows = []
    for city in City.objects.filter(pk__in=city_ids).order_by("name"):
        response = responses.get(city.pk)
        progress = instruments.section_progress(instrument, answers[response.pk] if response else {})
        invitation = invitations.get(city.pk)
        last = response.last_activity_at if response else None
        rows.append(
            DashboardRow(
                city,
                response,
                invitation,
                answered=sum(p.required_answered for p in progress),
                required=sum(p.required for p in progress),
                last_activity=last,
            )
        )
    return rows


def filter_rows(rows: list[DashboardRow], *, status: str | None, query: str) -> list[DashboardRow]:
    """Rows with this status (if given) whose city name contains ``query`` (case-insensitive)."""
    query = query.casefold()
    return [r for r in rows if (not status or r.status == status) and query in r.city.name.casefold()]


def status_counts(rows: list[DashboardRow]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.status] += 1
    return dict(counts)


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
