"""Every write to a city's goals: settings and publication, goals, indicators and their values
(typed, imported from a file, or taken from the programme's outcome data).

The web views and ``civicmeter goals import`` call these functions. Each checks that the actor is
the city's own team (``permissions.require_goals_editor``) and writes in one transaction; a values
file is read whole first and applied only when every row is good (all or nothing), with a run
record of what it inserted, changed and left as it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, fields

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from civicmeter.performance import (
    Frequency,
    Indicator,
    StatusRule,
    ValueProblem,
    ValuesFileError,
    parse_period,
    read_values,
)
from civicmeter.web.accounts.permissions import now_for, user_of
from civicmeter.web.core.upload_limits import IMPORTS, too_large
from civicmeter.web.programmes.models import City, Programme

from .models import Goal, GoalSettings, Kpi, KpiValue, ValuesImport
from .permissions import require_goals_editor
from .selectors import city_indicators

DUPLICATE_CODE = gettext_lazy(
    "[goals.E013] The city already has an indicator %(code)s; give each indicator its own code."
)
NOT_LINKED = gettext_lazy(
    "[goals.E015] %(code)s takes no outcome data; link it to an outcome indicator of the programme first."
)
FREQUENCY_LOCKED = gettext_lazy(
    "[goals.E017] %(code)s has values for %(n)d period(s), so its reporting frequency cannot change; "
    "add a new indicator for the new frequency."
)
#: Domain messages (the rule's parameters, a period's form) keep the domain's wording.
BAD_RULE = "[goals.E014] {detail}"
BAD_PERIOD = "[goals.E008] {detail}"


def check_size(filename: str, size: int) -> None:
    """Refuse a values file above ``CIVICMETER_MAX_UPLOAD_BYTES`` from its size alone."""
    problem = too_large(filename, size, IMPORTS)
    if problem:
        raise ValuesFileError([ValueProblem("goals.E016", problem)])


@dataclass(frozen=True)
class IndicatorSpec(Indicator):
    """What defines an indicator, as a form or a file gives it: the domain's ``Indicator`` (checked as
    it is built) and the outcome indicator its values may be taken from."""

    outcome_indicator_id: int | None = None


@transaction.atomic(durable=True)
def goals_settings_set(
    *,
    actor,
    programme: Programme,
    city: City,
    rule: str,
    band: float | None = None,
    cap: float | None = None,
    public: bool = False,
) -> GoalSettings:
    """The city's status rule with its parameters and whether its goals page is public."""
    require_goals_editor(actor, programme, city)
    try:
        StatusRule(rule, band=band, cap=cap)
    except ValueError as exc:
        raise ValidationError(BAD_RULE.format(detail=exc), code="goals.E014") from exc
    row = GoalSettings.objects.filter(programme=programme, city=city).first() or GoalSettings(
        programme=programme, city=city
    )
    row.rule, row.band, row.cap, row.public = rule, band, cap, public
    row.updated_at, row.updated_by = now_for(actor), user_of(actor)
    row.save()
    return row


@transaction.atomic(durable=True)
def goal_create(*, actor, programme: Programme, city: City, title: str, description: str = "") -> Goal:
    require_goals_editor(actor, programme, city)
    return Goal.objects.create(
        programme=programme,
        city=city,
        title=title.strip(),
        description=description.strip(),
        created_at=now_for(actor),
        created_by=user_of(actor),
    )


@transaction.atomic(durable=True)
def indicator_create(*, actor, goal: Goal, spec: IndicatorSpec) -> Kpi:
    require_goals_editor(actor, goal.programme, goal.city)
    if Kpi.objects.filter(goal__programme=goal.programme, goal__city=goal.city, code=spec.code).exists():
        raise ValidationError(DUPLICATE_CODE % {"code": spec.code}, code="goals.E013")
    return Kpi.objects.create(goal=goal, **asdict(spec), created_at=now_for(actor))


@transaction.atomic(durable=True)
def indicator_update(*, actor, indicator: Kpi, goal: Goal, spec: IndicatorSpec) -> Kpi:
    """Change an indicator's definition (a new target, a corrected unit, another goal).

    The code stays unique within the city; the reporting frequency cannot change once values are
    stored, since their periods would no longer be periods of the indicator.
    """
    require_goals_editor(actor, indicator.goal.programme, indicator.goal.city)
    if goal.programme_id != indicator.goal.programme_id or goal.city_id != indicator.goal.city_id:
        raise PermissionDenied("An indicator moves only between goals of its own city.")
    others = Kpi.objects.filter(goal__programme=goal.programme, goal__city=goal.city, code=spec.code)
    if others.exclude(pk=indicator.pk).exists():
        raise ValidationError(DUPLICATE_CODE % {"code": spec.code}, code="goals.E013")
    stored = indicator.values.count()
    if spec.frequency != indicator.frequency and stored:
        detail = FREQUENCY_LOCKED % {"code": indicator.code, "n": stored}
        raise ValidationError(detail, code="goals.E017")
    indicator.goal = goal
    names = [f.name for f in fields(spec)]
    for name in names:
        setattr(indicator, name, getattr(spec, name))
    indicator.save(update_fields=["goal", *(name.removesuffix("_id") for name in names)])
    return indicator


