"""The wave analysis: built from stored scores, answers and outcomes, run as a task, and by the CLI."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.test import TestCase
from typer.testing import CliRunner

from civicmeter.analysis import ComparisonSettings
from civicmeter.cli import app
from civicmeter.testing import PSI_FULL_ANSWERS, make_city, make_world
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.programmes.models import City
from civicmeter.web.results.services import scores_compute
from civicmeter.web.wellbeing import services
from civicmeter.web.wellbeing.analysis_inputs import build_inputs
from civicmeter.web.wellbeing.models import AnalysisRun, OutcomeValue
from civicmeter.web.wellbeing.services.runs import analysis_execute, analysis_start

HIGH = PSI_FULL_ANSWERS
LOW = {
    "s1_strategy": "no",
    "s1_goals": "other",
    "s1_approach": "specific",
    "s2_team": "no",
    "s3_dedicated": "no",
    "s3_budget_plan": "maintain",
    "s3_sources_now": "municipal",
    "s4_data_role": "somewhat",
    "s4_open_data": "no",
    "s4_data_strategy": "neither",
    "s5_goal_metrics": "no",
    "s5_eval_tools": "other",
    "s5_eval_practice": "ad_hoc",
}
#: name, country, population, capacity answers, share satisfied with the city, median income
CITIES = [
    ("Baltimore", "US", 611_648, HIGH, 0.88, 52_000),
    ("Bilbao", "ES", 345_122, HIGH, 0.91, 41_000),
    ("Boston", "US", 675_647, HIGH, 0.86, 89_000),
    ("Denver", "US", 715_522, HIGH, 0.84, 85_000),
    ("Tulsa", "US", 413_066, LOW, 0.79, 55_000),
    ("Mesa", "US", 504_258, LOW, 0.80, 68_000),
    ("Tempe", "US", 180_587, LOW, 0.83, 70_000),
    ("Detroit", "US", 639_111, LOW, 0.70, 34_000),
]


def outcome_csv() -> bytes:
    lines = ["city,country,year,indicator,value"]
    for name, country, _pop, _answers, share, income in CITIES:
        lines.append(f"{name},{country},2023,satis_city,{share}")
        lines.append(f"{name},{country},2023,median_household_income,{income}")
    return ("\n".join(lines) + "\n").encode()


class AnalysisTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = make_world()
        for name, country, population, answers, _share, _income in CITIES:
            city = make_city(name, country, population=population)
            response = Response.objects.create(
                wave=w.wave, city=city, status=Response.Status.SUBMITTED, synthetic=True
            )
            Answer.objects.bulk_create(
                [Answer(response=response, question=q, value=v) for q, v in answers.items()]
            )

    def prepare(self, *, scores: bool = True, outcomes: bool = True) -> None:
        if scores:
            scores_compute(actor=self.world.admin, wave=self.world.wave)
        if outcomes:
            run = services.outcomes_import(
                actor=self.world.admin,
                programme=self.world.programme,
                filename="outcomes.csv",
                content=outcome_csv(),
            )
            assert run.status == run.Status.APPLIED, run.report


class InputTests(AnalysisTestCase):
    def test_capacity_features_outcomes_and_controls_come_from_the_store(self):
        self.prepare()
        inputs = build_inputs(self.world.wave)
        capacity = inputs.capacity.set_index("city")
        self.assertEqual(capacity.loc["baltimore-us", "psi_class"], "high")
        self.assertEqual(capacity.loc["detroit-us", "psi_class"], "low")
        self.assertEqual(capacity.loc["detroit-us", "dedicated_staff"], "no")
        self.assertEqual(capacity.loc["boston-us", "holistic_approach"], "yes")
        self.assertEqual(set(capacity["synthetic"]), {"yes"})
        self.assertNotIn("data_use_class", capacity.columns)  # no assessment run: no data-use sample
        self.assertEqual(list(inputs.outcomes["indicator"].unique()), ["satis_city"])
        self.assertAlmostEqual(inputs.outcomes.set_index("city").loc["detroit-us", "value"], 70.0)
        controls = inputs.controls.set_index("city")
        self.assertEqual(controls.loc["boston-us", "median_income"], 89_000)
        self.assertEqual(controls.loc["tempe-us", "population"], 180_587)
        self.assertEqual(inputs.provenance.wave, "test 2020")
        self.assertIn("psi-capacity 1.0", inputs.provenance.recipe_version)


class RunTests(AnalysisTestCase):
    def test_start_refuses_a_wave_without_scores_or_outcomes(self):
        self.prepare(scores=False)
        with self.assertRaisesMessage(ValidationError, "[wellbeing.E010] Wave 2020 has no PSI"):
            analysis_start(actor=self.world.admin, wave=self.world.wave)
        scores_compute(actor=self.world.admin, wave=self.world.wave)
        with self.assertRaisesMessage(ValidationError, "[wellbeing.E012] No stored values"):
            analysis_start(
                actor=self.world.admin,
                wave=self.world.wave,
                settings=ComparisonSettings(indicators=("walkability",)),
            )

    def test_the_task_runs_records_progress_and_stores_a_report_with_n_and_intervals(self):
        self.prepare()
        with self.captureOnCommitCallbacks(execute=True):
            run = analysis_start(actor=self.world.admin, wave=self.world.wave)
        self.assertEqual(run.status, AnalysisRun.Status.QUEUED)
        run.refresh_from_db()
        self.assertEqual((run.status, run.progress), (AnalysisRun.Status.DONE, 100), run.error)
        self.assertIn("synthetic", run.report_html.lower())
        self.assertIn("95% CI", run.report_html)
        self.assertIn("n = 4 and 4 cities", run.report_html)
        psi = next(g for g in run.summary["groups"] if g["table"] == "comparison_psi_class")
        row = psi["rows"][0]
        self.assertEqual((row["outcome"], row["n_high"], row["n_low"]), ("satis_city", 4, 4))
        self.assertLess(row["ci_lower"], row["estimate"])
        self.assertTrue(run.summary["synthetic"])
        self.assertIn("comparison_psi_class", run.tables)
        self.assertIn("adjusted_psi_class", run.tables)

    def test_execute_reports_each_step(self):
        self.prepare()
        run = analysis_start(actor=self.world.admin, wave=self.world.wave, background=False)
        steps = []
        analysis_execute(run_id=run.pk, on_progress=lambda pct, msg: steps.append((pct, msg)))
        self.assertEqual([pct for pct, _ in steps], [10, 30, 85, 100])
        self.assertEqual(steps[-1][1], "Done")

    def test_the_run_stores_its_settings_and_runs_with_them(self):
        self.prepare()
        settings = ComparisonSettings(alpha=0.1, n_resamples=199, correction="holm")
        run = analysis_start(
            actor=self.world.admin, wave=self.world.wave, settings=settings, background=False
        )
        self.assertEqual(ComparisonSettings.from_mapping(run.parameters), settings)
        run = analysis_execute(run_id=run.pk)
        self.assertEqual(run.status, AnalysisRun.Status.DONE, run.error)
        self.assertIn("90% CI", run.report_html)
        self.assertNotIn("95% CI", run.report_html)
        self.assertIn("holm", run.tables["settings"])


class UnusableInputTests(AnalysisTestCase):
    def test_a_city_with_population_zero_is_dropped_and_named_not_fatal(self):
        self.prepare()
        City.objects.filter(slug="tempe-us").update(population=0)
        run = analysis_start(actor=self.world.admin, wave=self.world.wave, background=False)
        run = analysis_execute(run_id=run.pk)
        self.assertEqual(run.status, AnalysisRun.Status.DONE, run.error)
        self.assertIn(
            "City &#x27;tempe-us&#x27; is left out of the adjusted estimates: its population is 0,",
            run.report_html,
        )
        self.assertNotIn("np.int64", run.report_html)

    def test_a_constant_outcome_asked_for_by_name_is_listed_with_the_reason(self):
        self.prepare()
        lines = ["city,country,year,indicator,value"]
        lines += [f"{name},{country},2023,life_expectancy,79" for name, country, *_ in CITIES]
        services.outcomes_import(
            actor=self.world.admin,
            programme=self.world.programme,
            filename="life.csv",
            content=("\n".join(lines) + "\n").encode(),
        )
        settings = ComparisonSettings(indicators=("life_expectancy",))
        run = analysis_start(
            actor=self.world.admin, wave=self.world.wave, settings=settings, background=False
        )
        run = analysis_execute(run_id=run.pk)
        self.assertEqual(run.status, AnalysisRun.Status.DONE, run.error)
        self.assertIn(
            "not estimated: all values equal (79 for every city), so they cannot be rescaled",
            run.report_html,
        )


class IncomeCoverageTests(AnalysisTestCase):
    def test_income_stored_only_for_us_cities_is_said_in_the_report(self):
        self.prepare()
        OutcomeValue.objects.filter(
            city__slug="bilbao-es", indicator__code="median_household_income"
        ).delete()
        run = analysis_execute(
            run_id=analysis_start(
                actor=self.world.admin, wave=self.world.wave, background=False
            ).pk
        )
        self.assertEqual(run.status, AnalysisRun.Status.DONE, run.error)
        self.assertIn(
            "Median household income, the economy control of the adjusted estimates, is stored "
            "for 7 of 8 cities, only in US (none in ES).",
            run.report_html,
        )


class CommandTests(AnalysisTestCase):
    def test_analyze_wave_writes_the_tables_and_the_report(self):
        self.prepare()
        with tempfile.TemporaryDirectory() as tmp:
            result = CliRunner().invoke(app, ["analyze", "--wave", "2020", "--out", tmp])
            self.assertEqual(result.exit_code, 0, result.output)
            names = {p.name for p in Path(tmp).iterdir()}
            self.assertIn("report.html", names)
            self.assertIn("comparison_psi_class.csv", names)
            self.assertIn("comparison_psi_class (n high/low): satis_city 4/4", result.output)
            self.assertIn("synthetic", result.output)

    def test_outcomes_import_prints_the_report_and_refuses_unmatched_names(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "qol.csv"
            path.write_text("city,year,satis_city\nBaltimore,2023,0.8\nGotham,2023,0.5\n")
            result = CliRunner().invoke(app, ["outcomes", "import", str(path), "--indicator", "satis_city"])
            self.assertEqual(result.exit_code, 2, result.output)
            self.assertIn("unmatched: 'Gotham'", result.output)
            self.assertIn("Nothing was written", result.output)
            mapping = Path(tmp) / "confirmed.csv"
            mapping.write_text("source_name,country,city_slug\nGotham,,\n")
            result = CliRunner().invoke(
                app,
                [
                    "outcomes",
                    "import",
                    str(path),
                    "--indicator",
                    "satis_city",
                    "--confirm-mapping",
                    str(mapping),
                ],
            )
            self.assertEqual(result.exit_code, 0, result.output)
            self.assertIn("1 inserted, 0 updated, 0 unchanged", result.output)


class MicrodataCommandTests(AnalysisTestCase):
    def test_kansas_city_microdata_is_stored_with_its_cleaning_report(self):
        make_city("Kansas City", "US", region="Missouri")
        kc = Path(__file__).resolve().parent.parent / "fixtures" / "kcmo-resident-survey"
        result = CliRunner().invoke(
            app,
            [
                "outcomes",
                "microdata",
                str(kc / "FY2022_RS_slice.csv"),
                "--store",
                "--item",
                "q1_01",
                "--scale",
                "1-5",
                "--indicator",
                "kc_place_to_live",
                "--statistic",
                "top2",
                "--city",
                "Kansas City",
                "--country",
                "US",
                "--region",
                "Missouri",
                "--period-column",
                "quarte",
            ],
        )
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("1 inserted, 0 updated, 0 unchanged", result.output)
        self.assertIn("missing code", result.output)
