"""Real outcome data for the demo programme, imported through the same service as any upload.

Run by ``civicmeter demo`` after the demo programme is loaded. Idempotent: a file whose exact
bytes were already applied to the programme is not imported again. The demo waves are scored
first when nobody has scored them yet, so the analysis page works straight away.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from civicmeter.demo.cities import CONTENT
from civicmeter.outcomes import ImportSpec, read_confirmed
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.programmes.models import Programme
from civicmeter.web.results.services import scores_compute

from .models import OutcomeImportRun
from .services import file_sha256, outcomes_import

OUTCOMES = CONTENT / "outcomes"


@dataclass(frozen=True)
class DemoFile:
    path: Path
    options: dict
    confirmed: Path | None = None


DEMO_FILES = (
    DemoFile(
        OUTCOMES / "eu-qol-2023" / "qol2023_city_indicators_long.csv",
        {
            "period": "2023",
            "source": "European Commission, DG REGIO, Quality of Life in European Cities 2023",
        },
        OUTCOMES / "eu-qol-2023" / "qol2023_not_demo_cities.csv",
    ),
    DemoFile(
        OUTCOMES / "us-acs-median-income" / "acs1y_s1901_median_income_2023_demo_cities.csv",
        {
            "indicator": "median_household_income",
            "country": "US",
            "source": "US Census Bureau, American Community Survey 1-year 2023, table S1901",
        },
    ),
    DemoFile(
        OUTCOMES / "us-city-health-dashboard" / "features_final_demo_cities.csv",
        {
            "period": "CHDB-v14",
            "country": "US",
            "source": "City Health Dashboard (NYU Langone Health), city data release v14",
        },
    ),
)


def load_demo_outcomes(programme: Programme) -> list[OutcomeImportRun]:
    """Import the demo outcome files into ``programme`` (once) and score unscored waves."""
    for wave in programme.waves.all():
        if not wave.score_runs.exists():
            scores_compute(actor=SYSTEM, wave=wave)
    runs = []
    for demo_file in DEMO_FILES:
        content = demo_file.path.read_bytes()
        applied = OutcomeImportRun.objects.filter(
            programme=programme,
            sha256=file_sha256(content),
            status=OutcomeImportRun.Status.APPLIED,
        ).first()
        if applied is not None:
            runs.append(applied)
            continue
        confirmed = read_confirmed(demo_file.confirmed) if demo_file.confirmed else None
        runs.append(
            outcomes_import(
                actor=SYSTEM,
                programme=programme,
                filename=demo_file.path.name,
                content=content,
                confirmed=confirmed,
                spec=ImportSpec(**demo_file.options),
            )
        )
    return runs
