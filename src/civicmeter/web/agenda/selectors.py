"""Reads of a city's agenda: its actions by status (the board), by date (the timeline), one action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.http import Http404

from .models import FIELD_LABELS, OPEN_STATUSES, AgendaAction, Source, Status


def city_actions(programme, city):
    return AgendaAction.objects.filter(programme=programme, city=city).select_related("city")


def by_recommendation(programme, city) -> dict[int, AgendaAction]:
    """The city's actions made from a recommendation, by its number (the newest when there are
    several), so the recommendations panel shows what is already planned instead of offering to
    add it again."""
    found = city_actions(programme, city).filter(source=Source.RECOMMENDATION).order_by("id")
    return {int(a.source_ref): a for a in found if a.source_ref.isdigit()}


def access_action(action_id: int, *, programme, city) -> AgendaAction:
    """The action if it is in ``city``'s agenda in ``programme``; otherwise 404 (another city's
    action and a missing one look the same)."""
    action = city_actions(programme, city).select_related("programme").filter(pk=action_id).first()
    if action is None:
        raise Http404("No such action.")
    return action


@dataclass(frozen=True)
class Column:
    status: str
    label: str
    actions: list


def board(programme, city) -> list[Column]:
    """One column per status, in the order work moves; each column's actions by due date."""
    actions = list(city_actions(programme, city))
    return [Column(s.value, s.label, [a for a in actions if a.status == s.value]) for s in Status]


@dataclass(frozen=True)
class Bar:
    """One action on the timeline: where its bar starts and how wide it is, in SVG units."""

    action: AgendaAction
    start: date
    end: date
    x: float
    width: float
    y: int
    overdue: bool


@dataclass(frozen=True)
class Timeline:
    bars: list[Bar]
    undated: list[AgendaAction]
    first: date | None
    last: date | None
    months: list[tuple[float, str]]  # (x, label) axis ticks, thinned by span (see axis_ticks)
    today_x: float | None
    height: int


WIDTH, ROW = 1000.0, 28


def timeline(programme, city, today: date) -> Timeline:
    """Dated actions as bars from their start (else their creation day) to their due date."""
    actions = list(city_actions(programme, city).order_by("due_on", "starts_on", "id"))
    dated = [a for a in actions if a.due_on]
    undated = [a for a in actions if not a.due_on]
    if not dated:
        return Timeline([], undated, None, None, [], None, 0)
    spans = [(a, min(a.starts_on or a.created_at.date(), a.due_on), a.due_on) for a in dated]
    first = min(s for _, s, _ in spans + [(None, today, today)])
    last = max(e for _, _, e in spans + [(None, today, today)]) + timedelta(days=1)
    days = (last - first).days or 1

    def x(day: date) -> float:
        return round(WIDTH * (day - first).days / days, 1)

    bars = [
        Bar(
            a,
            s,
            e,
            x(s),
            max(x(e + timedelta(days=1)) - x(s), 3.0),
            30 + k * ROW,
            a.due_on < today and a.status in OPEN_STATUSES,
        )
        for k, (a, s, e) in enumerate(spans)
    ]
    ticks = [(x(day), label) for day, label in axis_ticks(first, last)]
    return Timeline(bars, undated, first, last, ticks, x(today), 30 + len(bars) * ROW + 10)


MAX_TICKS = 16  # about as many "2026-03" labels as fit side by side across the 1000-unit axis


def axis_ticks(first: date, last: date) -> list[tuple[date, str]]:
    """The axis labels for a timeline from ``first`` to ``last``: every month under 18 months,
    every quarter (labelled by its first month) under about four and a half years, then years,
    every n-th year when even those would crowd, so labels never overlap however long the agenda."""
    span = (last.year - first.year) * 12 + last.month - first.month
    if span < 18:
        step, fmt = 1, "%Y-%m"
    elif span < 3 * MAX_TICKS:
        step, fmt = 3, "%Y-%m"
    else:
        step, fmt = 12 * -(-span // (12 * MAX_TICKS)), "%Y"
    ticks, month = [], date(first.year, 1, 1)
    while month < last:
        if month >= first:
            ticks.append((month, month.strftime(fmt)))
        total = month.month - 1 + step
        month = date(month.year + total // 12, total % 12 + 1, 1)
    return ticks


@dataclass(frozen=True)
class Change:
    field: str  # the field's label
    before: str
    after: str


def history(action: AgendaAction, limit: int = 50) -> list[tuple]:
    """``(event, [Change])``, newest first: each change with the field's label and, for the status
    and the source, the value's label rather than its code."""
    choices = {"status": dict(Status.choices), "source": dict(Source.choices)}

    def shown(name: str, value) -> str:
        return "" if value in (None, "") else str(choices.get(name, {}).get(value, value))

    out = []
    for event in action.events.select_related("by")[:limit]:
        changes = [
            Change(str(FIELD_LABELS.get(name, name)), shown(name, old), shown(name, new))
            for name, (old, new) in event.changes.items()
            if isinstance(event.changes.get(name), list)
        ]
        out.append((event, changes))
    return out
