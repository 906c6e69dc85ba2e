"""Responses import and export: one transaction per import, with a run record (pupa's pattern).

The table layout and the reading of KoboToolbox / ODK Central exports live in
``civicmeter.instruments.tabular`` (pure Python); this module matches cities, checks permissions and
writes. An import either applies completely or writes nothing but its "rejected" run record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from civicmeter.instruments import Problem, ResponsesImportError, files, tabular
from civicmeter.instruments.answers import canonical, visible
from civicmeter.instruments.errors import ProblemList
from civicmeter.web.accounts.permissions import Action, now_for, require_permission, user_of
from civicmeter.web.core.upload_limits import IMPORTS, too_large, upload_limit
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import City, Invitation, Wave

from ..models import Answer, AnswerChange, ImportRun, Response
from . import write_answer, write_new_answers


@dataclass(frozen=True)
class Origin:
    """Where an import's answers came from, stated on the responses it writes: a note such as "Paper
    survey 2018, keyed in by the secretariat", and whether they are ``synthetic`` (generated, as in
    the demo). ``None`` leaves the responses' own notes alone."""

    provenance: str = ""
    synthetic: bool = False


#: The status column's value for an invited city without a response.
NOT_STARTED = "not_started"
UNKNOWN_LANGUAGE = gettext_lazy(
    "[import.E020] The instrument has no '%(lang)s' labels; choose one of its languages: %(languages)s."
)
UNKNOWN_CITY = (
    "no city matches '{key}'. Use the city's code (slug, e.g. 'baltimore-us') in the 'city' column, "
    "or its exact name in 'city_name'; add the city to the programme first if it is new."
)
AMBIGUOUS_CITY = "'{key}' matches several cities ({slugs}); use the city's code in the 'city' column."
DUPLICATE_CITY = "city '{slug}' appears more than once (also on row {first}); keep one row per city."
WAVE_CLOSED = (
    "the {wave} wave is {status}: its answers are final. Reopen the wave first, or import again "
    "allowing closed waves (--allow-closed on the command line, the admin's checkbox on the web)."
)
VALIDATED = (
    "the response of {city} is validated: this file would change {n} of its answers. Return the "
    "response to the city first, leave the row out, or import again allowing validated responses "
    "(--allow-closed on the command line, the admin's checkbox on the web)."
)
#: Waves whose answers are final: imports need ``allow_closed``.
FINAL_WAVES = ("closed", "published")
CONFLICT = (
    "this answer was changed to {value!r} by {who} at {at}, after the file was exported (response "
    "version {version}); nothing was written. Export again and redo your change there, or clear the "
    "row's response_version cell to overwrite the newer answer on purpose."
)


def responses_export(*, actor, wave: Wave, fmt: str, labels: str | None = None) -> bytes:
    """The wave's responses as CSV or XLSX bytes, one row per city, in the import layout.

    Every city invited to the wave or answering it has a row, with its status (``not_started``
    when it has no response yet), so the file shows who is missing. Numbers are numeric cells in
    XLSX. ``labels`` (one of the instrument's languages) writes choice labels for reading; such a
    file is refused on import.
    """
    require_permission(actor, Action.VIEW_WAVE, programme=wave.programme)
    instrument = instrument_for(wave.instrument)
    if labels is not None and labels not in instrument.languages:
        raise ValidationError(
            UNKNOWN_LANGUAGE % {"lang": labels, "languages": ", ".join(instrument.languages)},
            code="import.E020",
        )
    answered = Response.objects.filter(wave=wave).select_related("city").prefetch_related("answers")
    responses = {r.city_id: r for r in answered}
    cities = {r.city_id: r.city for r in responses.values()}
    for invitation in Invitation.objects.filter(wave=wave).select_related("city"):
        cities.setdefault(invitation.city_id, invitation.city)
    rows = []
    for city in sorted(cities.values(), key=lambda c: c.slug):
        response = responses.get(city.pk)
        answers = {a.question: a.value for a in response.answers.all() if a.value != ""} if response else {}
        rows.append(
            tabular.CityAnswers(
                city=city.slug,
                city_name=city.name,
                answers=answers,
                status=response.status if response else NOT_STARTED,
                version=response.version if response else None,
            )
        )
    frame = tabular.answers_to_frame(instrument, rows, labels=labels)
    if fmt == "xlsx":
        return files.to_xlsx_bytes(frame, numeric=tabular.numeric_columns(instrument))
    return files.to_csv_bytes(frame)


