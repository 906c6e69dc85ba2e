"""Match city names in outcome files to the platform's cities, without ever guessing silently.

Publishers name the same city differently: "Louisville/Jefferson County metro government (balance)"
(US Census), "Boise City city", "New York City" vs "new york", "Brussel" (local language),
"Tyneside conurbation" (a statistical unit). :func:`match_cities` applies exact rules in order
and sorts every name into matched, ambiguous (several candidates) or unmatched (with the nearest
names as suggestions for the user to confirm once). A confirmed mapping is a small CSV
(``source_name,country,city_slug``) kept with the programme and applied first on every import.

Rules, strongest first:
1. the user's confirmed mapping;
2. the same code (e.g. an ONS or Census code stored with the city);
3. the same normalised name (accents, case, punctuation, "St." = "Saint", Census suffixes such as
   " city", " CDP", "(balance)", "metro government", ", City of" removed) in the same country;
4. a known other name (candidate aliases and ``content/outcomes/places.yaml``);
5. a name variant: "City of X" -> X, "X City" -> X, "Louisville/Jefferson County" -> Louisville
   (consolidated governments only).
Country and region (US state) must agree whenever both sides give them.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from civicmeter.outcomes.errors import OutcomesError, Problem, raise_if_any
from civicmeter.outcomes.names import _places, _plain, _region_key, name_keys
from civicmeter.params import NONE, Columns, InstanceOf, validate_params

CONFIRMED_HEADER = ["source_name", "country", "city_slug"]
SUGGESTIONS = 3

E040_CONFIRMED_BAD_FILE = (
    "{path}: the confirmed mapping must be a CSV with the header source_name,country,city_slug "
    "(found {header}). Fix the header."
)
E041_CONFIRMED_UNKNOWN_SLUG = (
    "{path}row {row}: {name!r} is confirmed as {slug!r}, which is not a known city. "
    "Correct the slug or remove the line."
)


def _where(row: object) -> str:
    """ "Kansas, US" for report lines, so same-named places in different regions are told apart."""
    return ", ".join(p for p in (row.region, row.country) if p) or "?"


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


@dataclass
class MatchReport:
    """Where every source name went: matched (with the rule used), ambiguous, or unmatched."""

    matched: pd.DataFrame
    ambiguous: pd.DataFrame
    unmatched: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.ambiguous.empty and self.unmatched.empty

    def slugs(self) -> dict[tuple[str, str, str], str]:
        """(name, country, region) -> city slug for every matched name."""
        return {(r.name, r.country, r.region): r.city_slug for r in self.matched.itertuples()}

    def assign(self, frame: pd.DataFrame, *, name: str = "city_name") -> pd.DataFrame:
        """``frame`` with a ``city_slug`` column (empty where unmatched or ambiguous)."""
        slugs = self.slugs()
        keys = zip(
            frame[name].map(_text),
            frame["country"].map(_text),
            frame["region"].map(_text),
            strict=True,
        )
        return frame.assign(city_slug=[slugs.get(k, "") for k in keys])

    def to_text(self) -> str:
        lines = [
            f"Matched {len(self.matched)}, ambiguous {len(self.ambiguous)}, unmatched {len(self.unmatched)}."
        ]
        by_rule = self.matched["method"].value_counts()
        lines += [f"  by {method}: {count}" for method, count in by_rule.items()]
        variants = self.matched[self.matched["method"] == "name variant"]
        lines += [f"  check: {r.name!r} -> {r.city_slug}" for r in variants.itertuples()]
        lines += [
            f"ambiguous: {r.name!r} ({_where(r)}) could be {', '.join(r.candidates)}"
            for r in self.ambiguous.itertuples()
        ]
        lines += [
            f"unmatched: {r.name!r} ({_where(r)})"
            + (f"; nearest: {', '.join(r.suggestions)}" if r.suggestions else "")
            for r in self.unmatched.itertuples()
        ]
        if not self.complete:
            lines.append(
                "Confirm the right city for each in the mapping CSV "
                "(source_name,country,city_slug) and run again."
            )
        lines += [f"[{i}] {note}" for i, note in enumerate(self.notes, start=1)]
        return "\n".join(lines)


class _Index:
    """Candidate cities looked up by code, name key, alias key and variant key."""

    def __init__(self, candidates: pd.DataFrame):
        known_aliases, _ = _places()
        self.rows = []
        self.by = {kind: defaultdict(set) for kind in ("code", "name", "alias", "name variant")}
        for row in candidates.itertuples(index=False):
            slug, name, country = _text(row.slug), _text(row.name), _text(row.country).upper()
            region = _region_key(_text(getattr(row, "region", "")), country)
            self.rows.append((slug, name, country, region))
            position = len(self.rows) - 1
            code = _text(getattr(row, "code", ""))
            if code:
                self.by["code"][code.lower()].add(position)
            key, variants = name_keys(name)
            # "Kansas City" is a name, not "Kansas" + a Census suffix: keep the unstripped form too.
            for full in {key, _plain(name)}:
                self.by["name"][full].add(position)
            for variant in variants:
                self.by["name variant"][variant].add(position)
            aliases = getattr(row, "aliases", "")
            alias_list = aliases if isinstance(aliases, list | tuple) else re.split(r"[|;]", _text(aliases))
            for alias in [*alias_list, *known_aliases.get((key, country), [])]:
                if _text(alias):
                    self.by["alias"][name_keys(str(alias))[0]].add(position)

    def fits(self, position: int, country: str, region: str) -> bool:
        _, _, their_country, their_region = self.rows[position]
        if country and their_country and country != their_country:
            return False
        return not (region and their_region and region != their_region)

    def lookup(self, kind: str, key: str, country: str, region: str) -> list[int]:
        return sorted(p for p in self.by[kind].get(key, ()) if self.fits(p, country, region))

    def suggest(self, name: str, country: str) -> list[str]:
        pool = defaultdict(list)
        for slug, their_name, their_country, _ in self.rows:
            if not country or not their_country or their_country == country:
                pool[name_keys(their_name)[0]].append(slug)
        close = difflib.get_close_matches(name_keys(name)[0], list(pool), n=SUGGESTIONS, cutoff=0.6)
        return [slug for key in close for slug in pool[key]][:SUGGESTIONS]


@validate_params(
    {
        "names": [Columns("name")],
        "candidates": [Columns("slug", "name", "country")],
        "confirmed": [InstanceOf(dict, "a dict of (source_name, country) -> city slug"), NONE],
    }
)
def match_cities(
    names: pd.DataFrame, candidates: pd.DataFrame, *, confirmed: dict | None = None
) -> MatchReport:
    """Sort each distinct source name into matched, ambiguous or unmatched (see module rules).

    ``names`` has ``name`` and optionally ``country`` (ISO alpha-2), ``region`` and ``code``;
    ``candidates`` has ``slug``, ``name``, ``country`` and optionally ``region``, ``code`` and
    ``aliases`` (a list or "|"-separated text). ``confirmed`` maps ``(source_name, country)``
    (or a bare source name) to a slug, as read by :func:`read_confirmed`.
    """
    index = _Index(candidates)
    known_slugs = {row[0] for row in index.rows}
    confirmed = confirmed or {}
    matched, ambiguous, unmatched = [], [], []
    seen = set()
    for row in names.itertuples(index=False):
        name = _text(row.name)
        country = _text(getattr(row, "country", "")).upper()
        region_text = _text(getattr(row, "region", ""))
        code = _text(getattr(row, "code", ""))
        if not name or (name, country, region_text) in seen:
            continue
        seen.add((name, country, region_text))
        identity = {"name": name, "country": country, "region": region_text, "code": code}
        slug = next(
            (
                confirmed[k]
                for k in ((f"{name}, {region_text}", country), (name, country), name)
                if k in confirmed
            ),
            None,
        )
        if slug in known_slugs:
            matched.append({**identity, "city_slug": slug, "method": "confirmed"})
            continue
        region = _region_key(region_text, country)
        key, variants = name_keys(name)
        attempts = [("code", code.lower())] if code else []
        attempts += [("name", key), ("name", _plain(name)), ("alias", key)]
        attempts += [(kind, v) for v in variants for kind in ("name", "alias")]
        attempts += [("name variant", k) for k in [key, *variants]]
        for kind, lookup_key in attempts:
            hits = index.lookup(kind, lookup_key, country, region)
            if len(hits) == 1:
                method = kind if lookup_key in (key, _plain(name)) or kind == "code" else "name variant"
                matched.append({**identity, "city_slug": index.rows[hits[0]][0], "method": method})
                break
            if len(hits) > 1:
                ambiguous.append({**identity, "candidates": [index.rows[h][0] for h in hits]})
                break
        else:
            unmatched.append({**identity, "suggestions": index.suggest(name, country)})
    matched, ambiguous, notes = _split_shared_slugs(matched, ambiguous)
    columns = ["name", "country", "region", "code"]
    return MatchReport(
        matched=pd.DataFrame(matched, columns=[*columns, "city_slug", "method"]),
        ambiguous=pd.DataFrame(ambiguous, columns=[*columns, "candidates"]),
        unmatched=pd.DataFrame(unmatched, columns=[*columns, "suggestions"]),
        notes=notes,
    )


def _split_shared_slugs(
    matched: list[dict], ambiguous: list[dict]
) -> tuple[list[dict], list[dict], list[str]]:
    """Two distinct places on one city (Kansas City, Kansas and Missouri) cannot both be right.

    Source names that differ only in spelling ("New York City", "new york") stay matched with a
    note; names with different regions or codes become ambiguous unless a confirmation or a code
    decided one of them.
    """
    by_slug = defaultdict(list)
    for entry in matched:
        by_slug[entry["city_slug"]].append(entry)
    notes, kept = [], []
    for slug, entries in by_slug.items():
        names = "; ".join(f"{e['name']} ({e['region'] or e['country'] or '?'})" for e in entries)
        places = {(e["region"].lower(), e["code"].lower()) for e in entries}
        decided = [e for e in entries if e["method"] in ("confirmed", "code")]
        if len(entries) == 1 or len(places) == 1:
            kept += entries
            if len(entries) > 1:
                notes.append(f"{len(entries)} spellings matched {slug}: {names}.")
        elif len(decided) == 1:
            kept += decided
            ambiguous += [
                {k: e[k] for k in ("name", "country", "region", "code")} | {"candidates": [slug]}
                for e in entries
                if e is not decided[0]
            ]
            notes.append(f"several places matched {slug}: {names}; only the {decided[0]['method']} one kept.")
        else:
            notes.append(f"several places matched {slug}: {names}; confirm which one is meant.")
            ambiguous += [
                {k: e[k] for k in ("name", "country", "region", "code")} | {"candidates": [slug]}
                for e in entries
            ]
    return kept, ambiguous, notes


@validate_params({"path": [InstanceOf((str, Path), "a file path")]})
def read_confirmed(path: str | Path) -> dict[tuple[str, str], str]:
    """Read a confirmed mapping CSV (``source_name,country,city_slug``); a missing file is empty.

    Columns after the third (such as the ``note`` of a file written by ``--write-unmatched``) are
    for the person editing it and ignored here."""
    path = Path(path)
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    if not rows or [c.strip() for c in rows[0][:3]] != CONFIRMED_HEADER:
        raise OutcomesError(
            [
                Problem(
                    "outcomes.E040",
                    E040_CONFIRMED_BAD_FILE.format(
                        path=path, header=",".join(rows[0]) if rows else "an empty file"
                    ),
                )
            ]
        )
    return {
        (r[0].strip(), r[1].strip().upper()): r[2].strip() for r in rows[1:] if len(r) >= 3 and r[0].strip()
    }


@validate_params(
    {
        "path": [InstanceOf((str, Path), "a file path")],
        "mapping": [InstanceOf(dict, "a dict of (source_name, country) -> city slug")],
    }
)
def write_confirmed(path: str | Path, mapping: dict[tuple[str, str], str]) -> None:
    """Write (merging into any existing file) the user's confirmed name -> city choices."""
    merged = {**read_confirmed(path), **mapping}
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CONFIRMED_HEADER)
        for (name, country), slug in sorted(merged.items()):
            writer.writerow([name, country, slug])


@validate_params(
    {
        "confirmed": [InstanceOf(dict, "a dict of (source_name, country) -> city slug")],
        "candidates": [Columns("slug")],
        "path": [InstanceOf(str, "the mapping file's path, for messages")],
    }
)
def check_confirmed(confirmed: dict, candidates: pd.DataFrame, *, path: str = "") -> None:
    """Raise :class:`OutcomesError` listing confirmed entries whose slug is not a known city."""
    known = set(candidates["slug"].map(_text))
    raise_if_any(
        [
            Problem(
                "outcomes.E041",
                E041_CONFIRMED_UNKNOWN_SLUG.format(
                    path=f"{path}, " if path else "",
                    row=row,
                    name=key[0] if isinstance(key, tuple) else key,
                    slug=slug,
                ),
            )
            for row, (key, slug) in enumerate(confirmed.items(), start=2)
            if slug not in known
        ]
    )
