"""The implementation agenda: only the city's team changes it (another city gets 404), CSV out and
in (round trip, all or nothing, every bad cell with its row and column), reminders, the pages."""

from __future__ import annotations

from datetime import date, timedelta

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse
from typer.testing import CliRunner

from civicmeter.cli import app
from civicmeter.testing import login, make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.agenda import services, table
from civicmeter.web.agenda.models import AgendaAction, AgendaEvent, AgendaImport, Status
from civicmeter.web.mail.models import Delivery


def spec(**fields) -> services.ActionSpec:
    return services.ActionSpec(**{"title": "Publish an innovation strategy", **fields})


class AgendaServiceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = make_world()

    def create(self, **fields) -> AgendaAction:
        return services.action_create(
            actor=self.w.respondent_a, programme=self.w.programme, city=self.w.city_a, spec=spec(**fields)
        )

    def test_only_the_city_s_own_team_changes_its_agenda(self):
        action = self.create(owner="Ana")
        for user in (self.w.respondent_b, self.w.admin, self.w.reviewer, self.w.outsider):
            with self.subTest(user=user.username):
                with self.assertRaises(PermissionDenied):
                    services.action_create(
                        actor=user, programme=self.w.programme, city=self.w.city_a, spec=spec()
                    )
                with self.assertRaises(PermissionDenied):
                    services.action_update(actor=user, action=action, values={"status": Status.DONE})
        self.assertEqual(AgendaAction.objects.count(), 1)

    def test_a_change_records_before_and_after_and_a_stale_version_is_refused(self):
        action = self.create(status=Status.PLANNED)
        services.action_update(
            actor=self.w.respondent_a, action=action, values={"status": Status.IN_PROGRESS}, version=1
        )
        event = AgendaEvent.objects.filter(action=action, kind="changed").get()
        self.assertEqual(event.changes, {"status": ["planned", "in_progress"]})
        self.assertEqual(event.by, self.w.respondent_a)
        with self.assertRaisesMessage(
            Exception, "[agenda.E012] someone else changed this action meanwhile (now version 2)"
        ):
            services.action_update(
                actor=self.w.respondent_a, action=action, values={"status": Status.DONE}, version=1
            )
        action.refresh_from_db()
        self.assertEqual((action.status, action.version), (Status.IN_PROGRESS, 2))

    def test_csv_round_trip_changes_nothing(self):
        self.create(
            owner="Ana", owner_email="ana@example.org", due_on=date(2027, 3, 1), links="https://example.org/a"
        )
        self.create(
            title='=HYPERLINK("https://evil.example")', notes="line one\nline two", status=Status.BLOCKED
        )
        actions = AgendaAction.objects.order_by("id")
        exported = table.write_csv(actions)
        self.assertIn("'=HYPERLINK", exported)  # neutralised for spreadsheets
        run = services.agenda_import(
            actor=self.w.respondent_a,
            programme=self.w.programme,
            city=self.w.city_a,
            filename="agenda.csv",
            content=exported.encode(),
        )
        self.assertEqual((run.created, run.updated, run.unchanged), (0, 0, 2))
        self.assertEqual(table.write_csv(AgendaAction.objects.order_by("id")), exported)
        self.assertEqual(
            AgendaAction.objects.get(title__startswith="=").title, '=HYPERLINK("https://evil.example")'
        )

    def test_an_import_adds_and_changes_rows(self):
        action = self.create()
        data = (
            f"id,title,status,due_on\n{action.pk},{action.title},done,2027-01-31\n,Open the data portal,,\n"
        ).encode()
        run = services.agenda_import(
            actor=self.w.respondent_a,
            programme=self.w.programme,
            city=self.w.city_a,
            filename="a.csv",
            content=data,
        )
        self.assertEqual((run.created, run.updated, run.unchanged), (1, 1, 0))
        action.refresh_from_db()
        self.assertEqual((action.status, action.due_on), (Status.DONE, date(2027, 1, 31)))
        self.assertEqual(
            AgendaEvent.objects.filter(action=action, kind="imported").get().changes["status"],
            ["planned", "done"],
        )
        self.assertEqual(AgendaImport.objects.get().by, self.w.respondent_a)

    def test_a_bad_file_reports_every_bad_cell_and_writes_nothing(self):
        other = services.action_create(
            actor=self.w.respondent_b, programme=self.w.programme, city=self.w.city_b, spec=spec()
        )
        data = (
            "id,title,owner_email,status,starts_on,due_on,links\n"
            ",Good new row,,planned,,,\n"
            ",,ana@,finished,2027-02-30,,ftp://x\n"
            f"{other.pk},Not ours,,,,,\n"
            ",Dates backwards,,,2027-03-01,2027-02-01,\n"
        ).encode()
        with self.assertRaises(table.AgendaFileError) as caught:
            services.agenda_import(
                actor=self.w.respondent_a,
                programme=self.w.programme,
                city=self.w.city_a,
                filename="a.csv",
                content=data,
            )
        self.assertEqual(
            [str(p) for p in caught.exception.problems],
            [
                "[agenda.E007] row 3, column title: the title is empty; say what will be done",
                "[agenda.E008] row 3, column owner_email: 'ana@' is not an e-mail address",
                "[agenda.E009] row 3, column status: 'finished' is not one of planned, in_progress, "
                "blocked, done, dropped",
                "[agenda.E010] row 3, column starts_on: '2027-02-30' is not a date; write it as YYYY-MM-DD",
                "[agenda.E011] row 3, column links: 'ftp://x' is not a web address starting with https://",
                f"[agenda.E006] row 4, column id: no action {other.pk} in this city's agenda; leave id empty "
                "to add a new action",
                "[agenda.E010] row 5, column due_on: the due date is before the start date",
            ],
        )
        data = f"id,title\n{other.pk},Not ours\n".encode()
        with self.assertRaisesMessage(
            table.AgendaFileError,
            f"[agenda.E006] row 2, column id: no action {other.pk} in this city's agenda",
        ):
            services.agenda_import(
                actor=self.w.respondent_a,
                programme=self.w.programme,
                city=self.w.city_a,
                filename="a.csv",
                content=data,
            )
        self.assertEqual(AgendaAction.objects.filter(city=self.w.city_a).count(), 0)
        self.assertFalse(AgendaImport.objects.exists())

    def test_a_workbook_or_a_non_utf8_file_is_refused_with_the_fix(self):
        for data, message in (
            (b"PK\x03\x04rest", "save it as CSV (UTF-8)"),
            ("title\nCornellà\n".encode("cp1252"), "save it as CSV UTF-8"),
        ):
            with self.subTest(message=message), self.assertRaisesMessage(table.AgendaFileError, message):
                services.agenda_import(
                    actor=self.w.respondent_a,
                    programme=self.w.programme,
                    city=self.w.city_a,
                    filename="a",
                    content=data,
                )

    def test_owners_of_overdue_actions_are_reminded_once_a_week(self):
        today = date(2027, 5, 10)
        late = self.create(owner="Ana", owner_email="ana@example.org", due_on=today - timedelta(days=1))
        self.create(owner_email="done@example.org", due_on=today - timedelta(days=9), status=Status.DONE)
        self.create(owner_email="future@example.org", due_on=today)
        with self.captureOnCommitCallbacks(execute=False):
            reminded = services.reminders_send(actor=SYSTEM, today=today)
        self.assertEqual(reminded, [late])
        delivery = Delivery.objects.get()
        self.assertEqual((delivery.kind, delivery.recipients), ("reminder", ["ana@example.org"]))
        self.assertIn("was due on 2027-05-09", delivery.body)
        with self.captureOnCommitCallbacks(execute=False):
            self.assertEqual(services.reminders_send(actor=SYSTEM, today=today), [])
        with self.assertRaises(PermissionDenied):
            services.reminders_send(actor=self.w.admin, today=today)
        self.assertEqual(len(mail.outbox), 0)


class AgendaViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = make_world()
        cls.action = services.action_create(
            actor=cls.w.respondent_a, programme=cls.w.programme, city=cls.w.city_a, spec=spec()
        )

    def url(self, name, *extra, city=None):
        return reverse(f"agenda:{name}", args=[self.w.programme.slug, (city or self.w.city_a).slug, *extra])

    def test_another_city_gets_404_on_every_page(self):
        login(self.client, self.w.respondent_b)
        for name, extra in (
            ("board", ()),
            ("timeline", ()),
            ("export", ()),
            ("edit", (self.action.pk,)),
            ("add", ()),
        ):
            with self.subTest(name=name):
                self.assertEqual(self.client.get(self.url(name, *extra)).status_code, 404)
        self.assertEqual(
            self.client.post(self.url("status", self.action.pk), {"status": "done"}).status_code, 404
        )
        # its own agenda's address with our action's number: not found either
        self.assertEqual(
            self.client.get(self.url("edit", self.action.pk, city=self.w.city_b)).status_code, 404
        )

    def test_staff_read_but_do_not_change(self):
        login(self.client, self.w.admin)
        page = self.client.get(self.url("board"))
        self.assertContains(page, self.action.title)
        self.assertNotContains(page, self.url("add"))
        self.assertEqual(
            self.client.post(self.url("status", self.action.pk), {"status": "done"}).status_code, 403
        )

    def test_the_team_moves_an_action_and_exports_the_csv(self):
        login(self.client, self.w.respondent_a)
        response = self.client.post(self.url("status", self.action.pk), {"status": "done", "version": "1"})
        self.assertRedirects(response, self.url("board"))
        self.action.refresh_from_db()
        self.assertEqual(self.action.status, Status.DONE)
        csv_text = self.client.get(self.url("export")).content.decode()
        self.assertEqual(csv_text.splitlines()[0], ",".join(table.COLUMNS))
        self.assertIn(f"{self.action.pk},Publish an innovation strategy,,,done", csv_text)

    def test_the_team_edits_an_action_and_a_stale_form_is_refused(self):
        login(self.client, self.w.respondent_a)
        url = self.url("edit", self.action.pk)
        self.assertContains(self.client.get(url), 'name="version" value="1"')
        fields = {
            "title": "Publish the strategy",
            "status": "in_progress",
            "due_on": "2027-01-31",
            "version": "1",
        }
        fields |= {"links": "https://example.org/strategy https://example.org/goals"}
        self.assertRedirects(self.client.post(url, fields), self.url("board"))
        self.action.refresh_from_db()
        self.assertEqual(self.action.link_list, ["https://example.org/strategy", "https://example.org/goals"])
        page = self.client.post(url, fields | {"title": "Something else"})  # still version 1
        self.assertContains(page, "someone else changed this action meanwhile", status_code=400)
        self.action.refresh_from_db()
        self.assertEqual((self.action.title, self.action.version), ("Publish the strategy", 2))
        self.assertContains(
            self.client.get(url), "What will be done: Publish an innovation strategy → Publish the strategy"
        )
        self.assertContains(self.client.get(url), "Status: Planned → In progress")

    def test_an_upload_with_bad_cells_lists_them(self):
        login(self.client, self.w.respondent_a)
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("a.csv", b"title,due_on\nNew,31/12/2027\n", content_type="text/csv")
        page = self.client.post(self.url("import"), {"file": upload})
        self.assertContains(
            page, "[agenda.E010] row 2, column due_on: &#x27;31/12/2027&#x27; is not a date", status_code=400
        )

    def test_an_upload_above_the_import_limit_is_refused_by_its_size(self):
        login(self.client, self.w.respondent_a)
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("a.csv", b"title\n" + b"New\n" * 300, content_type="text/csv")
        with self.settings(CIVICMETER_MAX_UPLOAD_BYTES=1000):
            page = self.client.post(self.url("import"), {"file": upload})
        refusal = "a.csv is 1.2\xa0KB, above the 1000\xa0bytes limit for imports"
        self.assertContains(page, refusal, status_code=400)

    def test_the_council_pdf_is_a_pdf(self):
        login(self.client, self.w.reviewer)
        response = self.client.get(self.url("pdf"))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))


