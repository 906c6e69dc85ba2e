"""Outcome imports, confirmed city names and programme indicators: every write goes through here.

The web views and ``civicmeter outcomes import`` call these functions. An import reads the file
with the domain package, matches every city name, and either applies completely in one transaction
with its run record, or writes nothing but a "rejected" run whose report lists every problem, the
unmatched and ambiguous names with suggestions, and keeps the file so it can run again once the
names are confirmed. Re-importing the same file changes nothing (the rows count as unchanged).
"""

from __future__ import annotations

import difflib
import hashlib
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from civicmeter.outcomes import (
    ImportSpec,
    MicrodataSpec,
    OutcomesError,
    Problem,
    match_cities,
    read_outcome_table,
    rescale_to_index,
    summarise_microdata,
)
from civicmeter.outcomes.confirmations import decide, drop_unmatched, place_label, places_of
from civicmeter.params import ParameterError
from civicmeter.web.accounts.permissions import SYSTEM, now_for
from civicmeter.web.core.upload_limits import IMPORTS, too_large
from civicmeter.web.programmes.models import City, Programme

from .. import selectors
from ..models import CityNameMapping, OutcomeImportRun, OutcomeIndicator, OutcomeValue
from ..permissions import require_outcomes_manager
from .catalogue import catalogue_for, catalogue_sync, load_with, programme_yaml, row_values

E001_UNMATCHED = (
    "{name!r} ({where}) matches none of the platform's cities{nearest}. Confirm the city it is "
    "(or that it is none of ours) and import again."
)
E002_AMBIGUOUS = "{name!r} ({where}) could be {candidates}. Confirm which city it is and import again."
E003_UNKNOWN_SLUG = (
    "the confirmed mapping names {slug!r} for {name!r}, which is not a city of the platform. "
    "Use a city slug such as 'brussels-be', or leave the slug empty for none of ours."
)
E005_UNKNOWN_INDICATOR = (
    "indicator code {code!r} is not in the programme's catalogue.{hint} Use a code listed by "
    "'civicmeter outcomes catalogue', or add the programme's own indicator first (add-indicators)."
)
E007_NO_FILE = (
    "import run {run} was refused for its file, which was not kept; correct the file and upload it again."
)
#: Fields compared to decide whether a re-imported value changed.
COMPARED = ("value", "unit", "n", "se", "ci_lower", "ci_upper")


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    number = float(value)
    return None if math.isnan(number) else number


def file_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _where(row: dict) -> str:
    return ", ".join(p for p in (row.get("region"), row.get("country")) if p) or "no country given"


def _actor(actor):
    return None if actor is SYSTEM else actor


