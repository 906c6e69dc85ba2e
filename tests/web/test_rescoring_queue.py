"""Rescoring is coalesced in the database task queue: one waiting ``score_wave`` per wave, however
many changes arrive (the demo imports answers city by city), and a change made while a rescoring
runs still leads to a rescoring afterwards. Runs the real database backend and worker."""

from __future__ import annotations

from django.core.management import call_command
from django.test import TransactionTestCase, override_settings
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from civicmeter.testing import PSI_FULL_ANSWERS, PSI_MIXED_ANSWERS, complete_answers, make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.collection.services.transfer import responses_import
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.results import selectors, tasks
from civicmeter.web.results.models import CityScore

#: The mixed answers as a file states them: the funding sources question does not apply (no dedicated
#: funding), so its cell is empty (the score is the same 3.5).
MIXED = PSI_MIXED_ANSWERS | {"s3_sources_now": ""}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def csv_of(city_slug: str, answers: dict[str, str]) -> bytes:
    header = ",".join(["city", *answers])
    row = ",".join([city_slug, *answers.values()])
    return f"{header}\n{row}\n".encode()


@override_settings(TASKS=DATABASE_TASKS)
class RescoringQueueTests(TransactionTestCase):
    """Real commits (``TransactionTestCase``): queueing happens in ``on_commit`` callbacks."""

    def setUp(self):
        self.world = w = make_world()
        answers = complete_answers(instrument_for(w.wave.instrument), PSI_MIXED_ANSWERS)
        for city in (w.city_a, w.city_b):
            response = Response.objects.create(wave=w.wave, city=city, status=Response.Status.SUBMITTED)
            rows = [Answer(response=response, question=q, value=v) for q, v in answers.items()]
            Answer.objects.bulk_create(rows)

    def import_answers(self, city, answers: dict[str, str]) -> None:
        content = csv_of(city.slug, answers)
        responses_import(actor=SYSTEM, wave=self.world.wave, filename="a.csv", content=content)

    def queued(self, status=TaskResultStatus.READY) -> int:
        return DBTaskResult.objects.filter(status=status, task_path=tasks.score_wave.module_path).count()

    def drain(self) -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    def index_of(self, city) -> float:
        run = selectors.latest_run(self.world.wave, selectors.PSI)
        return CityScore.objects.get(run=run, city=city).index

    def test_imports_city_by_city_queue_one_rescoring(self):
        self.import_answers(self.world.city_a, PSI_FULL_ANSWERS)
        self.import_answers(self.world.city_b, PSI_FULL_ANSWERS)
        self.import_answers(self.world.city_a, MIXED)
        self.assertEqual(self.queued(), 1)

    def test_after_an_import_the_drained_queue_leaves_scores_of_the_new_answers(self):
        self.drain()  # nothing queued yet: nothing scored
        self.import_answers(self.world.city_a, PSI_FULL_ANSWERS)
        self.drain()
        self.assertEqual(self.index_of(self.world.city_a), 10)
        self.import_answers(self.world.city_b, PSI_FULL_ANSWERS)
        self.import_answers(self.world.city_a, MIXED)
        self.drain()
        self.assertEqual(self.index_of(self.world.city_a), 3.5)  # hand-computed in testing.py
        self.assertEqual(self.index_of(self.world.city_b), 10)
        self.assertEqual(self.queued(), 0)

    def test_a_change_while_a_rescoring_runs_is_rescored_afterwards(self):
        self.import_answers(self.world.city_a, PSI_FULL_ANSWERS)
        running = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        running.claim("worker-1")  # the worker has started it: it may have read the old answers
        self.import_answers(self.world.city_b, PSI_FULL_ANSWERS)
        self.assertEqual(self.queued(), 1, "a new rescoring waits behind the running one")
        self.import_answers(self.world.city_a, MIXED)
        self.assertEqual(self.queued(), 1, "and takes every later change with it")
        running.set_successful(None)  # finished without seeing the later changes
        self.drain()
        self.assertEqual(self.queued(), 0)
        self.assertEqual(self.index_of(self.world.city_a), 3.5)
        self.assertEqual(self.index_of(self.world.city_b), 10)
