"""Goals and KPIs (pages, services, ``civicmeter goals import|export``): who may edit (only the
city's team), who may read (its team and the programme's staff; another city gets 404), values by
form, file (all or nothing, CSV round trip) and outcome data, statuses under the city's rule, the
city score, and the public page only when switched on."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse
from typer.testing import CliRunner

from civicmeter.cli import app
from civicmeter.performance import Status, ValuesFileError
from civicmeter.testing import login, make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.goals import selectors, services
from civicmeter.web.goals.models import Goal, Kpi, KpiValue, ValuesImport
from civicmeter.web.wellbeing.models import OutcomeImportRun, OutcomeIndicator, OutcomeValue

VALUES = (
    b"indicator,period,value,note\n"
    b"311-on-time,2024-01,81,\n"
    b"311-on-time,2024-02,88.5,\n"
    b"311-on-time,2024-03,91,after the new routing\n"
    b"pothole-days,2024-01,6.5,\n"
    b"pothole-days,2024-02,5.2,\n"
)


def city_goals(world, city=None, *, actor=SYSTEM):
    """A goal with Boston-style indicators for ``city`` (city A by default)."""
    city = city or world.city_a
    goal = services.goal_create(
        actor=actor, programme=world.programme, city=city, title="Responsive services"
    )
    for spec in (
        services.IndicatorSpec("311-on-time", "311 cases closed on time", "%", "higher", "month", 78, 90),
        services.IndicatorSpec("pothole-days", "Days to repair a pothole", "days", "lower", "month", 7, 5),
    ):
        services.indicator_create(actor=actor, goal=goal, spec=spec)
    return goal


class ServicePermissionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()

    def test_only_the_city_s_own_team_writes(self):
        w = self.world
        goal = city_goals(w, actor=w.respondent_a)
        for user in (w.admin, w.reviewer, w.respondent_b, w.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.goal_create(actor=user, programme=w.programme, city=w.city_a, title="Not mine")
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.values_import(
                    actor=user, programme=w.programme, city=w.city_a, filename="v.csv", content=VALUES
                )
        self.assertEqual(goal.indicators.count(), 2)
        self.assertFalse(KpiValue.objects.exists())

    def test_an_indicator_code_is_unique_within_the_city(self):
        goal = city_goals(self.world)
        spec = services.IndicatorSpec("311-on-time", "Again", "%", "higher", "month")
        with self.assertRaisesMessage(ValidationError, "[goals.E013] The city already has an indicator"):
            services.indicator_create(actor=SYSTEM, goal=goal, spec=spec)

    def test_a_band_rule_needs_its_band(self):
        w = self.world
        with self.assertRaisesMessage(ValidationError, "[goals.E014] the louiestat rule needs a band"):
            services.goals_settings_set(actor=SYSTEM, programme=w.programme, city=w.city_a, rule="louiestat")


class ValuesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        city_goals(cls.world)

    def imported(self, content=VALUES, city=None):
        w = self.world
        return services.values_import(
            actor=SYSTEM, programme=w.programme, city=city or w.city_a, filename="values.csv", content=content
        )

    def test_a_file_with_bad_cells_writes_nothing_and_names_every_cell(self):
        bad = VALUES + b"311-on-time,2024-13,80,\npotholes,2024-01,3,\n311-on-time,2024-04,n/a,\n"
        with self.assertRaises(ValuesFileError) as info:
            self.imported(bad)
        self.assertEqual(info.exception.codes, ("goals.E008", "goals.E007", "goals.E009"))
        self.assertEqual(
            [(p.row, p.column) for p in info.exception.problems],
            [(7, "period"), (8, "indicator"), (9, "value")],
        )
        self.assertFalse(KpiValue.objects.exists())
        self.assertFalse(ValuesImport.objects.exists())

    def test_a_file_over_the_upload_limit_is_refused_by_its_size(self):
        with self.settings(CIVICMETER_MAX_UPLOAD_BYTES=100), self.assertRaises(ValuesFileError) as info:
            self.imported()
        self.assertEqual(info.exception.codes, ("goals.E016",))
        self.assertIn(
            "values.csv is 175\xa0bytes, above the 100\xa0bytes limit for imports", str(info.exception)
        )
        self.assertFalse(KpiValue.objects.exists())

    def test_csv_round_trip_export_then_import_changes_nothing(self):
        run = self.imported()
        self.assertEqual((run.inserted, run.updated, run.unchanged), (5, 0, 0))
        from civicmeter.performance import write_values

        exported = write_values(selectors.export_rows(self.world.programme, self.world.city_a))
        self.assertEqual(exported.splitlines()[0], "indicator,name,unit,period,value,note")
        again = self.imported(exported.encode())
        self.assertEqual((again.inserted, again.updated, again.unchanged), (0, 0, 5))
        # and into another city with the same indicators: the same values, period by period
        w = self.world
        city_goals(w, w.city_b)
        services_b = self.imported(exported.encode(), city=w.city_b)
        self.assertEqual(services_b.inserted, 5)
        rows = lambda city: sorted(  # noqa: E731
            KpiValue.objects.filter(indicator__goal__city=city).values_list(
                "indicator__code", "period_start", "value", "note"
            )
        )
        self.assertEqual(rows(w.city_a), rows(w.city_b))

    def test_a_changed_value_is_updated_and_counted(self):
        self.imported()
        run = self.imported(VALUES.replace(b"5.2", b"4.8"))
        self.assertEqual((run.inserted, run.updated, run.unchanged), (0, 1, 4))

    def test_statuses_follow_the_city_s_rule(self):
        w = self.world
        self.imported()

        def statuses():
            settings = selectors.settings_of(w.programme, w.city_a)
            goal = selectors.goals_overview(w.programme, w.city_a, settings.rule)[0]
            return {v.indicator.code: v.assessment.status for v in goal.indicators}

        # CityScore: 91/90 on target; 5/5.2 = 0.96 below one
        self.assertEqual(
            statuses(), {"311-on-time": Status.ON_TARGET, "pothole-days": Status.NEEDS_IMPROVEMENT}
        )
        services.goals_settings_set(
            actor=SYSTEM, programme=w.programme, city=w.city_a, rule="louiestat", band=0.1
        )
        self.assertEqual(statuses(), {"311-on-time": Status.ON_TARGET, "pothole-days": Status.NEAR_TARGET})

    def test_the_city_score_is_the_mean_ratio_per_window(self):
        w = self.world
        self.imported()
        (january,) = [
            s
            for s in selectors.scores_by_window(w.programme, w.city_a, "month", None)
            if s.window.label == "2024-01"
        ]
        self.assertAlmostEqual(january.score, (81 / 90 + 5 / 6.5) / 2)
        (quarter,) = selectors.scores_by_window(w.programme, w.city_a, "quarter", None)
        self.assertAlmostEqual(quarter.ratios["311-on-time"], ((81 + 88.5 + 91) / 3) / 90)

    def test_values_taken_from_the_programme_s_outcome_data(self):
        w = self.world
        outcome = OutcomeIndicator.objects.create(
            code="obesity",
            name="Adult obesity",
            dimension="health",
            unit="%",
            direction=-1,
            source="test",
            rescale="minmax",
        )
        run = OutcomeImportRun.objects.create(
            programme=w.programme,
            filename="o.csv",
            sha256="x",
            status="applied",
            started_at="2024-01-01T00:00Z",
            finished_at="2024-01-01T00:00Z",
        )
        for period, value in (("2021", 30.1), ("2022", 29.5), ("CHDB-v14", 31.0)):
            OutcomeValue.objects.create(
                programme=w.programme,
                city=w.city_a,
                indicator=outcome,
                period=period,
                value=value,
                unit="%",
                source="test",
                import_run=run,
            )
        goal = (
            city_goals(w, w.city_b) and selectors.city_indicators(w.programme, w.city_a)["311-on-time"].goal
        )
        indicator = services.indicator_create(
            actor=SYSTEM,
            goal=goal,
            spec=services.IndicatorSpec(
                "obesity", "Adult obesity", "%", "lower", "year", None, 28, outcome_indicator_id=outcome.pk
            ),
        )
        taken = services.values_from_outcomes(actor=SYSTEM, indicator=indicator)
        self.assertEqual((taken.taken, taken.skipped), (2, ("CHDB-v14",)))
        self.assertEqual(
            list(indicator.values.values_list("value", "source")), [(30.1, "outcomes"), (29.5, "outcomes")]
        )
        not_linked = selectors.city_indicators(w.programme, w.city_a)["311-on-time"]
        with self.assertRaisesMessage(ValidationError, "[goals.E015]"):
            services.values_from_outcomes(actor=SYSTEM, indicator=not_linked)


class PageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        w = cls.world
        city_goals(w)
        services.values_import(
            actor=SYSTEM, programme=w.programme, city=w.city_a, filename="v.csv", content=VALUES
        )
        cls.url = reverse("goals:manage", args=[w.programme.slug, w.city_a.slug])
        cls.public_url = reverse("goals:public", args=[w.city_a.slug])

    def get(self, user, url=None):
        self.client.logout()
        if user is not None:
            login(self.client, user)
        return self.client.get(url or self.url)

    def test_the_team_and_staff_read_it_and_another_city_gets_404(self):
        w = self.world
        for user in (w.respondent_a, w.admin, w.reviewer):
            with self.subTest(user=user.username):
                response = self.get(user)
                self.assertContains(response, "311 cases closed on time")
                self.assertContains(response, "On target")
                self.assertContains(response, "The numbers as a table")
        self.assertContains(
            self.get(w.respondent_a), 'action="/p/test/cities/baltimore-us/goals/values/import/"'
        )
        self.assertNotContains(self.get(w.admin), "values/import/")
        for user in (w.respondent_b, w.outsider):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user).status_code, 404)
        indicator = reverse("goals:indicator", args=[w.programme.slug, w.city_a.slug, "pothole-days"])
        self.assertEqual(self.get(w.respondent_b, indicator).status_code, 404)
        self.assertContains(self.get(w.reviewer, indicator), "Needs improvement")

    def test_staff_cannot_post_and_another_city_gets_404_on_posts(self):
        w = self.world
        url = reverse("goals:goal_add", args=[w.programme.slug, w.city_a.slug])
        login(self.client, w.reviewer)
        self.assertEqual(self.client.post(url, {"title": "Staff goal"}).status_code, 403)
        self.client.logout()
        login(self.client, w.respondent_b)
        self.assertEqual(self.client.post(url, {"title": "Neighbour's goal"}).status_code, 404)
        self.assertFalse(Goal.objects.filter(title__in=["Staff goal", "Neighbour's goal"]).exists())

    def test_a_bad_upload_lists_each_problem_and_writes_nothing(self):
        w = self.world
        login(self.client, w.respondent_a)
        before = KpiValue.objects.count()
        upload = reverse("goals:import", args=[w.programme.slug, w.city_a.slug])
        from django.core.files.uploadedfile import SimpleUploadedFile

        bad = SimpleUploadedFile("kpi.csv", b"indicator,period,value\n311-on-time,2024-05,lots\n")
        response = self.client.post(upload, {"file": bad}, follow=True)
        self.assertContains(response, "Nothing was imported: kpi.csv has problems to fix.")
        self.assertContains(response, "[goals.E009] row 2, column value: &#x27;lots&#x27; is not a number")
        self.assertEqual(KpiValue.objects.count(), before)

    def test_a_bad_form_names_each_field_and_goes_back_to_its_form(self):
        w = self.world
        login(self.client, w.respondent_a)
        url = reverse("goals:value_add", args=[w.programme.slug, w.city_a.slug])
        before = KpiValue.objects.count()
        response = self.client.post(url, {"indicator": "", "period": "2024-03", "value": "x"})
        self.assertRedirects(response, self.url + "#add-value", fetch_redirect_response=False)
        page = self.client.get(self.url)
        self.assertContains(page, "Indicator: This field is required.")
        self.assertContains(page, "Value: Enter a number.")
        self.assertEqual(KpiValue.objects.count(), before)

    def test_a_value_entered_in_the_form_shows_with_its_status(self):
        w = self.world
        login(self.client, w.respondent_a)
        indicator = Kpi.objects.get(code="pothole-days")
        url = reverse("goals:value_add", args=[w.programme.slug, w.city_a.slug])
        response = self.client.post(
            url, {"indicator": indicator.pk, "period": "2024-03", "value": "4.5"}, follow=True
        )
        self.assertContains(response, "Saved the value of pothole-days.")
        self.assertEqual(indicator.values.get(period_start="2024-03-01").value, 4.5)
        self.client.post(url, {"indicator": indicator.pk, "period": "March", "value": "4"}, follow=True)
        self.assertEqual(indicator.values.count(), 3)

    def test_the_team_changes_a_target_and_deletes_a_value_and_others_cannot(self):
        w = self.world
        indicator = Kpi.objects.get(code="pothole-days")
        base = [w.programme.slug, w.city_a.slug, "pothole-days"]
        edit, page = reverse("goals:indicator_edit", args=base), reverse("goals:indicator", args=base)
        fields = {"goal": indicator.goal_id, "code": "pothole-days", "name": "Days to repair a pothole"}
        fields |= {"unit": "days", "direction": "lower", "frequency": "month", "target": "5.5"}
        for user, status in ((w.reviewer, 403), (w.respondent_b, 404)):
            self.client.logout()
            login(self.client, user)
            self.assertEqual(self.client.post(edit, fields).status_code, status)
        self.client.logout()
        login(self.client, w.respondent_a)
        response = self.client.post(edit, fields, follow=True)
        self.assertContains(response, "Saved the indicator pothole-days.")
        self.assertContains(response, "On target")  # 5.2 days against the new target of 5.5
        response = self.client.post(edit, fields | {"frequency": "week"}, follow=True)
        self.assertContains(response, "[goals.E017] pothole-days has values for 2 period(s)")
        value = indicator.values.get(period_start="2024-02-01")
        delete = reverse("goals:value_delete", args=[*base, value.pk])
        self.assertContains(self.client.post(delete, follow=True), "Deleted the value of 2024-02.")
        self.assertEqual(indicator.values.count(), 1)
        self.client.logout()
        login(self.client, w.respondent_b)
        self.assertEqual(self.client.get(page).status_code, 404)

    def test_the_export_is_the_import_layout(self):
        response = self.get(self.world.admin, reverse("goals:export", args=["test", "baltimore-us"]))
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn(
            "311-on-time,311 cases closed on time,%,2024-03,91,after the new routing",
            response.content.decode(),
        )

    def test_the_public_page_is_404_until_the_city_switches_it_on(self):
        w = self.world
        self.assertEqual(self.get(None, self.public_url).status_code, 404)
        login(self.client, w.respondent_a)
        settings_url = reverse("goals:settings", args=[w.programme.slug, w.city_a.slug])
        self.client.post(settings_url, {"rule": "resultsnola", "band": "10", "public": "on"})
        response = self.get(None, self.public_url)
        self.assertContains(response, "Days to repair a pothole")
        self.assertContains(response, "as New Orleans&#x27; ResultsNOLA")
        self.assertEqual(self.get(None, reverse("goals:public", args=[w.city_b.slug])).status_code, 404)
        self.assertEqual(self.get(None, reverse("goals:public", args=["nowhere-xx"])).status_code, 404)

    def test_the_city_team_page_shows_the_goals_panel(self):
        w = self.world
        response = self.get(w.respondent_a, reverse("cityhome:page", args=[w.programme.slug, w.city_a.slug]))
        self.assertContains(response, 'id="panel-goals"')
        self.assertContains(response, "Goals, KPI values, trends and the city score: view and edit")


class GoalsCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        city_goals(cls.world)

    def run_cli(self, *args: str):
        return CliRunner().invoke(app, ["goals", *args])

    def test_import_then_export_then_import_again_changes_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            source, exported = Path(tmp) / "kpi.csv", Path(tmp) / "out.csv"
            source.write_bytes(VALUES)
            result = self.run_cli("import", str(source), "--city", "baltimore-us")
            self.assertEqual(result.exit_code, 0, result.output)
            self.assertIn("Imported kpi.csv for baltimore-us: 5 new, 0 changed, 0 unchanged.", result.output)
            result = self.run_cli("export", "--city", "baltimore-us", "--out", str(exported))
            self.assertIn("Wrote 5 values of baltimore-us", result.output)
            result = self.run_cli("import", str(exported), "--city", "baltimore-us")
            self.assertIn("0 new, 0 changed, 5 unchanged.", result.output)
        printed = self.run_cli("export", "--city", "baltimore-us").output
        self.assertTrue(printed.startswith("indicator,name,unit,period,value,note\n"))

    def test_a_bad_file_exits_2_naming_every_cell_and_writes_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "kpi.csv"
            path.write_bytes(b"indicator,period,value\n311-on-time,2024-Q1,80\npothole-days,2024-01,-\n")
            result = self.run_cli("import", str(path), "--city", "baltimore-us")
        self.assertEqual(result.exit_code, 2)
        self.assertIn("[goals.E008] row 2, column period: '2024-Q1' is not a month", result.output)
        self.assertIn("[goals.E009] row 3, column value: '-' is not a number", result.output)
        self.assertFalse(KpiValue.objects.exists() or ValuesImport.objects.exists())

    def test_a_city_without_indicators_is_named_with_the_fix(self):
        result = self.run_cli("export", "--city", "bilbao-es")
        self.assertEqual(result.exit_code, 2)
        self.assertIn("bilbao-es has no indicators in programme 'test' yet", result.output)
        result = self.run_cli("export", "--city", "atlantis-xx")
        self.assertIn("no city 'atlantis-xx'", result.output)


class DemoGoalsTests(TestCase):
    def test_the_demo_goals_load_once_through_the_services(self):
        from civicmeter.web.goals.demo import load_demo_goals

        world = make_world()
        self.assertEqual(load_demo_goals(world.programme), 1)  # only Baltimore exists here
        self.assertEqual(load_demo_goals(world.programme), 0)
        settings = selectors.settings_of(world.programme, world.city_a)
        self.assertEqual((settings.rule.name, settings.public), ("cityscore", False))
        goals = selectors.goals_overview(world.programme, world.city_a, settings.rule)
        potholes = next(v for g in goals for v in g.indicators if v.indicator.code == "pothole-days")
        self.assertEqual((potholes.indicator.direction, len(potholes.points)), ("lower", 16))
        self.assertTrue(all(p.row.note == "Synthetic demo value." for p in potholes.points))