class AgendaCommandTests(TestCase):
    def test_remind_and_export(self):
        w = make_world()
        services.action_create(
            actor=w.respondent_a,
            programme=w.programme,
            city=w.city_a,
            spec=spec(owner_email="ana@example.org", due_on=date(2020, 1, 1)),
        )
        result = CliRunner().invoke(app, ["agenda", "remind", "--today", "2020-02-01"])
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("1 reminder(s) queued.", result.output)
        result = CliRunner().invoke(app, ["agenda", "export", "--city", w.city_a.slug])
        self.assertIn("Publish an innovation strategy", result.output)


class RoadmapSuggestionTests(TestCase):
    """An action can start from a step of the city's data-use roadmap (the assessment app)."""

    @classmethod
    def setUpTestData(cls):
        from civicmeter.testing import make_assessment_wave
        from civicmeter.web.assessment import services as assessment
        from civicmeter.web.collection.services import response_start

        cls.w = make_world()
        response = response_start(
            actor=cls.w.respondent_a, wave=make_assessment_wave(cls.w), city=cls.w.city_a
        )
        assessment.criterion_save(
            actor=cls.w.respondent_a,
            response=response,
            entry=assessment.CriterionEntry(
                "OD1",
                ["codified", "public"],
                "Order 12",
                evidence=assessment.NewEvidence(url="https://data.example.org/policy"),
            ),
        )
        assessment.assessment_submit(actor=cls.w.respondent_a, response=response)

    def test_the_add_page_lists_the_roadmap_and_fills_in_a_step(self):
        from civicmeter.web.agenda.suggestions import roadmap_items

        steps = roadmap_items(self.w.respondent_a, self.w.programme, self.w.city_a, "en")
        self.assertTrue(steps)
        self.assertEqual(roadmap_items(self.w.respondent_b, self.w.programme, self.w.city_a, "en"), [])
        login(self.client, self.w.respondent_a)
        add = reverse("agenda:add", args=[self.w.programme.slug, self.w.city_a.slug])
        self.assertContains(self.client.get(add), f'href="?roadmap={steps[0].code}"')
        page = self.client.get(add, {"roadmap": steps[0].code})
        self.assertContains(page, f"{steps[0].code}: {steps[0].statement}")
        self.assertContains(page, 'name="source" value="roadmap"')
