"""The three tables ``civicmeter.analysis.analyze`` takes, built from a wave's stored data.

* capacity: the latest PSI scores of the wave (class and index), the data-use scores only when an
  assessment run exists (its own sample: never mixed with PSI), and the single features the OECD
  compared, read from the stored answers;
* outcomes: the programme's stored outcome values in 0-100 index points;
* controls: log population from the City table and median household income from the stored
  outcome ``median_household_income`` where a city has it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from civicmeter.analysis import Provenance
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.programmes.models import City, Wave
from civicmeter.web.results.models import ScoreRun
from civicmeter.web.results.selectors import PSI, latest_data_use_run, latest_run
from civicmeter.web.results.services import SCORED_STATUSES

from .models import OutcomeValue
from .services.catalogue import catalogue_for

#: The stored outcome used as the economy control (and so left out of the outcomes by default).
INCOME = "median_household_income"
#: Answer-derived features: column -> (question, value meaning yes, value meaning no).
FEATURES = {
    "dedicated_staff": ("s2_team", {"yes"}, {"no"}),
    "formal_strategy": ("s1_strategy", {"yes"}, {"no"}),
    "holistic_approach": ("s1_approach", {"holistic"}, {"specific"}),
}


@dataclass(frozen=True)
class AnalysisInputs:
    capacity: pd.DataFrame
    outcomes: pd.DataFrame
    controls: pd.DataFrame | None
    catalogue: pd.DataFrame
    provenance: Provenance
    psi_run: ScoreRun
    data_use_run: ScoreRun | None
    notes: tuple[str, ...] = ()


def _features(wave: Wave, slugs: list[str]) -> dict[str, dict[str, str]]:
    """{city slug: {feature: "yes"/"no"}}; answers such as "both" are no side and stay missing."""
    questions = {q: (col, yes, no) for col, (q, yes, no) in FEATURES.items()}
    rows = Answer.objects.filter(
        response__wave=wave,
        response__status__in=SCORED_STATUSES,
        response__city__slug__in=slugs,
        question__in=list(questions),
    ).values_list("response__city__slug", "question", "value")
    out: dict[str, dict[str, str]] = {}
    for slug, question, value in rows:
        column, yes, no = questions[question]
        if value in yes or value in no:
            out.setdefault(slug, {})[column] = "yes" if value in yes else "no"
    return out


def capacity_table(wave: Wave, psi_run: ScoreRun, data_use_run: ScoreRun | None) -> pd.DataFrame:
    rows: dict[str, dict] = {}
    for score in psi_run.scores.select_related("city"):
        rows[score.city.slug] = {
            "city": score.city.slug,
            "psi_index": score.index,
            "psi_class": score.score_class,
        }
    if data_use_run is not None:
        for score in data_use_run.scores.select_related("city"):
            row = rows.setdefault(score.city.slug, {"city": score.city.slug})
            row.update(data_use_index=score.index, data_use_class=score.score_class)
            for component in score.components:
                row[f"practice_{component['code']}"] = component["points"]
    features = _features(wave, [s for s, r in rows.items() if "psi_class" in r])
    synthetic = set(
        Response.objects.filter(wave=wave, synthetic=True).values_list("city__slug", flat=True)
    ) | set(City.objects.filter(synthetic=True).values_list("slug", flat=True))
    for slug, row in rows.items():
        row.update(features.get(slug, {}))
        row["synthetic"] = "yes" if slug in synthetic else "no"
    columns = ["city", "psi_index", "psi_class"]
    frame = pd.DataFrame(list(rows.values()))
    for column in columns:
        if column not in frame:
            frame[column] = pd.NA
    return frame


def _stored_values(wave: Wave, slugs: list[str]) -> pd.DataFrame:
    values = OutcomeValue.objects.filter(programme=wave.programme, city__slug__in=slugs).values_list(
        "city__slug",
        "indicator__code",
        "period",
        "index_points",
        "value",
        "n",
        "se",
        "source",
        "import_run_id",
    )
    frame = pd.DataFrame(
        list(values),
        columns=["city", "indicator", "period", "value", "raw_value", "n", "se", "source", "run"],
    )
    # One value per city, indicator and period: several sources -> the latest import wins.
    frame = frame.sort_values("run").drop_duplicates(["city", "indicator", "period"], keep="last")
    return frame.drop(columns="run").reset_index(drop=True)


def _income_coverage(controls: pd.DataFrame) -> tuple[str, ...]:
    """A note when the economy control (median household income) is missing for some countries.

    The programme's income indicator usually comes from one national source (the US census), so
    every city elsewhere loses its adjusted estimate; the report says so instead of showing an
    unexplained empty cell beside the OECD's "holds when accounting for size and economy".
    """
    has = controls["median_income"].notna()
    if has.all():
        return ()
    if not has.any():
        return (
            f"No city in the analysis has a stored {INCOME} value, so the estimates adjusted for "
            "city size and economy are left out. Import median household income to add them.",
        )
    covered = sorted(set(controls.loc[has, "country"]))
    others = sorted(set(controls.loc[~has, "country"]) - set(covered))
    elsewhere = f" (none in {', '.join(others)})" if others else ""
    return (
        f"Median household income, the economy control of the adjusted estimates, is stored for "
        f"{int(has.sum())} of {len(controls)} cities, only in {', '.join(covered)}{elsewhere}. "
        "The other cities have no adjusted estimate; the stored data hold no income figure that "
        "exists for them. Import a median household income for them to include them.",
    )


def build_inputs(wave: Wave, *, indicators: tuple[str, ...] | None = None) -> AnalysisInputs:
    """Everything ``analyze`` needs for ``wave``; raises LookupError when the wave has no scores."""
    psi_run, data_use_run = latest_run(wave, PSI), latest_data_use_run(wave)
    if psi_run is None:
        raise LookupError("no PSI scores")
    capacity = capacity_table(wave, psi_run, data_use_run)
    stored = _stored_values(wave, list(capacity["city"]))
    income = stored[stored["indicator"] == INCOME].sort_values("period")
    income = income.drop_duplicates("city", keep="last").set_index("city")["raw_value"]
    chosen = (
        stored[stored["indicator"].isin(indicators)]
        if indicators
        else stored[stored["indicator"] != INCOME]
    )
    # Rows without index points stay: the analysis lists such an outcome with the reason (e.g. all
    # values equal, so min-max has nothing to rescale) instead of letting it vanish.
    cities = City.objects.filter(slug__in=list(capacity["city"]))
    controls = pd.DataFrame(
        [
            {
                "city": c.slug,
                "population": c.population,
                "median_income": income.get(c.slug),
                "country": c.country,
                "region": c.region,
            }
            for c in cities
        ],
        columns=["city", "population", "median_income", "country", "region"],
    )
    notes = _income_coverage(controls)
    if controls["median_income"].isna().all():
        controls = None
    catalogue = catalogue_for(wave.programme)
    catalogue_frame = pd.DataFrame(
        [
            {
                "code": i.code,
                "name": i.name,
                "dimension": i.dimension.value,
                "direction": i.direction,
                "rescale": i.rescale.value,
            }
            for i in catalogue
        ]
    )
    recipes = [f"{psi_run.recipe} {psi_run.recipe_version}"]
    if data_use_run is not None:
        recipes.append(f"{data_use_run.recipe} {data_use_run.recipe_version}")
    provenance = Provenance(
        wave=f"{wave.programme.slug} {wave.code}",
        instrument_version=f"{wave.instrument.form_id} {psi_run.instrument_version}",
        recipe_version="; ".join(recipes),
        sources=tuple(sorted(set(chosen["source"].dropna()))),
    )
    return AnalysisInputs(
        capacity=capacity,
        outcomes=chosen.reset_index(drop=True),
        controls=controls,
        catalogue=catalogue_frame,
        provenance=provenance,
        psi_run=psi_run,
        data_use_run=data_use_run,
        notes=notes,
    )
