"""Responses import and export: round trip, KoboToolbox exports, bad files, nothing half-written."""

from __future__ import annotations

from pathlib import Path
from unittest import skipUnless

from django.db import connection
from django.test import TestCase, TransactionTestCase
from django.urls import reverse

from civicmeter.instruments import ResponsesImportError
from civicmeter.testing import login, make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection.models import Answer, AnswerChange, ImportRun, Response
from civicmeter.web.collection.services import transfer
from civicmeter.web.programmes.instrument_cache import instrument_for

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def demo_like_answers(instrument, seed: int) -> dict[str, str]:
    from civicmeter.demo.answers import synthetic_answers

    return synthetic_answers(
        instrument,
        city_slug="x",
        wave="2020",
        seed=seed,
        profile={"population": "500000", "population_year": "2016"},
    )


class WorldTests(TestCase):
    """A programme with one open survey wave and its cities (``make_world``), made once per class;
    ``args`` are the wave's URL arguments (programme slug, wave code)."""

    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        cls.args = [cls.world.programme.slug, cls.world.wave.code]

    def save_mayor(self, response: Response, value: str, version: int):
        """City A's respondent saves the "mayor" answer on the web, expecting ``version``."""
        from civicmeter.web.collection import services

        return services.answer_save(
            actor=self.world.respondent_a,
            response=response,
            question="mayor",
            raw_value=value,
            expected_version=version,
        )


class TransferTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        cls.instrument = instrument_for(cls.world.wave.instrument)

    def fill(self, city, answers):
        response = Response.objects.create(wave=self.world.wave, city=city, status="submitted")
        Answer.objects.bulk_create(
            [Answer(response=response, question=q, value=v) for q, v in answers.items()]
        )
        return response

    def test_export_import_into_an_empty_wave_export_gives_identical_files(self):
        answers_a = demo_like_answers(self.instrument, 1)
        answers_a["spotlight"] = '=HYPERLINK("http://evil")'  # a formula-looking cell
        self.fill(self.world.city_a, answers_a)
        self.fill(self.world.city_b, demo_like_answers(self.instrument, 2))
        for fmt in ("csv", "xlsx"):
            first = transfer.responses_export(actor=SYSTEM, wave=self.world.wave, fmt=fmt)
            Response.objects.filter(wave=self.world.wave).delete()
            run = transfer.responses_import(
                actor=SYSTEM, wave=self.world.wave, filename=f"a.{fmt}", content=first
            )
            self.assertEqual(run.status, "applied")
            self.assertGreater(run.inserted, 100)
            second = transfer.responses_export(actor=SYSTEM, wave=self.world.wave, fmt=fmt)
            self.assertEqual(first, second, fmt)
        self.assertEqual(
            Answer.objects.get(response__city=self.world.city_a, question="spotlight").value,
            answers_a["spotlight"],
        )
        self.assertIn(
            b"'=HYPERLINK", transfer.responses_export(actor=SYSTEM, wave=self.world.wave, fmt="csv")
        )

    def test_reimporting_the_same_file_changes_nothing(self):
        self.fill(self.world.city_a, demo_like_answers(self.instrument, 3))
        content = transfer.responses_export(actor=SYSTEM, wave=self.world.wave, fmt="csv")
        changes = AnswerChange.objects.count()
        run = transfer.responses_import(actor=SYSTEM, wave=self.world.wave, filename="a.csv", content=content)
        self.assertEqual((run.inserted, run.updated), (0, 0))
        self.assertGreater(run.unchanged, 50)
        self.assertEqual(AnswerChange.objects.count(), changes)

    def test_a_kobotoolbox_export_imports_by_submitting_account(self):
        content = (FIXTURES / "kobo" / "innovation_capacity_kobo.csv").read_bytes()
        run = transfer.responses_import(
            actor=SYSTEM,
            wave=self.world.wave,
            filename="kobo.csv",
            content=content,
            city_column="_submitted_by",
        )
        self.assertEqual(sorted(run.report["cities"]), ["baltimore-us", "bilbao-es"])
        baltimore = Response.objects.get(wave=self.world.wave, city=self.world.city_a)
        self.assertEqual(baltimore.answers.get(question="s2_team_size").value, "10")
        self.assertEqual(baltimore.changes.first().source, "import")

    def test_bad_cells_and_unknown_cities_are_all_reported_and_nothing_is_written(self):
        header = "city,city_name,s1_strategy,s2_team,s2_team_size,s1_approach\n"
        rows = "baltimore-us,Baltimore,maybe,yes,20000,specific\natlantis-xx,Atlantis,yes,no,,holistic\n"
        with self.assertRaises(ResponsesImportError) as caught:
            transfer.responses_import(
                actor=SYSTEM,
                wave=self.world.wave,
                filename="bad.csv",
                content=(header + rows).encode(),
            )
        problems = {(p.code, p.row, p.column) for p in caught.exception.problems}
        self.assertIn(("import.E100", 3, "city"), problems)
        self.assertTrue(any(p.row == 2 and p.column == "s1_strategy" for p in caught.exception.problems))
        self.assertTrue(any(p.row == 2 and p.column == "s2_team_size" for p in caught.exception.problems))
        unknown = next(p for p in caught.exception.problems if p.code == "import.E100")
        self.assertEqual(unknown.message, transfer.UNKNOWN_CITY.format(key="atlantis-xx"))
        self.assertFalse(Response.objects.exists())
        self.assertEqual(ImportRun.objects.get().status, "rejected")

    def test_non_utf8_file_is_refused_clearly_unless_its_encoding_is_given(self):
        content = "city,city_name,mayor\nbilbao-es,Bilbao,Juan María Aburto\n".encode("cp1252")
        with self.assertRaises(ResponsesImportError) as caught:
            transfer.responses_import(actor=SYSTEM, wave=self.world.wave, filename="cp.csv", content=content)
        self.assertEqual(caught.exception.codes, ["import.E001"])
        self.assertIn("it looks like cp1252", str(caught.exception))
        self.assertFalse(Answer.objects.exists())
        transfer.responses_import(
            actor=SYSTEM,
            wave=self.world.wave,
            filename="cp.csv",
            content=content,
            encoding="cp1252",
        )
        self.assertEqual(Answer.objects.get(question="mayor").value, "Juan María Aburto")