@dataclass(frozen=True)
class _Matched:
    """A file row matched to a city: its spreadsheet row number and what it says (``CityAnswers``)."""

    city: City
    number: int | None
    parsed: tabular.CityAnswers

    @property
    def answers(self):
        return self.parsed.answers

    @property
    def columns(self) -> frozenset[str]:
        return self.parsed.columns


def _stored_answers(wave: Wave, frame, city_column: str) -> dict[str, dict[str, str]]:
    """The answers stored for each city the file names (keyed by its city cell), so a file that
    leaves a question out is checked against the answer the import keeps."""
    by_slug = {c.slug: c.pk for c in City.objects.all()}
    by_name: dict[str, list[int]] = {}
    for city in City.objects.all():
        by_name.setdefault(city.name.casefold(), []).append(city.pk)
    names = frame[tabular.CITY_NAME] if tabular.CITY_NAME in frame.columns else [""] * len(frame)
    wanted: dict[str, int] = {}
    for key, name in zip(frame[city_column], names, strict=True):
        pk = by_slug.get(key.strip().lower().replace("_", "-"))
        candidates = by_name.get(name.strip().casefold(), [])
        pk = pk if pk is not None else candidates[0] if len(candidates) == 1 else None
        if pk is not None:
            wanted[key.strip()] = pk
    answers: dict[int, dict[str, str]] = {}
    rows = Answer.objects.filter(response__wave=wave, response__city_id__in=set(wanted.values()))
    fields = ("response__city_id", "question", "value")
    for city_id, question, value in rows.exclude(value="").values_list(*fields):
        answers.setdefault(city_id, {})[question] = value
    return {key: answers.get(pk, {}) for key, pk in wanted.items()}


def _match_cities(parsed_rows, row_of: dict[str, int]) -> tuple[list[_Matched], list[Problem]]:
    """Match each row's city by code (slug), then by exact name; report what does not match."""
    by_slug = {c.slug: c for c in City.objects.all()}
    by_name: dict[str, list[City]] = {}
    for city in by_slug.values():
        by_name.setdefault(city.name.casefold(), []).append(city)
    matched, problems, seen = [], [], {}
    for row in parsed_rows:
        number = row_of.get(row.city)
        # KoboToolbox usernames cannot hold hyphens, so "baltimore_us" names baltimore-us.
        city = by_slug.get(row.city.strip().lower().replace("_", "-"))
        key = row.city or row.city_name
        if city is None and row.city_name:
            candidates = by_name.get(row.city_name.strip().casefold(), [])
            if len(candidates) > 1:
                problems.append(
                    Problem(
                        "import.E101",
                        AMBIGUOUS_CITY.format(key=row.city_name, slugs=", ".join(c.slug for c in candidates)),
                        row=number,
                        column="city_name",
                    )
                )
                continue
            city = candidates[0] if candidates else None
        if city is None:
            problems.append(Problem("import.E100", UNKNOWN_CITY.format(key=key), row=number, column="city"))
            continue
        if city.slug in seen:
            problems.append(
                Problem(
                    "import.E102",
                    DUPLICATE_CITY.format(slug=city.slug, first=seen[city.slug]),
                    row=number,
                    column="city",
                )
            )
            continue
        seen[city.slug] = number
        matched.append(_Matched(city, number, row))
    return matched, problems


def _record_rejection(wave: Wave, source: tuple, actor, started, problems) -> None:
    """Keep who tried what and why it was refused: the file's name, hash and size, never its bytes,
    and at most the first ``MAX_PROBLEMS`` problems with the count of the rest."""
    filename, sha256, size = source
    ImportRun.objects.create(
        wave=wave,
        filename=filename[:255],
        sha256=sha256,
        size=size,
        actor=user_of(actor),
        status=ImportRun.Status.REJECTED,
        started_at=started,
        finished_at=now_for(actor),
        report={"problems": [str(p) for p in problems], "more": getattr(problems, "more", 0)},
    )


