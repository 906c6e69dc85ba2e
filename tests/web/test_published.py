"""What is public (explorer.published) and the publication services: only validated responses of
published waves, only agreed profile facts, never private free text; every change recorded."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from typer.testing import CliRunner

from civicmeter.cli import app
from civicmeter.testing import PSI_FULL_ANSWERS, PSI_MIXED_ANSWERS, complete_answers, make_city, make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.explorer import published
from civicmeter.web.programmes import services
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import Wave, WaveEvent
from civicmeter.web.results import services as results_services

SPOTLIGHT = "<script>alert('x')</script> Our lab tests new services."


def respond(wave, city, answers: dict[str, str], status: str) -> Response:
    response = Response.objects.create(wave=wave, city=city, status=status)
    Answer.objects.bulk_create([Answer(response=response, question=q, value=v) for q, v in answers.items()])
    return response


class PublishedTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = make_world(wave_status=Wave.Status.CLOSED)
        instrument = instrument_for(w.wave.instrument)
        full = complete_answers(instrument, {**PSI_FULL_ANSWERS, "spotlight": SPOTLIGHT, "mayor": "A. Mayor"})
        full["s1_strategy_text"] = "Our strategy, in our words."
        mixed = complete_answers(instrument, {**PSI_MIXED_ANSWERS, "s1_strategy_text": "stale text"})
        respond(w.wave, w.city_a, full, Response.Status.VALIDATED)
        respond(w.wave, w.city_b, mixed, Response.Status.VALIDATED)
        cls.draft_city = make_city("Athens", "GR", population=665_000)
        cls.returned_city = make_city("Lisbon", "PT", population=547_733)
        cls.submitted_city = make_city("Rochester", "US", population=208_046)
        respond(w.wave, cls.draft_city, full, Response.Status.DRAFT)
        respond(w.wave, cls.returned_city, full, Response.Status.RETURNED)
        respond(w.wave, cls.submitted_city, full, Response.Status.SUBMITTED)

    def setUp(self):
        published.clear_cache()

    def publish(self):
        services.wave_publish(actor=self.world.admin, wave=self.world.wave)

    def test_nothing_is_public_before_publication(self):
        self.assertIsNone(published.public_wave(self.world.wave))
        self.assertEqual(published.published_waves(), [])
        self.assertEqual(published.current().city_waves("baltimore-us"), [])

    def test_only_validated_responses_are_public(self):
        self.publish()
        public = published.public_wave(self.world.wave)
        self.assertEqual(set(public.cities), {"baltimore-us", "bilbao-es"})
        shares = {
            (r["question"], r["option"]): r for r in public.answer_shares() if r["question"] == "s1_strategy"
        }
        self.assertEqual(shares[("s1_strategy", "yes")]["count"], 1)
        self.assertEqual(shares[("s1_strategy", "yes")]["valid"], 2)
        for slug in ("athens-gr", "lisbon-pt", "rochester-us"):
            self.assertEqual(published.current().city_waves(slug), [])
            self.assertIsNone(public.benchmarks(slug))

    def test_publishing_needs_a_closed_wave_and_an_admin(self):
        wave = self.world.wave
        for actor in (self.world.reviewer, self.world.respondent_a, self.world.outsider):
            with self.assertRaises(PermissionDenied):
                services.wave_publish(actor=actor, wave=wave)
        services.wave_set_status(actor=self.world.admin, wave=wave, status=Wave.Status.OPEN)
        with self.assertRaises(ValidationError) as refused:
            services.wave_publish(actor=self.world.admin, wave=wave)
        self.assertIn("wave.E004", str(refused.exception))
        with self.assertRaises(ValidationError):
            services.wave_set_status(actor=self.world.admin, wave=wave, status=Wave.Status.PUBLISHED)
        self.assertEqual(Wave.objects.get(pk=wave.pk).status, Wave.Status.OPEN)

    def test_unpublishing_removes_the_wave_and_every_change_is_recorded(self):
        self.publish()
        self.assertIsNotNone(published.public_wave(self.world.wave))
        services.wave_unpublish(actor=self.world.admin, wave=self.world.wave)
        self.assertIsNone(published.public_wave(self.world.wave))
        self.assertEqual(published.current().city_waves("baltimore-us"), [])
        events = list(WaveEvent.objects.filter(wave=self.world.wave).order_by("id"))
        self.assertEqual([e.action for e in events], ["publish", "unpublish"])
        self.assertEqual(events[0].actor, self.world.admin)
        self.assertEqual((events[1].from_status, events[1].to_status), ("published", "closed"))

    def test_unpublish_of_an_unpublished_wave_is_refused(self):
        with self.assertRaises(ValidationError) as refused:
            services.wave_unpublish(actor=self.world.admin, wave=self.world.wave)
        self.assertIn("wave.E005", str(refused.exception))

    def test_profile_facts_only_with_consent(self):
        self.publish()
        city = published.public_wave(self.world.wave).cities["baltimore-us"]
        self.assertEqual(city.profile, {})
        self.assertNotIn("spotlight", city.answers)
        self.assertNotIn("mayor", city.answers)
        services.disclosure_set(
            actor=self.world.respondent_a,
            programme=self.world.programme,
            city=self.world.city_a,
            profile_fields=["spotlight"],
            private_texts=[],
        )
        city = published.public_wave(self.world.wave).cities["baltimore-us"]
        self.assertEqual(city.profile, {"spotlight": SPOTLIGHT})

    def test_private_free_text_and_text_hidden_by_skip_logic(self):
        self.publish()
        public = published.public_wave(self.world.wave)
        self.assertEqual(
            public.cities["baltimore-us"].answers["s1_strategy_text"], "Our strategy, in our words."
        )
        # Bilbao answered "no" to the strategy: the stale text is not shown (skip logic).
        self.assertNotIn("s1_strategy_text", public.cities["bilbao-es"].answers)
        services.disclosure_set(
            actor=self.world.admin,
            programme=self.world.programme,
            city=self.world.city_a,
            profile_fields=[],
            private_texts=["s1_strategy_text"],
        )
        public = published.public_wave(self.world.wave)
        self.assertNotIn("s1_strategy_text", public.cities["baltimore-us"].answers)

    def test_disclosure_permissions_and_unknown_fields(self):
        args = {"programme": self.world.programme, "city": self.world.city_b, "private_texts": []}
        with self.assertRaises(PermissionDenied):
            services.disclosure_set(actor=self.world.respondent_a, profile_fields=[], **args)
        with self.assertRaises(PermissionDenied):
            services.disclosure_set(actor=self.world.reviewer, profile_fields=[], **args)
        with self.assertRaises(ValidationError) as refused:
            services.disclosure_set(actor=self.world.respondent_b, profile_fields=["email"], **args)
        self.assertIn("programme.E006", str(refused.exception))

    def test_a_change_to_public_data_changes_the_key(self):
        self.publish()
        before = published.public_wave(self.world.wave)
        self.assertIs(published.public_wave(self.world.wave), before)
        response = Response.objects.get(wave=self.world.wave, city=self.world.city_b)
        Response.objects.filter(pk=response.pk).update(version=response.version + 1)
        Answer.objects.filter(response=response, question="s1_strategy").update(value="yes")
        after = published.public_wave(self.world.wave)
        self.assertIsNot(after, before)
        self.assertEqual(after.cities["bilbao-es"].answers["s1_strategy"], "yes")

    def test_scores_of_public_cities_with_rank_intervals(self):
        results_services.scores_compute(actor=SYSTEM, wave=self.world.wave)
        self.publish()
        public = published.public_wave(self.world.wave)
        self.assertEqual(set(public.psi.scores), {"baltimore-us", "bilbao-es"})
        score = public.psi.scores["baltimore-us"]
        self.assertEqual(score.index, 10)
        self.assertLessEqual(score.rank_p5, score.rank_p95)
        self.assertEqual(len(score.components), 5)

    def test_benchmarks_against_peer_groups(self):
        self.publish()
        public = published.public_wave(self.world.wave)
        self.assertEqual(set(public.peer_groups("baltimore-us")), {"all", "continent", "population_band"})
        found = public.benchmarks("baltimore-us", "all").statement("s1_strategy")
        self.assertEqual((found.choice, found.count, found.n), ("yes", 1, 2))
        alone = public.benchmarks("baltimore-us", "continent").statement("s1_strategy")
        self.assertEqual(alone.n, 1)


class PublicationCommandTestCase(TestCase):
    def test_wave_publish_and_unpublish_from_the_shell(self):
        world = make_world(wave_status=Wave.Status.OPEN)
        runner = CliRunner()
        refused = runner.invoke(app, ["wave", "publish", "--wave", "2020"])
        self.assertEqual(refused.exit_code, 2)
        self.assertIn("wave.E004", refused.output)
        self.assertEqual(runner.invoke(app, ["wave", "close", "--wave", "2020"]).exit_code, 0)
        done = runner.invoke(app, ["wave", "publish", "--wave", "2020"])
        self.assertEqual(done.exit_code, 0, done.output)
        self.assertIn("0 validated responses are public", done.output)
        self.assertEqual(Wave.objects.get(pk=world.wave.pk).status, Wave.Status.PUBLISHED)
        self.assertEqual(runner.invoke(app, ["wave", "unpublish", "--wave", "2020"]).exit_code, 0)
        self.assertEqual(Wave.objects.get(pk=world.wave.pk).status, Wave.Status.CLOSED)
        self.assertEqual(WaveEvent.objects.filter(wave=world.wave).count(), 3)
