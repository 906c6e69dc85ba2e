"""Reads of stored scores: the latest run per recipe for a wave, joined into one table per city.

A survey wave's table shows its own PSI run beside the data-use run of the assessment wave paired
with it (``Wave.pairs_with``, set by ``programmes.services.wave_pair``); an assessment wave's table
shows its own data-use run. The two indexes sit side by side and are never compared.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from civicmeter.web.programmes.models import City, Instrument, Wave

from .models import CityScore, ScoreRun

PSI = "psi-capacity"
DATA_USE = "data-use"
#: The columns of ``civicmeter results export`` and of the web download, in order.
EXPORT_COLUMNS = (
    "city",
    "name",
    "country",
    "psi_index",
    "psi_class",
    "psi_c1",
    "psi_c2",
    "psi_c3",
    "psi_c4",
    "psi_c5",
    "psi_rank",
    "psi_rank_p5",
    "psi_rank_p95",
    "data_use_index",
    "data_use_class",
    "tier",
)


def latest_run(wave: Wave, recipe: str) -> ScoreRun | None:
    """The newest run of ``recipe`` for ``wave`` (what pages show), or None."""
    return ScoreRun.objects.filter(wave=wave, recipe=recipe).select_related("actor").first()


def data_use_wave(wave: Wave) -> Wave | None:
    """The wave whose data-use runs ``wave``'s table shows: itself if it is an assessment wave,
    else the assessment wave paired with it (None when there is none)."""
    if wave.instrument.kind == Instrument.Kind.ASSESSMENT:
        return wave
    return Wave.objects.filter(pairs_with=wave).select_related("instrument").first()


def latest_data_use_run(wave: Wave) -> ScoreRun | None:
    """The newest data-use run shown with ``wave``: of itself or of its paired assessment wave."""
    assessed = data_use_wave(wave)
    return latest_run(assessed, DATA_USE) if assessed is not None else None


@dataclass(frozen=True)
class ResultRow:
    city: City
    psi: CityScore | None
    data_use: CityScore | None


@dataclass(frozen=True)
class WaveResults:
    """The latest PSI run of a wave and the latest data-use run of its assessment wave (itself or
    the paired one); one row per scored city, best PSI rank first, then cities assessed only."""

    wave: Wave
    psi_run: ScoreRun | None
    data_use_run: ScoreRun | None
    rows: list[ResultRow]
    component_names: list[str]

    @property
    def class_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.rows:
            if row.psi is not None:
                counts[row.psi.score_class] = counts.get(row.psi.score_class, 0) + 1
        return counts


def _scores(run: ScoreRun | None) -> dict[int, CityScore]:
    if run is None:
        return {}
    return {s.city_id: s for s in run.scores.select_related("city")}


def wave_results(wave: Wave) -> WaveResults:
    psi_run, data_use_run = latest_run(wave, PSI), latest_data_use_run(wave)
    psi, data_use = _scores(psi_run), _scores(data_use_run)
    cities = {s.city_id: s.city for s in [*psi.values(), *data_use.values()]}
    rows = [ResultRow(city, psi.get(pk), data_use.get(pk)) for pk, city in cities.items()]
    rows.sort(key=lambda r: (r.psi is None, r.psi.rank if r.psi else 0, r.city.name))
    first = next((r.psi for r in rows if r.psi is not None), None)
    names = [c["name"] for c in first.components] if first else []
    return WaveResults(wave, psi_run, data_use_run, rows, names)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def export_rows(wave: Wave) -> list[dict[str, str]]:
    """One row per scored city with :data:`EXPORT_COLUMNS`; empty cells where not assessed."""
    out = []
    for row in wave_results(wave).rows:
        p, d = row.psi, row.data_use
        components = [c["points"] for c in p.components] if p else []
        record = {
            "city": row.city.slug,
            "name": row.city.name,
            "country": row.city.country,
            "psi_index": _number(p.index if p else None),
            "psi_class": p.score_class if p else "",
            "psi_rank": str(p.rank) if p else "",
            "psi_rank_p5": _number(p.rank_p5 if p else None),
            "psi_rank_p95": _number(p.rank_p95 if p else None),
            "data_use_index": _number(d.index if d else None),
            "data_use_class": d.score_class if d else "",
            "tier": d.tier if d else "",
        }
        for k in range(5):
            record[f"psi_c{k + 1}"] = _number(components[k] if k < len(components) else None)
        out.append({column: record[column] for column in EXPORT_COLUMNS})
    return out


def export_csv(wave: Wave) -> str:
    """:func:`export_rows` as CSV text (UTF-8, header first)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(export_rows(wave))
    return buffer.getvalue()
