"""Programme staff save new versions of their recommendation rules and case library.

Each save is a new :class:`ContentVersion` (history is kept; the newest is used), made only after
the text loads: rules against the programme's survey instrument and the scoring recipes, cases
against the rules in use. A text that does not load is refused with every problem, each naming
the rule or case and the fix, and nothing is written.
"""

from __future__ import annotations

import hashlib

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from civicmeter import instruments
from civicmeter.web.accounts.permissions import Action, now_for, require_permission, user_of
from civicmeter.web.programmes.instrument_cache import SHIPPED_DIR, instrument_for
from civicmeter.web.programmes.models import Instrument, Programme

from . import content
from .models import ContentVersion

#: A rules or case file larger than this is refused (the shipped rules are about 15 KB).
MAX_TEXT_CHARS = 500_000
TOO_LONG = "the file has %(n)d characters; the limit is %(limit)d"


def survey_instrument(programme: Programme) -> instruments.Instrument:
    """The survey the programme's rules read: its newest survey wave's, else the shipped survey."""
    wave = programme.waves.filter(instrument__kind=Instrument.Kind.SURVEY).order_by("-code").first()
    if wave is not None:
        return instrument_for(wave.instrument)
    return instruments.load_instrument(SHIPPED_DIR / "innovation-capacity.xlsx")


def _save(actor, programme: Programme, kind: str, text: str, note: str) -> ContentVersion:
    last = content.latest(programme, kind)
    return ContentVersion.objects.create(
        programme=programme,
        kind=kind,
        number=(last.number + 1) if last else 1,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        note=note[:300],
        created_at=now_for(actor),
        created_by=user_of(actor) if getattr(user_of(actor), "pk", None) else None,
    )


def _refuse(exc: content.ContentError, code: str) -> ValidationError:
    return ValidationError([ValidationError(line, code=code) for line in exc.lines])


def _check_length(text: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(TOO_LONG % {"n": len(text), "limit": MAX_TEXT_CHARS}, code="narrative.E001")


@transaction.atomic(durable=True)
def rules_save(*, actor, programme: Programme, text: str, note: str = "") -> ContentVersion:
    """Save ``text`` as the programme's next rules version once it loads (programme admins).

    The case library in use is checked against the new rules too, so a removed recommendation that
    cases still point to is refused here rather than breaking the city pages.
    """
    require_permission(actor, Action.EDIT_RECOMMENDATIONS, programme=programme)
    _check_length(text)
    instrument = survey_instrument(programme)
    number = (getattr(content.latest(programme, ContentVersion.Kind.RULES), "number", 0)) + 1
    try:
        rules = content.rules_from_text(text, instrument, name=f"rules v{number}.yaml")
        cases = content.latest(programme, ContentVersion.Kind.CASES)
        content.cases_from_text(
            cases.text if cases else None, rules, instrument, name=content.version_name(cases, "cases")
        )
    except content.ContentError as exc:
        raise _refuse(exc, "invalid") from exc
    return _save(actor, programme, ContentVersion.Kind.RULES, text, note)


def _check_cases(programme: Programme, text: str, number: int) -> None:
    instrument = survey_instrument(programme)
    rules = content.active_rules(programme, instrument)
    try:
        content.cases_from_text(text, rules, instrument, name=f"cases v{number}.yaml")
    except content.ContentError as exc:
        raise _refuse(exc, "invalid") from exc


@transaction.atomic(durable=True)
def cases_save(*, actor, programme: Programme, text: str, note: str = "") -> ContentVersion:
    """Save ``text`` as the programme's next case file (added to the shipped cases) once it loads."""
    require_permission(actor, Action.ADD_CASES, programme=programme)
    _check_length(text)
    last = content.latest(programme, ContentVersion.Kind.CASES)
    _check_cases(programme, text, (last.number + 1) if last else 1)
    return _save(actor, programme, ContentVersion.Kind.CASES, text, note)


#: The head of a programme's first case file, written when staff add a case through the form.
NEW_CASE_FILE = {"id": "programme-cases", "version": "1", "title": "Cases added by programme staff"}


@transaction.atomic(durable=True)
def case_add(*, actor, programme: Programme, case: dict, note: str = "") -> ContentVersion:
    """Add one case (a mapping in the case-file format) to the programme's case file, as a new
    version; refused with every problem (an unknown recommendation, a used id...) when it does not load."""
    require_permission(actor, Action.ADD_CASES, programme=programme)
    last = content.latest(programme, ContentVersion.Kind.CASES)
    document = yaml.safe_load(last.text) if last else dict(NEW_CASE_FILE, cases=[])
    document["cases"].append(case)
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    _check_length(text)
    _check_cases(programme, text, (last.number + 1) if last else 1)
    return _save(actor, programme, ContentVersion.Kind.CASES, text, note or f"added case {case.get('id')}")
