"""Which confirmed name applies to a row: scoped to its region, explicit cities before "none of ours".

A user confirms names once ("Kansas City city, Kansas" is none of our cities); the programme keeps
them. Applied carelessly, such a confirmation drops every same-named city: "Rochester city" confirmed
as none of ours (meaning Minnesota) also dropped Rochester, New York. The rules here:

1. A confirmation keyed by the name *with* its region ("Rochester city, Minnesota") applies to that
   region only, and wins over one keyed by the bare name.
2. A bare name confirmed as a city applies wherever the name appears (the city's own country and
   region still have to agree during matching).
3. A bare name confirmed as *none of ours* drops rows without a region outright; for rows with a
   region it drops them only if they match none of our cities there. So it never drops a
   same-named city elsewhere, yet an old bare confirmation keeps working for the places it meant.
Country: a key with an empty country applies in every country, one with a country only there.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import pandas as pd

from civicmeter.outcomes.matching import MatchReport


def scoped_name(name: str, region: str) -> str:
    """The source name as a confirmation stores it: "Rochester city, Minnesota", or the bare name."""
    return f"{name}, {region}" if region else name


@dataclass
class Decisions:
    """Per (name, country, region): the confirmed slug, or a skip now or once matching fails."""

    confirmed: dict[tuple[str, str], str] = field(default_factory=dict)
    skip: set[tuple[str, str, str]] = field(default_factory=set)
    skip_if_unmatched: set[tuple[str, str, str]] = field(default_factory=set)


def _lookup(known: dict, name: str, country: str) -> str | None:
    for key in ((name, country), (name, "")):
        if key in known:
            return known[key]
    return None


def decide(known: dict[tuple[str, str], str], names: pd.DataFrame) -> Decisions:
    """Apply the module's rules to the distinct ``name, country, region`` rows of ``names``."""
    decisions = Decisions()
    for name, country, region in (
        names[["name", "country", "region"]].drop_duplicates().itertuples(index=False)
    ):
        place = (name, country, region)
        scoped = _lookup(known, scoped_name(name, region), country) if region else None
        bare = _lookup(known, name, country)
        if scoped is not None:
            chosen, strict = scoped, True
        elif bare is not None:
            chosen, strict = bare, not region or bool(bare)
        else:
            continue
        if chosen:
            decisions.confirmed[(scoped_name(name, region), country)] = chosen
        elif strict:
            decisions.skip.add(place)
        else:
            decisions.skip_if_unmatched.add(place)
    return decisions


def places_of(frame: pd.DataFrame, name: str = "name") -> list[tuple[str, str, str]]:
    """(name, country, region) of every row: the key confirmations and reports use."""
    return list(zip(frame[name], frame["country"], frame["region"], strict=True))


def drop_unmatched(report: MatchReport, places: set[tuple[str, str, str]]) -> tuple[MatchReport, set]:
    """``report`` without the unmatched names in ``places``; and which places were dropped."""
    unmatched = report.unmatched
    keys = places_of(unmatched)
    dropped = [key in places for key in keys]
    kept = unmatched.loc[[not d for d in dropped]]
    trimmed = MatchReport(report.matched, report.ambiguous, kept.reset_index(drop=True), list(report.notes))
    return trimmed, {key for key, d in zip(keys, dropped, strict=True) if d}


def place_label(place: tuple[str, str, str]) -> str:
    """("Rochester city", "US", "Minnesota") -> "Rochester city (Minnesota, US)" for reports."""
    name, country, region = place
    where = ", ".join(p for p in (region, country) if p)
    return f"{name} ({where})" if where else name


def unmatched_csv(matching: dict) -> str:
    """The names an import could not match, as a confirmation CSV ready to edit.

    One row per unmatched or ambiguous name (``source_name`` with its region, so the choice stays
    in that region), ``city_slug`` filled with the nearest or first candidate city where there is
    one and empty (= none of ours) where there is none, and a ``note`` listing every candidate.
    Check each row, then pass the file back with ``--confirm-mapping``.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source_name", "country", "city_slug", "note"])
    for entry in matching.get("ambiguous", []):
        candidates = list(entry.get("candidates", []))
        note = "ambiguous, could be: " + ", ".join(candidates)
        writer.writerow([scoped_name(entry["name"], entry["region"]), entry["country"], candidates[0], note])
    for entry in matching.get("unmatched", []):
        suggestions = list(entry.get("suggestions", []))
        note = (
            ("nearest: " + ", ".join(suggestions))
            if suggestions
            else "no city of ours is close: empty = none of ours"
        )
        slug = suggestions[0] if suggestions else ""
        writer.writerow([scoped_name(entry["name"], entry["region"]), entry["country"], slug, note])
    return out.getvalue()