def _refuse(wave: Wave, source: tuple, actor, started, problems, more: int = 0) -> None:
    problems = ProblemList(problems)
    problems.more += more
    _record_rejection(wave, source, actor, started, problems)
    raise ResponsesImportError(problems, source=source[0], more=problems.more)


def refuse_too_large(*, actor, wave: Wave, filename: str, size: int) -> None:
    """Refuse a file above ``CIVICMETER_MAX_UPLOAD_BYTES`` from its size alone (it is never read)."""
    require_permission(actor, Action.MANAGE_WAVE, programme=wave.programme)
    text = too_large(filename, size, IMPORTS)
    _refuse(wave, (filename, "", size), actor, now_for(actor), [Problem("import.E017", text)])


def responses_import(
    *,
    actor,
    wave: Wave,
    filename: str,
    content: bytes,
    city_column: str = tabular.CITY,
    encoding: str | None = None,
    allow_closed: bool = False,
    origin: Origin | None = None,
) -> ImportRun:
    """Read a responses file and apply it in one transaction, or reject it whole.

    Every bad cell and unmatched city is reported at once (``ResponsesImportError``). Only the
    questions the file has a column for change: an empty cell clears an answer, a missing column
    leaves it alone. Re-importing the same file changes nothing (counts go to ``unchanged``). New
    responses are created as submitted, since an imported row is a finished answer set; existing
    ones keep their status.
    ``city_column`` names the column identifying the city (e.g. KoboToolbox's ``_submitted_by``
    when each city submitted from its own account); ``encoding`` reads a CSV that is not UTF-8.
    A closed or published wave, and answers of validated responses, are final: the import is
    refused unless ``allow_closed`` says it is meant. ``origin`` records where the answers came from
    on every response the file writes. Times are ``now_for(actor)``: the system actor moving in a
    programme's history (``SYSTEM.as_of(when)``) records its answers as submitted then.
    """
    require_permission(actor, Action.MANAGE_WAVE, programme=wave.programme)
    if len(content) > upload_limit(IMPORTS):
        refuse_too_large(actor=actor, wave=wave, filename=filename, size=len(content))
    started = now_for(actor)
    sha256 = hashlib.sha256(content).hexdigest()
    source = (filename, sha256, len(content))
    if wave.status in FINAL_WAVES and not allow_closed:
        text = WAVE_CLOSED.format(wave=wave.code, status=wave.get_status_display().lower())
        _refuse(wave, source, actor, started, [Problem("import.E104", text)])
    try:
        frame = files.read_table(content, encoding, name=filename)  # refuses bad files in ms
        instrument = instrument_for(wave.instrument)
        stored = _stored_answers(wave, frame, city_column)
        parsed_rows, problems = tabular.frame_to_answers(
            instrument, frame, city_column=city_column, stored=stored
        )
        row_of = {}
        for index, key in enumerate(frame[city_column]):
            row_of.setdefault(key.strip(), index + 2)
    except ResponsesImportError as exc:
        _refuse(wave, source, actor, started, exc.problems, exc.more)
    matched, city_problems = _match_cities(parsed_rows, row_of)
    problems = ProblemList(problems)
    problems += city_problems
    if problems:
        _refuse(wave, source, actor, started, problems)
    try:
        return _apply(
            actor=actor,
            wave=wave,
            source=source,
            started=started,
            rows=matched,
            options=(allow_closed, origin),
        )
    except ResponsesImportError as exc:
        _refuse(wave, source, actor, started, exc.problems, exc.more)


