"""An assessment wave's results: one row per assessed city (submitted or validated) with its
data-use index, class, tier and practice sub-scores from the criteria a reviewer accepted, best
first. Read by the results page, the dashboard link and ``civicmeter results export``."""

from __future__ import annotations

import csv
import io

from civicmeter.web.collection.models import Response
from civicmeter.web.programmes.models import Wave

from . import display, selectors

SCORED = (Response.Status.SUBMITTED, Response.Status.VALIDATED)
TIER_ORDER = {"platinum": 0, "gold": 1, "silver": 2, "": 3}


def wave_rows(wave: Wave) -> list[dict]:
    standard = selectors.standard_for(wave)
    rows = []
    for response in Response.objects.filter(wave=wave, status__in=SCORED).select_related("city"):
        verdict = selectors.verdict_of(response, standard)
        rows.append({"response": response, "city": response.city, "verdict": verdict})
    rows.sort(key=lambda r: (-r["verdict"].index, TIER_ORDER.get(r["verdict"].tier, 9), r["city"].name))
    rank = 0
    for k, row in enumerate(rows):
        if k == 0 or row["verdict"].index != rows[k - 1]["verdict"].index:
            rank = k + 1
        row["rank"] = rank
    return rows


def wave_table(wave: Wave, lang: str) -> dict:
    """The page's table: only the columns that have values (no tier column when no city has one)."""
    standard = selectors.standard_for(wave)
    rows = wave_rows(wave)
    for row in rows:
        row["tier_name"] = display.tier_name(row["verdict"].tier) if row["verdict"].tier else ""
        row["class_name"] = display.class_name(row["verdict"].score_class)
    return {
        "rows": rows,
        "practices": [(p.code, p.name(lang)) for p in standard.practices],
        "show_tier": any(r["verdict"].tier for r in rows),
        "max": standard.recipe.max,
        "bands": standard.recipe.tiers,
        "high_from": next((b.minimum for b in standard.recipe.classes if b.code == "high"), None),
        "tiers": {b.code: display.tier_name(b.code) for b in standard.recipe.tiers},
    }


EXPORT_COLUMNS = ("rank", "city", "name", "country", "data_use_index", "data_use_class", "tier", "status")


def export_rows(wave: Wave) -> list[dict[str, str]]:
    """CSV rows: the columns above plus one share per practice (``practice_DG`` ...)."""
    standard = selectors.standard_for(wave)
    out = []
    for row in wave_rows(wave):
        v = row["verdict"]
        record = {
            "rank": str(row["rank"]),
            "city": row["city"].slug,
            "name": row["city"].name,
            "country": row["city"].country,
            "data_use_index": f"{v.index:g}",
            "data_use_class": v.score_class,
            "tier": v.tier,
            "status": row["response"].status,
        }
        for practice, score in zip(standard.practices, v.practices, strict=True):
            record[f"practice_{practice.code}"] = f"{score.share:g}"
        out.append(record)
    return out


def export_csv(wave: Wave) -> str:
    """:func:`export_rows` as CSV text (header first); ``civicmeter results export`` and the
    results page's download write this for an assessment wave."""
    rows = export_rows(wave)
    standard = selectors.standard_for(wave)
    columns = [*EXPORT_COLUMNS, *(f"practice_{p.code}" for p in standard.practices)]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