@transaction.atomic(durable=True)
def value_delete(*, actor, value: KpiValue) -> None:
    """Remove one period's value (entered by mistake); the import runs keep their counts."""
    goal = value.indicator.goal
    require_goals_editor(actor, goal.programme, goal.city)
    value.delete()


@transaction.atomic(durable=True)
def value_record(*, actor, indicator: Kpi, period: str, value: float, note: str = "") -> KpiValue:
    """Enter (or correct) one period's value from the form."""
    goal = indicator.goal
    require_goals_editor(actor, goal.programme, goal.city)
    try:
        start = parse_period(period, Frequency(indicator.frequency)).start
    except ValueError as exc:
        raise ValidationError(BAD_PERIOD.format(detail=exc), code="goals.E008") from exc
    row, _ = KpiValue.objects.update_or_create(
        indicator=indicator,
        period_start=start,
        defaults={
            "value": value,
            "note": note,
            "source": KpiValue.Source.FORM,
            "values_import": None,
            "entered_by": user_of(actor),
            "entered_at": now_for(actor),
        },
    )
    return row


@transaction.atomic(durable=True)
def values_import(*, actor, programme: Programme, city: City, filename: str, content: bytes) -> ValuesImport:
    """Apply a values file to the city's indicators, all or nothing.

    Raises :class:`~civicmeter.performance.ValuesFileError` listing every bad cell; then nothing is
    written. A row equal to the stored value counts as unchanged, so importing a file twice changes
    nothing the second time.
    """
    require_goals_editor(actor, programme, city)
    check_size(filename, len(content))
    indicators = city_indicators(programme, city)
    rows = read_values(content, {code: Frequency(i.frequency) for code, i in indicators.items()})
    at, user = now_for(actor), user_of(actor)
    run = ValuesImport.objects.create(
        programme=programme,
        city=city,
        filename=filename,
        sha256=hashlib.sha256(content).hexdigest(),
        actor=user,
        at=at,
    )
    stored = {
        (v.indicator_id, v.period_start): v
        for v in KpiValue.objects.filter(indicator__in=indicators.values())
    }
    new, changed = [], []
    for row in rows:
        indicator = indicators[row.indicator]
        current = stored.get((indicator.pk, row.period.start))
        if current is None:
            new.append(
                KpiValue(
                    indicator=indicator,
                    period_start=row.period.start,
                    value=row.value,
                    note=row.note,
                    source=KpiValue.Source.FILE,
                    values_import=run,
                    entered_by=user,
                    entered_at=at,
                )
            )
        elif (current.value, current.note) != (row.value, row.note):
            current.value, current.note = row.value, row.note
            current.source, current.values_import = KpiValue.Source.FILE, run
            current.entered_by, current.entered_at = user, at
            changed.append(current)
    KpiValue.objects.bulk_create(new)
    KpiValue.objects.bulk_update(
        changed, ["value", "note", "source", "values_import", "entered_by", "entered_at"]
    )
    run.inserted, run.updated, run.unchanged = len(new), len(changed), len(rows) - len(new) - len(changed)
    run.save(update_fields=["inserted", "updated", "unchanged"])
    return run


@dataclass(frozen=True)
class TakenFromOutcomes:
    taken: int
    skipped: tuple[str, ...]  # outcome periods that name no period of the indicator's frequency


@transaction.atomic(durable=True)
def values_from_outcomes(*, actor, indicator: Kpi) -> TakenFromOutcomes:
    """Copy the programme's stored outcome values of the linked outcome indicator for this city.

    An outcome period that is not a period of the indicator's frequency (a data release named
    "CHDB-v14" for a yearly indicator) is skipped and named, never guessed; a period with values
    from several sources is skipped too (which source counts is the city's choice, made by typing it).
    """
    from civicmeter.web.wellbeing.models import OutcomeValue

    goal = indicator.goal
    require_goals_editor(actor, goal.programme, goal.city)
    if indicator.outcome_indicator_id is None:
        raise ValidationError(NOT_LINKED % {"code": indicator.code}, code="goals.E015")
    outcomes = OutcomeValue.objects.filter(
        programme=goal.programme, city=goal.city, indicator_id=indicator.outcome_indicator_id
    ).order_by("period", "source")
    by_period: dict = {}
    skipped = []
    for outcome in outcomes:
        try:
            start = parse_period(outcome.period, Frequency(indicator.frequency)).start
        except ValueError:
            skipped.append(outcome.period)
            continue
        by_period.setdefault(start, []).append(outcome)
    at, user = now_for(actor), user_of(actor)
    taken = 0
    for start, found in by_period.items():
        if len(found) > 1:
            skipped.append(found[0].period)
            continue
        KpiValue.objects.update_or_create(
            indicator=indicator,
            period_start=start,
            defaults={
                "value": found[0].value,
                "note": found[0].source[:2000],
                "source": KpiValue.Source.OUTCOMES,
                "values_import": None,
                "entered_by": user,
                "entered_at": at,
            },
        )
        taken += 1
    return TakenFromOutcomes(taken, tuple(sorted(set(skipped))))


__all__ = [
    "IndicatorSpec",
    "TakenFromOutcomes",
    "ValuesFileError",
    "goal_create",
    "goals_settings_set",
    "indicator_create",
    "indicator_update",
    "value_delete",
    "value_record",
    "values_from_outcomes",
    "values_import",
]