class TransferViewTests(WorldTests):
    def test_admin_downloads_xlsx_and_csv(self):
        login(self.client, self.world.admin)
        response = self.client.get(reverse("collection:export", args=[*self.args, "xlsx"]))
        self.assertEqual(
            response["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        self.assertIn('filename="test-2020-responses.xlsx"', response["Content-Disposition"])

    def test_upload_with_problems_lists_them_and_writes_nothing(self):
        login(self.client, self.world.admin)
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile(
            "bad.csv", b"city,s1_strategy\natlantis-xx,yes\n", content_type="text/csv"
        )
        response = self.client.post(
            reverse("collection:import", args=self.args), {"file": upload, "city_column": "city"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Nothing was written.", status_code=400)
        self.assertContains(response, "import.E100", status_code=400)
        self.assertFalse(Response.objects.exists())


class PartialImportTests(TestCase):
    """A file carries only the columns it means to change (issue 7, item 1)."""

    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        cls.instrument = instrument_for(cls.world.wave.instrument)

    def setUp(self):
        response = Response.objects.create(wave=self.world.wave, city=self.world.city_b, status="submitted")
        answers = {**demo_like_answers(self.instrument, 4), "mayor": "Juan", "spotlight": "Open data"}
        Answer.objects.bulk_create(
            [Answer(response=response, question=q, value=v) for q, v in answers.items()]
        )
        self.before = dict(Answer.objects.filter(response=response).values_list("question", "value"))

    def stored(self) -> dict[str, str]:
        answers = Answer.objects.filter(response__city=self.world.city_b)
        return {q: v for q, v in answers.values_list("question", "value") if v}

    def test_an_absent_column_leaves_its_answer_untouched(self):
        run = transfer.responses_import(
            actor=SYSTEM, wave=self.world.wave, filename="p.csv", content=b"city,mayor\nbilbao-es,X\n"
        )
        self.assertEqual((run.inserted, run.updated, run.cleared), (0, 1, 0))
        expected = {q: v for q, v in self.before.items() if v}
        expected["mayor"] = "X"
        self.assertEqual(self.stored(), expected)
        self.assertEqual(AnswerChange.objects.count(), 1)

    def test_an_explicit_empty_cell_clears_and_is_counted(self):
        run = transfer.responses_import(
            actor=SYSTEM, wave=self.world.wave, filename="p.csv", content=b"city,mayor\nbilbao-es,\n"
        )
        self.assertEqual((run.inserted, run.updated, run.cleared, run.unchanged), (0, 0, 1, 0))
        self.assertNotIn("mayor", self.stored())
        self.assertEqual(run.report["counts"], {"added": 0, "changed": 0, "cleared": 1, "unchanged": 0})

    def test_the_cli_reports_added_changed_cleared_unchanged(self):
        from typer.testing import CliRunner

        from civicmeter.cli import app

        path = Path(self.enterContext(__import__("tempfile").TemporaryDirectory())) / "p.csv"
        path.write_bytes(b"city,mayor,spotlight\nbilbao-es,,\n")
        result = CliRunner().invoke(app, ["responses", "import", str(path), "--wave", "2020"])
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("0 answers added, 0 changed, 2 cleared, 0 unchanged", result.output)


class WebImportReportTests(WorldTests):
    def test_the_web_message_counts_cleared_answers_and_keeps_absent_columns(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = Response.objects.create(wave=self.world.wave, city=self.world.city_b, status="submitted")
        Answer.objects.create(response=response, question="mayor", value="Juan")
        Answer.objects.create(response=response, question="spotlight", value="Open data")
        login(self.client, self.world.admin)
        upload = SimpleUploadedFile("p.csv", b"city,spotlight\nbilbao-es,\n", content_type="text/csv")
        page = self.client.post(
            reverse("collection:import", args=self.args), {"file": upload, "city_column": "city"}, follow=True
        )
        self.assertContains(page, "0 answers added, 0 changed, 1 cleared, 0 unchanged")
        self.assertEqual(Answer.objects.get(question="mayor").value, "Juan")


class ConflictTests(WorldTests):
    """An import never overwrites an answer changed on the web after the file was exported (item 2)."""

    def test_an_answer_changed_on_the_web_since_the_export_is_reported_not_overwritten(self):

        response = Response.objects.create(wave=self.world.wave, city=self.world.city_a)
        self.save_mayor(response, "Pugh", 0)
        exported = transfer.responses_export(actor=SYSTEM, wave=self.world.wave, fmt="csv")
        self.save_mayor(response, "Young", 1)
        edited = exported.replace(b"Pugh", b"Scott")
        with self.assertRaises(ResponsesImportError) as caught:
            transfer.responses_import(actor=SYSTEM, wave=self.world.wave, filename="e.csv", content=edited)
        [problem] = caught.exception.problems
        self.assertEqual((problem.code, problem.row, problem.column), ("import.E103", 2, "mayor"))
        self.assertIn("'Young' by baltimore-us", problem.message)
        self.assertEqual(Answer.objects.get(question="mayor").value, "Young")
        self.assertEqual(ImportRun.objects.get().status, "rejected")
        # Re-exporting gives a file that carries the new version: the edit then applies.
        fresh = transfer.responses_export(actor=SYSTEM, wave=self.world.wave, fmt="csv")
        run = transfer.responses_import(
            actor=SYSTEM, wave=self.world.wave, filename="f.csv", content=fresh.replace(b"Young", b"Scott")
        )
        self.assertEqual(run.updated, 1)
        answer = Answer.objects.get(question="mayor")
        self.assertEqual((answer.value, answer.version), ("Scott", 3))
        self.assertEqual(Response.objects.get().version, 4)

    def test_a_web_save_after_an_import_sees_the_imports_version(self):

        response = Response.objects.create(wave=self.world.wave, city=self.world.city_a)
        self.save_mayor(response, "Pugh", 0)
        transfer.responses_import(
            actor=SYSTEM, wave=self.world.wave, filename="i.csv", content=b"city,mayor\nbaltimore-us,Scott\n"
        )
        stale = self.save_mayor(response, "Young", 1)
        self.assertIsNotNone(stale.conflict)
        self.assertEqual(Answer.objects.get(question="mayor").value, "Scott")


@skipUnless(connection.vendor == "postgresql", "row locks need PostgreSQL (SQLite locks the whole file)")
class ConcurrentImportTests(TransactionTestCase):
    """Imports and web saves at the same time (issue 7, item 2), on PostgreSQL with real threads.

    Imports carry the cities in different orders; some carry the export's response version and an
    old mayor, so they must be refused once a respondent has changed a mayor; none may deadlock,
    reuse a version or overwrite a web edit.
    """

    CITIES = 6

    def setUp(self):
        from civicmeter.testing import make_city, make_user
        from civicmeter.web.accounts.models import Role
        from civicmeter.web.collection import services

        self.world = make_world()
        self.cities = [make_city(f"Town {i}", "ES") for i in range(self.CITIES)]
        self.users = {}
        for city in self.cities:
            user = make_user(city.slug, programme=self.world.programme, kind=Role.Kind.RESPONDENT, city=city)
            self.users[city.slug] = user
            response = Response.objects.create(wave=self.world.wave, city=city)
            services.answer_save(
                actor=user, response=response, question="mayor", raw_value="m0", expected_version=0
            )
        self.export = transfer.responses_export(actor=SYSTEM, wave=self.world.wave, fmt="csv")

    def _import_files(self, seed: int) -> list[bytes]:
        import csv
        import io
        import random

        rows = list(csv.DictReader(io.StringIO(self.export.decode("utf-8-sig"))))
        chance = random.Random(seed)
        files = []
        for i in range(4):
            chance.shuffle(rows)
            with_version = i % 2 == 0
            lines = ["city,response_version,mayor,spotlight" if with_version else "city,spotlight"]
            for row in rows:
                note = f"import {seed}-{i}"
                lines.append(
                    f"{row['city']},{row['response_version']},{row['mayor']},{note}"
                    if with_version
                    else f"{row['city']},{note}"
                )
            files.append(("\n".join(lines) + "\n").encode())
        return files

    def _run_imports(self, seed: int, failures: list) -> None:
        try:
            for content in self._import_files(seed):
                try:
                    transfer.responses_import(
                        actor=SYSTEM, wave=self.world.wave, filename="c.csv", content=content
                    )
                except ResponsesImportError as exc:
                    if set(exc.codes) != {"import.E103"}:
                        failures.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - a deadlock or any crash fails the test below
            failures.append(repr(exc))
        finally:
            connection.close()

    def _run_web_saves(self, seed: int, saved: dict, failures: list) -> None:
        from civicmeter.web.collection import services

        try:
            for i in range(8):
                city = self.cities[(seed + i) % self.CITIES]
                response = Response.objects.get(wave=self.world.wave, city=city)
                version = Answer.objects.get(response=response, question="mayor").version
                value = f"web {seed}-{i}"
                result = services.answer_save(
                    actor=self.users[city.slug], response=response, question="mayor", raw_value=value,
                    expected_version=version,
                )  # fmt: skip
                if result.saved:
                    saved.setdefault(city.slug, []).append(value)
        except Exception as exc:  # noqa: BLE001
            failures.append(repr(exc))
        finally:
            connection.close()

    def test_no_deadlock_no_reused_version_no_silent_overwrite(self):
        import threading

        failures: list[str] = []
        saved: dict[str, list[str]] = {}
        threads = [threading.Thread(target=self._run_imports, args=(s, failures)) for s in range(4)]
        threads += [threading.Thread(target=self._run_web_saves, args=(s, saved, failures)) for s in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(failures, [])
        self.assertFalse(AnswerChange.objects.filter(source="import", question="mayor").exists())
        for answer in Answer.objects.all():
            changes = AnswerChange.objects.filter(response=answer.response, question=answer.question)
            self.assertEqual(changes.count(), answer.version, (answer.response.city.slug, answer.question))
        for response in Response.objects.all():
            versions = list(Answer.objects.filter(response=response).values_list("changed_in", flat=True))
            self.assertLessEqual(max(versions), response.version)
            mayor = Answer.objects.get(response=response, question="mayor").value
            self.assertEqual(mayor, (saved.get(response.city.slug) or ["m0"])[-1])


class ClosedAndValidatedTests(WorldTests):
    """Imports into a closed wave or a validated response need saying so (issue 7, item 3)."""

    def test_a_closed_wave_is_refused_unless_allowed(self):
        self.world.wave.status = "closed"
        self.world.wave.save()
        content = b"city,mayor\nbaltimore-us,Scott\n"
        with self.assertRaises(ResponsesImportError) as caught:
            transfer.responses_import(actor=SYSTEM, wave=self.world.wave, filename="c.csv", content=content)
        self.assertEqual(caught.exception.codes, ["import.E104"])
        self.assertIn("closed", str(caught.exception))
        self.assertFalse(Answer.objects.exists())
        run = transfer.responses_import(
            actor=SYSTEM, wave=self.world.wave, filename="c.csv", content=content, allow_closed=True
        )
        self.assertEqual(run.inserted, 1)

    def test_a_validated_response_is_refused_unless_allowed(self):
        response = Response.objects.create(wave=self.world.wave, city=self.world.city_a, status="validated")
        Answer.objects.create(response=response, question="mayor", value="Pugh")
        content = b"city,mayor\nbaltimore-us,Scott\nbilbao-es,Aburto\n"
        with self.assertRaises(ResponsesImportError) as caught:
            transfer.responses_import(actor=SYSTEM, wave=self.world.wave, filename="v.csv", content=content)
        [problem] = caught.exception.problems
        self.assertEqual((problem.code, problem.row), ("import.E105", 2))
        self.assertEqual(Answer.objects.get().value, "Pugh")
        unchanged = b"city,mayor\nbaltimore-us,Pugh\n"
        transfer.responses_import(actor=SYSTEM, wave=self.world.wave, filename="u.csv", content=unchanged)
        transfer.responses_import(
            actor=SYSTEM, wave=self.world.wave, filename="v.csv", content=content, allow_closed=True
        )
        self.assertEqual(Answer.objects.get(response=response).value, "Scott")

    def test_the_cli_and_the_web_take_the_flag(self):
        import tempfile

        from django.core.files.uploadedfile import SimpleUploadedFile
        from typer.testing import CliRunner

        from civicmeter.cli import app

        self.world.wave.status = "closed"
        self.world.wave.save()
        login(self.client, self.world.admin)
        url = reverse("collection:import", args=[self.world.programme.slug, "2020"])
        refused = self.client.post(
            url, {"file": SimpleUploadedFile("c.csv", b"city,mayor\nbaltimore-us,A\n"), "city_column": "city"}
        )
        self.assertContains(refused, "import.E104", status_code=400)
        self.client.post(
            url,
            {
                "file": SimpleUploadedFile("c.csv", b"city,mayor\nbaltimore-us,A\n"),
                "city_column": "city",
                "allow_closed": "on",
            },
        )
        self.assertEqual(Answer.objects.get().value, "A")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "c.csv"
            path.write_bytes(b"city,mayor\nbaltimore-us,B\n")
            runner = CliRunner()
            result = runner.invoke(app, ["responses", "import", str(path), "--wave", "2020"])
            self.assertEqual(result.exit_code, 2)
            self.assertIn("--allow-closed", result.output)
            allowed = ["responses", "import", str(path), "--wave", "2020", "--allow-closed"]
            result = runner.invoke(app, allowed)
            self.assertEqual(result.exit_code, 0, result.output)
        self.assertEqual(Answer.objects.get().value, "B")


class MultipleChoiceOrderTests(WorldTests):
    def test_reimporting_an_unchanged_export_changes_nothing_whatever_the_stored_order(self):
        response = Response.objects.create(wave=self.world.wave, city=self.world.city_a, status="submitted")
        Answer.objects.create(response=response, question="s1_approach", value="specific")
        stored = "digital_governance transport"  # not the choice list's order
        Answer.objects.create(response=response, question="s1_policy_areas", value=stored)
        for fmt in ("csv", "xlsx"):
            content = transfer.responses_export(actor=SYSTEM, wave=self.world.wave, fmt=fmt)
            run = transfer.responses_import(
                actor=SYSTEM, wave=self.world.wave, filename=f"a.{fmt}", content=content
            )
            self.assertEqual((run.inserted, run.updated, run.cleared), (0, 0, 0), fmt)
        self.assertFalse(AnswerChange.objects.exists())


class ImportLimitsTests(TestCase):
    """Resource limits and clear refusals on the web and the CLI (issue 7, items 7, 9, 10)."""

    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        cls.url = reverse("collection:import", args=[cls.world.programme.slug, "2020"])

    def post(self, name: str, content: bytes, **fields):
        from django.core.files.uploadedfile import SimpleUploadedFile

        login(self.client, self.world.admin)
        upload = SimpleUploadedFile(name, content)
        return self.client.post(self.url, {"file": upload, "city_column": "city", **fields})

    def test_a_file_above_the_upload_limit_is_refused_and_only_its_size_is_kept(self):
        with self.settings(CIVICMETER_MAX_UPLOAD_BYTES=1000):
            page = self.post("big.csv", b"city,mayor\n" + b"bilbao-es,Juan\n" * 100)
        self.assertContains(page, "import.E017", status_code=400)
        self.assertContains(
            page, "big.csv is 1.5\xa0KB, above the 1000\xa0bytes limit for imports", status_code=400
        )
        self.assertContains(page, "CIVICMETER_MAX_UPLOAD_BYTES", status_code=400)
        run = ImportRun.objects.get()
        self.assertEqual((run.status, run.size), ("rejected", 1511))
        self.assertNotIn("bilbao-es,Juan", str(run.report))

    def test_the_cli_refuses_a_file_above_the_limit_without_a_traceback(self):
        import tempfile

        from typer.testing import CliRunner

        from civicmeter.cli import app

        with tempfile.TemporaryDirectory() as folder, self.settings(CIVICMETER_MAX_UPLOAD_BYTES=1000):
            path = Path(folder) / "big.csv"
            path.write_bytes(b"city,mayor\n" + b"bilbao-es,Juan\n" * 100)
            result = CliRunner().invoke(app, ["responses", "import", str(path), "--wave", "2020"])
        self.assertEqual(result.exit_code, 2)
        self.assertIn("import.E017", result.output)
        self.assertNotIn("Traceback", result.output)

    def test_problems_stop_at_200_and_say_how_many_more(self):
        rows = "".join(f"nowhere-{i},x\n" for i in range(450))
        page = self.post("many.csv", ("city,mayor\n" + rows).encode())
        self.assertContains(page, "450 problems", status_code=400)
        self.assertContains(page, "250 more problems, not listed", status_code=400)
        self.assertEqual(page.content.count(b"import.E100"), 200)
        run = ImportRun.objects.get()
        self.assertEqual((len(run.report["problems"]), run.report["more"]), (200, 250))

    def test_files_that_are_not_tables_are_named_on_the_web_and_the_cli(self):
        import tempfile

        from typer.testing import CliRunner

        from civicmeter.cli import app

        png = b"\x89PNG\r\n\x1a\n" + bytes(100)
        page = self.post("answers.xlsx", png)
        self.assertContains(page, "is a PNG image", status_code=400)
        long_cell = b"city,mayor\nbilbao-es," + b"y" * 140_000 + b"\n"
        page = self.post("long.csv", long_cell)
        self.assertContains(page, "import.E014", status_code=400)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "answers.xlsx"
            path.write_bytes(png)
            result = CliRunner().invoke(app, ["responses", "import", str(path), "--wave", "2020"])
        self.assertEqual(result.exit_code, 2)
        self.assertIn("is a PNG image", result.output)
        self.assertNotIn("Traceback", result.output)

    def test_the_web_form_takes_the_encoding_the_error_asks_for(self):
        content = "city,mayor\nbilbao-es,Juan María Aburto\n".encode("cp1252")
        page = self.post("cp.csv", content)
        self.assertContains(page, "choose cp1252 under &#x27;Encoding&#x27;", status_code=400)
        self.assertContains(page, '<option value="cp1252">', status_code=400)
        self.post("cp.csv", content, encoding="cp1252")
        self.assertEqual(Answer.objects.get(question="mayor").value, "Juan María Aburto")


class TextLimitTests(WorldTests):
    def test_a_web_save_over_the_text_limit_is_refused_and_nothing_is_stored(self):

        response = Response.objects.create(wave=self.world.wave, city=self.world.city_a)
        result = self.save_mayor(response, "x" * 5_000_000, 0)
        self.assertEqual(result.error, "Keep this answer to 5,000 characters at most (it has 5,000,000).")
        self.assertFalse(Answer.objects.exists())
        self.assertFalse(AnswerChange.objects.exists())

    def test_an_import_over_the_text_limit_is_refused_with_the_place(self):
        content = b"city,mayor\nbilbao-es," + b"x" * 6000 + b"\n"
        with self.assertRaises(ResponsesImportError) as caught:
            transfer.responses_import(actor=SYSTEM, wave=self.world.wave, filename="t.csv", content=content)
        [problem] = caught.exception.problems
        self.assertEqual((problem.code, problem.row, problem.column), ("import.E015", 2, "mayor"))


class ExportEveryCityTests(TestCase):
    """The export lists every invited city with its status, typed numbers, optional labels (issue 8.13)."""

    @classmethod
    def setUpTestData(cls):
        from django.utils import timezone

        from civicmeter.testing import make_city
        from civicmeter.web.programmes.models import Invitation

        cls.world = make_world()
        cls.instrument = instrument_for(cls.world.wave.instrument)
        cls.athens = make_city("Athens", "GR")
        Invitation.objects.create(
            wave=cls.world.wave, city=cls.athens, email="a@example.org", token="t-a", sent_at=timezone.now()
        )

    def setUp(self):
        response = Response.objects.create(wave=self.world.wave, city=self.world.city_a, status="submitted")
        answers = {**demo_like_answers(self.instrument, 5), "population": "585708", "s1_strategy": "yes"}
        Answer.objects.bulk_create(
            [Answer(response=response, question=q, value=v) for q, v in answers.items()]
        )

    def rows(self, fmt="csv", **options):
        from civicmeter.instruments.files import read_table

        content = transfer.responses_export(actor=SYSTEM, wave=self.world.wave, fmt=fmt, **options)
        return content, read_table(content).set_index("city")

    def test_an_invited_city_that_has_not_started_is_listed_with_its_status(self):
        content, rows = self.rows()
        self.assertEqual(list(rows.index), ["athens-gr", "baltimore-us"])
        self.assertEqual(rows.loc["athens-gr", "status"], "not_started")
        self.assertEqual(rows.loc["baltimore-us", "status"], "submitted")
        self.assertEqual(rows.loc["athens-gr", "mayor"], "")
        run = transfer.responses_import(actor=SYSTEM, wave=self.world.wave, filename="a.csv", content=content)
        self.assertEqual((run.inserted, run.updated, run.cleared), (0, 0, 0))
        self.assertFalse(Response.objects.filter(city=self.athens).exists())

    def test_xlsx_numbers_are_numeric_cells_and_text_stays_text(self):
        import io

        from openpyxl import load_workbook

        content = transfer.responses_export(actor=SYSTEM, wave=self.world.wave, fmt="xlsx")
        sheet = load_workbook(io.BytesIO(content)).active
        header = [c.value for c in sheet[1]]
        baltimore = [c.value for c in sheet[3]]
        self.assertEqual(baltimore[header.index("population")], 585708)
        self.assertEqual(baltimore[header.index("response_version")], 1)
        self.assertEqual(baltimore[header.index("s1_strategy")], "yes")
        first = content
        Response.objects.all().delete()
        transfer.responses_import(actor=SYSTEM, wave=self.world.wave, filename="a.xlsx", content=first)
        self.assertEqual(transfer.responses_export(actor=SYSTEM, wave=self.world.wave, fmt="xlsx"), first)

    def test_a_labels_export_reads_in_the_chosen_language_and_is_refused_on_import(self):
        content, rows = self.rows(labels="es")
        self.assertEqual(rows.loc["baltimore-us", "s1_strategy"], "Sí")
        self.assertEqual(rows.loc["baltimore-us", "labels_language"], "es")
        self.assertEqual(rows.loc["baltimore-us", "population"], "585708")
        with self.assertRaises(ResponsesImportError) as caught:
            transfer.responses_import(actor=SYSTEM, wave=self.world.wave, filename="l.csv", content=content)
        self.assertEqual(caught.exception.codes, ["import.E019"])
        self.assertIn("without labels", str(caught.exception))

    def test_an_unknown_labels_language_is_refused(self):
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            transfer.responses_export(actor=SYSTEM, wave=self.world.wave, fmt="csv", labels="de")

    def test_the_web_and_the_cli_offer_labels(self):
        import tempfile

        from typer.testing import CliRunner

        from civicmeter.cli import app

        login(self.client, self.world.admin)
        dashboard = self.client.get(reverse("collection:dashboard", args=[self.world.programme.slug, "2020"]))
        self.assertContains(dashboard, 'name="labels"')
        url = reverse("collection:export", args=[self.world.programme.slug, "2020", "csv"])
        page = self.client.get(url, {"labels": "fr"})
        self.assertIn(b"Oui", page.content)
        self.assertIn('-labels-fr.csv"', page["Content-Disposition"])
        self.assertEqual(self.client.get(url, {"labels": "xx"}).status_code, 400)
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "r.csv"
            args = ["responses", "export", "--wave", "2020", "--out", str(out), "--labels", "es"]
            result = CliRunner().invoke(app, args)
            self.assertEqual(result.exit_code, 0, result.output)
            self.assertIn("Sí", out.read_bytes().decode("utf-8-sig"))


class PartialImportConditionsTests(WorldTests):
    """A partial file is checked against the city's stored answers for what it leaves out."""

    def test_a_dependent_answer_imports_when_its_condition_is_stored(self):
        response = Response.objects.create(wave=self.world.wave, city=self.world.city_a, status="submitted")
        Answer.objects.create(response=response, question="s2_team", value="yes")
        content = b"city,s2_team_size\nbaltimore-us,12\n"
        run = transfer.responses_import(actor=SYSTEM, wave=self.world.wave, filename="p.csv", content=content)
        self.assertEqual(run.inserted, 1)
        self.assertEqual(Answer.objects.get(question="s2_team_size").value, "12")

    def test_a_dependent_answer_is_still_refused_when_the_stored_condition_hides_it(self):
        response = Response.objects.create(wave=self.world.wave, city=self.world.city_a, status="submitted")
        Answer.objects.create(response=response, question="s2_team", value="no")
        content = b"city,s2_team_size\nbaltimore-us,12\n"
        with self.assertRaises(ResponsesImportError) as caught:
            transfer.responses_import(actor=SYSTEM, wave=self.world.wave, filename="p.csv", content=content)
        self.assertEqual(caught.exception.codes, ["import.E009"])


class WebSaveOrderTests(WorldTests):
    def test_saving_the_same_choices_in_another_order_is_no_change(self):
        from civicmeter.web.collection import services

        response = Response.objects.create(wave=self.world.wave, city=self.world.city_a)
        Answer.objects.create(response=response, question="s1_approach", value="specific")
        stored = "digital_governance transport"  # not the choice list's order
        Answer.objects.create(response=response, question="s1_policy_areas", value=stored)
        result = services.answer_save(
            actor=self.world.respondent_a,
            response=response,
            question="s1_policy_areas",
            raw_value=["transport", "digital_governance"],
            expected_version=0,  # stale: a real change would be a conflict
        )
        self.assertIsNone(result.conflict)
        self.assertFalse(AnswerChange.objects.exists())