@transaction.atomic(durable=True)
def _apply(*, actor, wave: Wave, source: tuple, started, rows: list[_Matched], options: tuple) -> ImportRun:
    """Write every row under the locks web saves take, refusing answers changed since the export.

    Responses are locked one by one in the order of their city's id, whatever the file's order, so
    two imports (or an import and a web save, which locks one response) never wait on each other in
    a cycle. A conflict, or a change to a validated response without ``allow_closed``, rolls the
    whole import back (``ResponsesImportError``). ``source`` is (file name, sha256, size);
    ``options`` is (allow_closed, origin).
    """
    filename, sha256, size = source
    allow_closed, origin = options
    now = now_for(actor)
    instrument = instrument_for(wave.instrument)
    counts = dict.fromkeys(COUNTS, 0)
    conflicts = ProblemList()
    for row in sorted(rows, key=lambda r: r.city.pk):
        if not row.answers and not Response.objects.filter(wave=wave, city=row.city).exists():
            continue  # an invited city that has not started: an empty row creates no response
        response, created = Response.objects.select_for_update().get_or_create(
            wave=wave,
            city=row.city,
            defaults={"status": Response.Status.SUBMITTED, "submitted_at": now, "last_activity_at": now},
        )
        if not created:
            response.version += 1  # the version this import's changes belong to
        before = sum(counts[k] for k in ("added", "changed", "cleared"))
        changed = _apply_row(instrument, response, row, actor=actor, counts=counts, conflicts=conflicts)
        if changed and response.status == Response.Status.VALIDATED and not allow_closed:
            n = sum(counts[k] for k in ("added", "changed", "cleared")) - before
            text = VALIDATED.format(city=row.city.slug, n=n)
            conflicts.append(Problem("import.E105", text, row=row.number, column=tabular.CITY))
        fields = _stamp(response, origin) if changed or created else []
        if changed and not created:
            response.last_activity_at = now
            fields += ["version", "last_activity_at"]
        if fields:
            response.save(update_fields=fields)
    if conflicts:
        raise ResponsesImportError(conflicts, source=filename, more=conflicts.more)
    return ImportRun.objects.create(
        wave=wave,
        filename=filename,
        sha256=sha256,
        actor=user_of(actor),
        size=size,
        status=ImportRun.Status.APPLIED,
        started_at=started,
        finished_at=now_for(actor),
        report={"cities": [r.city.slug for r in rows], "counts": counts},
        inserted=counts["added"],
        updated=counts["changed"],
        cleared=counts["cleared"],
        unchanged=counts["unchanged"],
    )


def _stamp(response: Response, origin: Origin | None) -> list[str]:
    """Set ``origin`` on a response the import wrote; the fields to save."""
    if origin is None:
        return []
    response.provenance, response.synthetic = origin.provenance, origin.synthetic
    return ["provenance", "synthetic"]


#: What an import did to each answer of the file, in the order the reports list them.
COUNTS = ("added", "changed", "cleared", "unchanged")


def _apply_row(
    instrument, response: Response, row: _Matched, *, actor, counts: dict, conflicts: list
) -> bool:
    """Write the answers of one city whose column is in the file; ``True`` if any changed.

    A question without a column is left alone; an empty cell clears, except for a question the
    merged answers hide (its answer is ignored anyway, and the export writes it empty). An answer
    written after the file's response version is a conflict, reported and not overwritten.
    """
    current = {a.question: a for a in response.answers.all()}
    merged = {q: a.value for q, a in current.items() if q not in row.columns}
    merged.update(row.answers)
    shown = visible(instrument, merged)
    changed, first = False, {}
    for question in sorted(row.columns):
        value = row.answers.get(question, "")
        answer = current.get(question)
        old = answer.value if answer else ""
        same = canonical(instrument, instrument.question(question), old) == value
        if same or (not value and question not in shown):
            counts["unchanged"] += bool(value)
            continue
        if answer is not None and row.parsed.version is not None and answer.changed_in > row.parsed.version:
            conflicts.append(_conflict(instrument, row, answer))
            continue
        counts["added" if not old else "cleared" if not value else "changed"] += 1
        changed = True
        if answer is None:
            first[question] = value
            continue
        write_answer(
            response, answer, question=question, value=value, actor=actor, source=AnswerChange.Source.IMPORT
        )
    write_new_answers(response, first, actor=actor, source=AnswerChange.Source.IMPORT)
    return changed


def _conflict(instrument, row: _Matched, answer: Answer) -> Problem:
    who = str(answer.updated_by) if answer.updated_by else "an import"
    at = f"{answer.updated_at:%Y-%m-%d %H:%M} UTC"
    text = CONFLICT.format(value=answer.value, who=who, at=at, version=row.parsed.version)
    column = tabular.column_name(instrument.question(answer.question))
    return Problem("import.E103", text, row=row.number, column=column)
