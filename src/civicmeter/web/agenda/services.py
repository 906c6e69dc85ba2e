"""Every change to a city's agenda: create, change (status included), import a CSV, remind owners.

Only the city's own team (its respondents) changes its agenda (``Action.EDIT_AGENDA``); an action
of another city is "not found". Each change writes the action and its history event in one
transaction; an import is all or nothing, with a run record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicmeter.web.accounts.permissions import Action, SystemActor, now_for, require_permission, user_of
from civicmeter.web.mail.models import Delivery
from civicmeter.web.mail.services import mail_queue

from . import table
from .models import OPEN_STATUSES, AgendaAction, AgendaEvent, AgendaImport, Source, Status

STALE_VERSION = (
    "[agenda.E012] someone else changed this action meanwhile (now version %(now)d); reload it and try again"
)
#: An overdue action's owner is reminded at most once in this many days.
REMIND_EVERY = timedelta(days=7)


@dataclass(frozen=True)
class ActionSpec:
    """What a person sets on an action (the web form, a CSV row and the demo build one)."""

    title: str
    owner: str = ""
    owner_email: str = ""
    status: str = Status.PLANNED
    starts_on: date | None = None
    due_on: date | None = None
    notes: str = ""
    links: str = ""
    source: str = Source.OWN
    source_ref: str = ""
    source_wave: str = ""


SPEC_FIELDS = tuple(f.name for f in fields(ActionSpec))


def _user(actor):
    user = user_of(actor)
    return user if getattr(user, "pk", None) else None


def _event(action: AgendaAction, kind: str, actor, changes: dict | None = None) -> None:
    AgendaEvent.objects.create(
        action=action, kind=kind, changes=changes or {}, at=now_for(actor), by=_user(actor)
    )


def _checked(action: AgendaAction) -> None:
    try:
        action.full_clean(exclude=["programme", "city"])
    except ValidationError as exc:
        raise ValidationError(exc.messages) from exc


@transaction.atomic(durable=True)
def action_create(*, actor, programme, city, spec: ActionSpec) -> AgendaAction:
    """Add an action to ``city``'s agenda (the city's team)."""
    require_permission(actor, Action.EDIT_AGENDA, programme=programme, city=city)
    return _create(actor, programme, city, spec)


def _create(actor, programme, city, spec: ActionSpec) -> AgendaAction:
    when = now_for(actor)
    action = AgendaAction(programme=programme, city=city, created_at=when, updated_at=when)
    for name in SPEC_FIELDS:
        setattr(action, name, getattr(spec, name))
    _checked(action)
    action.save()
    _event(action, AgendaEvent.Kind.CREATED, actor)
    return action


def _change(actor, action: AgendaAction, values: dict, kind: str) -> bool:
    """Apply ``values`` (field -> new value); record what changed. False when nothing did."""
    changes = {}
    for name, value in values.items():
        before = getattr(action, name)
        if before != value:
            changes[name] = [_plain(before), _plain(value)]
            setattr(action, name, value)
    if not changes:
        return False
    _checked(action)
    action.version += 1
    action.updated_at = now_for(actor)
    action.save(update_fields=[*changes, "version", "updated_at"])
    _event(action, kind, actor, changes)
    return True


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


@transaction.atomic(durable=True)
def action_update(*, actor, action: AgendaAction, values: dict, version: int | None = None) -> AgendaAction:
    """Change some fields of ``action`` (the city's team). ``version``, when given, must be the
    version the person saw, so one person's change never silently overwrites another's."""
    require_permission(actor, Action.EDIT_AGENDA, programme=action.programme, city=action.city)
    unknown = set(values) - set(SPEC_FIELDS)
    if unknown:
        raise ValueError(f"not fields of an action: {', '.join(sorted(unknown))}")
    current = AgendaAction.objects.select_for_update().get(pk=action.pk)
    if version is not None and version != current.version:
        raise ValidationError(STALE_VERSION % {"now": current.version}, code="agenda.E012")
    _change(actor, current, values, AgendaEvent.Kind.CHANGED)
    return current


@transaction.atomic(durable=True)
def agenda_import(*, actor, programme, city, filename: str, content: bytes) -> AgendaImport:
    """Create and change the city's actions from a CSV (``table.COLUMNS``), all or nothing.

    A row with an ``id`` changes that action (it must be this city's); a row without one adds an
    action. Raises :class:`table.AgendaFileError` naming every bad cell; nothing is written then.
    """
    require_permission(actor, Action.EDIT_AGENDA, programme=programme, city=city)
    existing = {
        a.pk: a for a in AgendaAction.objects.select_for_update().filter(programme=programme, city=city)
    }
    rows = table.read_csv(content, known=set(existing))
    problems: list[table.CellProblem] = []
    created = updated = unchanged = 0
    for row in rows:
        try:
            if row.id is None:
                _create(actor, programme, city, ActionSpec(**row.values))
                created += 1
            elif _change(actor, existing[row.id], row.values, AgendaEvent.Kind.IMPORTED):
                updated += 1
            else:
                unchanged += 1
        except ValidationError as exc:
            problems += [table.CellProblem(row.row, "", "agenda.E007", message) for message in exc.messages]
    if problems:  # raising rolls back every row written above
        raise table.AgendaFileError(problems)
    return AgendaImport.objects.create(
        programme=programme,
        city=city,
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        created=created,
        updated=updated,
        unchanged=unchanged,
        at=now_for(actor),
        by=_user(actor),
    )


def overdue(today: date):
    """Open actions past their due date whose owner has an e-mail address."""
    return (
        AgendaAction.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today)
        .exclude(owner_email="")
        .select_related("city", "programme")
    )


@transaction.atomic(durable=True)
def reminders_send(*, actor, today: date | None = None) -> list[AgendaAction]:
    """E-mail the owner of each overdue open action (system actor: the scheduler and the CLI), at
    most once every ``REMIND_EVERY``; returns the actions reminded."""
    if not isinstance(actor, SystemActor):
        raise PermissionDenied("Reminders are sent by the scheduler: civicmeter agenda remind.")
    now = now_for(actor)
    today = today or now.date()
    reminded = []
    for action in overdue(today):
        if action.reminded_at and now - action.reminded_at < REMIND_EVERY:
            continue
        body = _(
            'Hello %(owner)s,\n\nThe action "%(title)s" of %(city)s\'s implementation agenda was due on '
            "%(due)s and is still %(status)s. Please update it on the city's team page (status, dates or "
            "notes), or tell the team if it has changed hands.\n"
        ) % {
            "owner": action.owner or action.owner_email,
            "title": action.title,
            "city": action.city.name,
            "due": action.due_on.isoformat(),
            "status": action.get_status_display().lower(),
        }
        mail_queue(
            kind=Delivery.Kind.REMINDER,
            recipients=[action.owner_email],
            subject=_("Overdue: %(title)s") % {"title": action.title[:120]},
            body=body,
            city=action.city,
        )
        action.reminded_at = now
        action.save(update_fields=["reminded_at"])
        _event(action, AgendaEvent.Kind.REMINDED, actor, {"to": action.owner_email})
        reminded.append(action)
    return reminded
