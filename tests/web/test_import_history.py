"""A programme moving in its history: the responses import records where answers came from (``Origin``)
and, for the system actor ``SYSTEM.as_of(when)``, when they were submitted."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.test import TestCase
from typer.testing import CliRunner

from civicmeter.cli import app
from civicmeter.instruments import tabular
from civicmeter.instruments.files import to_csv_bytes
from civicmeter.testing import PSI_FULL_ANSWERS, make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection.models import Answer, AnswerChange, ImportRun, Response
from civicmeter.web.collection.services.transfer import Origin, responses_import
from civicmeter.web.programmes.instrument_cache import instrument_for

THEN = datetime(2018, 6, 30, tzinfo=UTC)


class ImportHistoryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        instrument = instrument_for(cls.world.wave.instrument)
        rows = [tabular.CityAnswers(city="baltimore-us", answers=PSI_FULL_ANSWERS)]
        cls.content = to_csv_bytes(tabular.answers_to_frame(instrument, rows))

    def test_answers_moved_in_are_dated_and_labelled(self):
        origin = Origin(provenance="Paper survey 2018, keyed in by the secretariat.", synthetic=False)
        run = responses_import(
            actor=SYSTEM.as_of(THEN),
            wave=self.world.wave,
            filename="2018.csv",
            content=self.content,
            origin=origin,
        )
        response = Response.objects.get(wave=self.world.wave, city=self.world.city_a)
        self.assertEqual(
            (response.status, response.submitted_at, response.last_activity_at, response.provenance),
            ("submitted", THEN, THEN, "Paper survey 2018, keyed in by the secretariat."),
        )
        self.assertEqual((run.started_at, run.finished_at, run.actor), (THEN, THEN, None))
        changes = AnswerChange.objects.filter(response=response)
        self.assertEqual(changes.count(), run.inserted)
        self.assertEqual(
            set(changes.values_list("at", "source", "actor", "old_value")), {(THEN, "import", None, "")}
        )
        answers = {a.question: a.value for a in Answer.objects.filter(response=response)}
        self.assertEqual(len(answers), run.inserted)
        self.assertEqual({a.changed_in for a in Answer.objects.filter(response=response)}, {response.version})

    def test_a_person_importing_acts_now_and_without_origin_notes_stay(self):
        run = responses_import(
            actor=self.world.admin, wave=self.world.wave, filename="now.csv", content=self.content
        )
        response = Response.objects.get(wave=self.world.wave, city=self.world.city_a)
        self.assertGreater(response.submitted_at, THEN.replace(year=2025))
        self.assertEqual((response.provenance, response.synthetic), ("", False))
        self.assertEqual(set(AnswerChange.objects.values_list("actor", flat=True)), {self.world.admin.pk})
        self.assertEqual(ImportRun.objects.get().pk, run.pk)


class ImportOriginCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()

    def test_the_command_notes_where_the_answers_came_from(self):
        instrument = instrument_for(self.world.wave.instrument)
        rows = [tabular.CityAnswers(city="bilbao-es", answers=PSI_FULL_ANSWERS)]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "paper.csv"
            path.write_bytes(to_csv_bytes(tabular.answers_to_frame(instrument, rows)))
            args = [
                "responses",
                "import",
                str(path),
                "--wave",
                "2020",
                "--provenance",
                "Paper survey, keyed in.",
            ]
            result = CliRunner().invoke(app, args)
        self.assertEqual(result.exit_code, 0, result.output)
        response = Response.objects.get(city=self.world.city_b)
        self.assertEqual((response.provenance, response.synthetic), ("Paper survey, keyed in.", False))