def _read(filename: str, content: bytes, reader) -> object:
    """Run ``reader(path)`` on the upload written to a private temporary file under its own name."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (Path(filename).name or "upload.csv")
        path.write_bytes(content)
        try:
            return reader(path)
        except OutcomesError as exc:
            raise OutcomesError(
                [Problem(p.code, p.message.replace(str(path), path.name)) for p in exc.problems]
            ) from exc


def _problems_of(exc: Exception) -> list[dict]:
    if isinstance(exc, OutcomesError):
        return [{"code": p.code, "message": p.message} for p in exc.problems]
    return [{"code": "wellbeing.E004", "message": str(exc)}]


@dataclass(frozen=True)
class _Attempt:
    """One import as received: who, where, which file and options, and when it started."""

    actor: object
    programme: Programme
    kind: str
    filename: str
    content: bytes
    options: dict
    started: object

    @property
    def sha256(self) -> str:
        return file_sha256(self.content)

    def run_fields(self) -> dict:
        return {
            "programme": self.programme,
            "kind": self.kind,
            "filename": self.filename,
            "sha256": self.sha256,
            "actor": _actor(self.actor),
            "options": self.options,
            "started_at": self.started,
        }


def _reject(attempt: _Attempt, report: dict, *, keep_file: bool) -> OutcomeImportRun:
    """Record a refused import. The file is kept only when confirming names can run it again;
    a file refused for what it is (too large, unreadable) is not stored."""
    return OutcomeImportRun.objects.create(
        **attempt.run_fields(),
        status=OutcomeImportRun.Status.REJECTED,
        report=report,
        content=attempt.content if keep_file else b"",
        finished_at=timezone.now(),
    )


def _match(
    programme: Programme, data: pd.DataFrame, confirmed: dict, skip_unmatched: bool = False
) -> tuple[pd.DataFrame, dict]:
    """``data`` with ``city_slug`` (rows of names that are none of ours removed) + a report.

    Confirmations are scoped to the name's region (:mod:`civicmeter.outcomes.confirmations`).
    With ``skip_unmatched`` every name that matches none of our cities is left out and listed
    (never saved as a confirmation); ambiguous names still have to be confirmed.
    """
    known = {**selectors.confirmed_names(programme), **confirmed}
    names = data[["city_name", "country", "region", "city_code"]].drop_duplicates()
    names = names.rename(columns={"city_name": "name", "city_code": "code"})
    decisions = decide(known, names)
    data = data.loc[[p not in decisions.skip for p in places_of(data, "city_name")]]
    names = names.loc[[p not in decisions.skip for p in places_of(names)]]
    result = match_cities(names, selectors.city_candidates(), confirmed=decisions.confirmed)
    result, dropped = drop_unmatched(result, decisions.skip_if_unmatched)
    not_ours = set()
    if skip_unmatched:
        result, not_ours = drop_unmatched(result, set(places_of(result.unmatched)))
    gone = dropped | not_ours
    data = data.loc[[p not in gone for p in places_of(data, "city_name")]]
    by_method = result.matched["method"].value_counts().to_dict()
    report = {
        "matched": len(result.matched),
        "by_method": {str(k): int(v) for k, v in by_method.items()},
        "checks": [
            {"name": r.name, "city": r.city_slug}
            for r in result.matched.itertuples()
            if r.method == "name variant"
        ],
        "unmatched": [
            {"name": r.name, "country": r.country, "region": r.region, "suggestions": list(r.suggestions)}
            for r in result.unmatched.itertuples()
        ],
        "ambiguous": [
            {"name": r.name, "country": r.country, "region": r.region, "candidates": list(r.candidates)}
            for r in result.ambiguous.itertuples()
        ],
        "skipped": sorted(place_label(p) for p in decisions.skip | dropped),
        "not_ours": sorted(place_label(p) for p in not_ours),
        "notes": list(result.notes),
        "text": result.to_text(),
    }
    return result.assign(data), report


def _name_problems(matching: dict) -> list[dict]:
    problems = [
        {
            "code": "wellbeing.E001",
            "message": E001_UNMATCHED.format(
                name=u["name"],
                where=_where(u),
                nearest=f" (nearest: {', '.join(u['suggestions'])})" if u["suggestions"] else "",
            ),
        }
        for u in matching["unmatched"]
    ]
    problems += [
        {
            "code": "wellbeing.E002",
            "message": E002_AMBIGUOUS.format(
                name=a["name"], where=_where(a), candidates=" or ".join(a["candidates"])
            ),
        }
        for a in matching["ambiguous"]
    ]
    return problems


def _confirmed_problems(confirmed: dict) -> list[dict]:
    slugs = {s for s in confirmed.values() if s}
    known = set(City.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    return [
        {
            "code": "wellbeing.E003",
            "message": E003_UNKNOWN_SLUG.format(slug=slug, name=key[0] if isinstance(key, tuple) else key),
        }
        for key, slug in confirmed.items()
        if slug and slug not in known
    ]


def _normalise_confirmed(confirmed: dict | None) -> dict[tuple[str, str], str]:
    out = {}
    for key, slug in (confirmed or {}).items():
        name, country = key if isinstance(key, tuple) else (key, "")
        out[(name.strip(), country.strip().upper())] = (slug or "").strip()
    return out


def _import(attempt: _Attempt, *, confirmed, reader, skip_unmatched: bool = False) -> OutcomeImportRun:
    """Shared by both importers: read, match, then apply or reject (see the module docstring)."""
    require_outcomes_manager(attempt.actor, attempt.programme)
    catalogue_sync()
    confirmed = _normalise_confirmed(confirmed)
    too_large = _size_problems(attempt)
    if too_large:
        return _reject(attempt, {"problems": too_large}, keep_file=False)
    try:
        data, reading = _read(attempt.filename, attempt.content, reader)
    except (OutcomesError, ParameterError) as exc:
        return _reject(attempt, {"problems": _problems_of(exc)}, keep_file=False)
    problems = _confirmed_problems(confirmed)
    if problems:
        return _reject(attempt, {"reading": reading, "problems": problems}, keep_file=True)
    data, matching = _match(attempt.programme, data, confirmed, skip_unmatched)
    report = {"reading": reading, "matching": matching}
    problems = _name_problems(matching)
    if problems:
        return _reject(attempt, {**report, "problems": problems}, keep_file=True)
    _note_earlier_application(attempt, report)
    return _apply(attempt, data=data, report=report, confirmed=confirmed)


def _size_problems(attempt: _Attempt) -> list[dict]:
    message = too_large(attempt.filename, len(attempt.content), IMPORTS)
    return [{"code": "wellbeing.E006", "message": message}] if message else []


def _note_earlier_application(attempt: _Attempt, report: dict) -> None:
    """Values are kept per source, so the same file under another source is stored beside the
    earlier values: say so, with the option that updates them instead."""
    earlier = (
        OutcomeImportRun.objects.filter(
            programme=attempt.programme, sha256=attempt.sha256, status=OutcomeImportRun.Status.APPLIED
        )
        .order_by("-pk")
        .first()
    )
    if earlier is None or earlier.options.get("source") == attempt.options.get("source"):
        return
    note = (
        f"this file was applied before (run {earlier.pk}) with source "
        f"{earlier.options.get('source') or '(from the file or catalogue)'!r}; values are kept per "
        "source, so these are stored beside those. Pass the same --source to update them instead."
    )
    report["matching"]["notes"].append(note)
    report["matching"]["text"] += f"\nnote: {note}"


def _reading_report(report) -> dict:
    return {
        "text": report.to_text(),
        "rows_read": report.rows_read,
        "rows_kept": report.rows_kept,
        "dropped": dict(report.dropped),
        "notes": list(report.notes),
    }


def outcomes_import(
    *,
    actor,
    programme: Programme,
    filename: str,
    content: bytes,
    spec: ImportSpec | None = None,
    confirmed: dict | None = None,
    skip_unmatched: bool = False,
    **options,
) -> OutcomeImportRun:
    """Import a city outcome table (CSV/XLSX) into ``programme``; return the run (applied or not).

    ``spec`` (or its options as keywords: ``period="2023"``, ``sheet=...``) says how to read the
    file (:class:`~civicmeter.outcomes.ImportSpec`). ``confirmed`` maps ``(source name, country)``
    to a city slug, or to "" for a name that is none of our cities; it is saved as the programme's
    confirmed names when the import applies. ``skip_unmatched`` leaves out every name that matches
    none of our cities (listed in the report, not saved), for national tables of which the
    programme holds a few cities.
    """
    if spec is None:
        spec = ImportSpec(**options)
    elif options:
        raise TypeError("outcomes_import takes an ImportSpec or its options, not both")

    def reader(path):
        table = read_outcome_table(path, spec, catalogue=catalogue_for(programme))
        table.report.path = filename
        data = table.data.assign(ci_lower=None, ci_upper=None)
        return data, _reading_report(table.report)

    stored = spec.to_mapping()
    if skip_unmatched:
        stored["skip_unmatched"] = True
    attempt = _Attempt(
        actor, programme, OutcomeImportRun.Kind.TABLE, filename, content, stored, timezone.now()
    )
    return _import(attempt, confirmed=confirmed, reader=reader, skip_unmatched=skip_unmatched)


def microdata_import(
    *,
    actor,
    programme: Programme,
    filename: str,
    content: bytes,
    spec: MicrodataSpec,
    country: str = "",
    region: str = "",
    confirmed: dict | None = None,
) -> OutcomeImportRun:
    """Reduce resident-survey microdata to city values (estimate, n, se, interval) and store them.

    ``spec`` holds the reduction's settings (:class:`~civicmeter.outcomes.MicrodataSpec`);
    ``country`` and ``region`` place the cities for matching. The run keeps the spec, and its
    report keeps the cleaning report (everything dropped and why) beside the matching report.
    An indicator code the programme's catalogue lacks, or a city and period without a valid
    answer, is refused before anything is written.
    """

    def reader(path):
        _require_indicator(programme, spec.indicator)
        result = summarise_microdata(path, spec)
        rows = result.to_outcome_frame(country=country, region=region)
        intervals = result.to_frame()[["city_name", "period", "ci_lower", "ci_upper"]]
        rows = rows.assign(period=rows["period"].astype(str)).merge(
            intervals.assign(period=intervals["period"].astype(str)),
            on=["city_name", "period"],
            how="left",
        )
        cleaning = result.cleaning.astype(object).where(result.cleaning.notna(), None)
        reading = {
            "text": result.to_text(),
            "rows_kept": len(rows),
            "method": result.method,
            "cleaning": cleaning.to_dict(orient="records"),
            "notes": list(result.notes),
        }
        return rows, reading

    options = {"spec": spec.to_mapping(), "country": country, "region": region}
    stored = {k: v for k, v in options.items() if v not in (None, "")}
    attempt = _Attempt(
        actor, programme, OutcomeImportRun.Kind.MICRODATA, filename, content, stored, timezone.now()
    )
    return _import(attempt, confirmed=confirmed, reader=reader)


def _require_indicator(programme: Programme, code: str) -> None:
    """Refuse a code the programme's catalogue lacks (``wellbeing.E005``), suggesting close ones."""
    codes = [indicator.code for indicator in catalogue_for(programme)]
    if code in codes:
        return
    close = difflib.get_close_matches(code, codes, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise OutcomesError([Problem("wellbeing.E005", E005_UNKNOWN_INDICATOR.format(code=code, hint=hint))])


def outcomes_import_again(*, actor, run: OutcomeImportRun, confirmed: dict | None = None) -> OutcomeImportRun:
    """Run a refused import again with the same file and options, plus ``confirmed`` names.

    Only runs refused for their names keep their file; one refused for what the file is has
    nothing to run again (a new upload is needed)."""
    if not run.content:
        raise OutcomesError([Problem("wellbeing.E007", E007_NO_FILE.format(run=run.pk))])
    options = dict(run.options)
    if run.kind == OutcomeImportRun.Kind.MICRODATA:
        function = microdata_import
        options["spec"] = MicrodataSpec.from_mapping(options["spec"])
    else:
        function = outcomes_import
        skip_unmatched = bool(options.pop("skip_unmatched", False))
        options = {"spec": ImportSpec.from_mapping(options), "skip_unmatched": skip_unmatched}
    return function(
        actor=actor,
        programme=run.programme,
        filename=run.filename,
        content=bytes(run.content),
        confirmed=confirmed,
        **options,
    )


@transaction.atomic(durable=True)
def _apply(attempt: _Attempt, *, data, report, confirmed) -> OutcomeImportRun:
    programme = attempt.programme
    _save_confirmed(attempt.actor, programme, confirmed)
    run = OutcomeImportRun.objects.create(
        **attempt.run_fields(),
        status=OutcomeImportRun.Status.APPLIED,
        report=report,
        content=attempt.content,
        finished_at=attempt.started,
    )
    cities = {c.slug: c for c in City.objects.filter(slug__in=set(data["city_slug"]))}
    indicators = {i.code: i for i in OutcomeIndicator.objects.filter(code__in=set(data["indicator"]))}
    existing = {
        (v.city_id, v.indicator_id, v.period, v.source): v
        for v in OutcomeValue.objects.filter(
            programme=programme, indicator__in=indicators.values(), city__in=cities.values()
        )
    }
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    for row in data.to_dict(orient="records"):
        city, indicator = cities[row["city_slug"]], indicators[row["indicator"]]
        fields = {
            "value": float(row["value"]),
            "unit": row["unit"] or indicator.unit,
            "n": None if _number(row["n"]) is None else int(_number(row["n"])),
            "se": _number(row["se"]),
            "ci_lower": _number(row["ci_lower"]),
            "ci_upper": _number(row["ci_upper"]),
        }
        key = (city.pk, indicator.pk, str(row["period"]), row["source"] or indicator.source)
        current = existing.get(key)
        if current is None:
            OutcomeValue.objects.create(
                programme=programme,
                city=city,
                indicator=indicator,
                period=key[2],
                source=key[3],
                import_run=run,
                **fields,
            )
            counts["inserted"] += 1
        elif all(getattr(current, k) == v for k, v in fields.items()):
            counts["unchanged"] += 1
        else:
            for k, v in fields.items():
                setattr(current, k, v)
            current.import_run = run
            current.save(update_fields=[*fields, "import_run"])
            counts["updated"] += 1
    _rescale(programme, set(zip(data["indicator"], data["period"].astype(str), strict=True)))
    for name, count in counts.items():
        setattr(run, name, count)
    run.finished_at = timezone.now()
    run.save(update_fields=[*counts, "finished_at"])
    return run


def _rescale(programme: Programme, scopes: set[tuple[str, str]]) -> None:
    """Recompute index points for each (indicator, period) touched, across the programme's cities.

    Min-max points depend on every city in scope, so a new city changes the others' points too.
    """
    catalogue = catalogue_for(programme)
    for code, period in scopes:
        values = list(OutcomeValue.objects.filter(programme=programme, indicator__code=code, period=period))
        frame = pd.DataFrame(
            {
                "indicator": code,
                "period": period,
                "value": [v.value for v in values],
                "unit": [v.unit for v in values],
            }
        )
        points = rescale_to_index(frame, catalogue=catalogue)["index_points"]
        for value, point in zip(values, points, strict=True):
            new = None if math.isnan(point) else round(float(point), 6)
            if value.index_points != new:
                value.index_points = new
                value.save(update_fields=["index_points"])


def _save_confirmed(actor, programme: Programme, confirmed: dict) -> None:
    cities = {c.slug: c for c in City.objects.filter(slug__in={s for s in confirmed.values() if s})}
    for (name, country), slug in confirmed.items():
        CityNameMapping.objects.update_or_create(
            programme=programme,
            source_name=name,
            country=country,
            defaults={
                "city": cities.get(slug),
                "confirmed_by": _actor(actor),
                "confirmed_at": now_for(actor),
            },
        )


@transaction.atomic(durable=True)
def mappings_confirm(*, actor, programme: Programme, confirmed: dict) -> list[CityNameMapping]:
    """Record once which city each name of outcome files is, so every later import matches it.

    ``confirmed`` maps ``(source_name, country)`` (or a bare name) to a city slug, or to ``""`` for
    "none of our cities" (the layout of a ``--write-unmatched`` file, read by ``read_confirmed``).
    All or nothing: an unknown slug refuses the whole file (``wellbeing.E003``, one message each).
    """
    require_outcomes_manager(actor, programme)
    confirmed = _normalise_confirmed(confirmed)
    problems = _confirmed_problems(confirmed)
    if problems:
        raise ValidationError([f"[{p['code']}] {p['message']}" for p in problems], code="wellbeing.E003")
    _save_confirmed(actor, programme, confirmed)
    return list(
        CityNameMapping.objects.filter(
            programme=programme, source_name__in=[name for name, _country in confirmed]
        )
    )


@transaction.atomic(durable=True)
def indicators_add(*, actor, programme: Programme, filename: str, content: bytes) -> list[OutcomeIndicator]:
    """Add a programme's own indicators from a catalogue YAML file (the shipped file's layout).

    Validated together with the shipped catalogue and the programme's earlier additions, so a code
    or alias defined twice is refused (``outcomes.E005``) with every problem listed.
    """
    require_outcomes_manager(actor, programme)
    catalogue_sync()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OutcomesError(
            [Problem("outcomes.E001", f"{filename}: the catalogue is not UTF-8 text; save it as UTF-8.")]
        ) from exc
    existing = [(f"{programme.slug}-indicators.yaml", programme_yaml(programme))]
    merged = load_with([*existing, (filename, text)])
    origin = Path(filename).name
    added = []
    for indicator in merged:
        if Path(indicator.origin).name != origin:
            continue
        added.append(
            OutcomeIndicator.objects.create(programme=programme, code=indicator.code, **row_values(indicator))
        )
    return added
