"""Answering a wave on the web: access, autosave, inline errors, conflicts, submission."""

from __future__ import annotations

import json

from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicmeter.testing import complete_answers, login, make_user, make_world
from civicmeter.web.accounts.models import Role
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection import services
from civicmeter.web.collection.models import Answer, AnswerChange, Response
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import Invitation, Wave

HTMX = {"HTTP_HX_REQUEST": "true"}


def store(response: Response, answers: dict[str, str]) -> None:
    for name, value in answers.items():
        services.answer_save(
            actor=SYSTEM, response=response, question=name, raw_value=value, expected_version=0
        )


class SurveyTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        cls.response = services.response_start(actor=SYSTEM, wave=cls.world.wave, city=cls.world.city_a)
        cls.other = services.response_start(actor=SYSTEM, wave=cls.world.wave, city=cls.world.city_b)
        cls.instrument = instrument_for(cls.world.wave.instrument)

    def url(self, name: str, response: Response | None = None) -> str:
        return reverse(f"collection:{name}", args=[(response or self.response).pk])

    def save(self, question: str, value, version: int = 0, client: Client | None = None, **extra):
        values = value if isinstance(value, list) else [value]
        return (client or self.client).post(
            self.url("answer"),
            {
                "question": question,
                question: values,
                f"version-{question}": str(version),
                "present": question,
                **extra,
            },
            **HTMX,
        )

    def relevance(self, http) -> set[str]:
        return set(json.loads(http["HX-Trigger"])["civicmeter:relevance"]["visible"])


class AccessTests(SurveyTestCase):
    def test_anonymous_is_sent_to_sign_in(self):
        http = self.client.get(self.url("survey"))
        self.assertRedirects(
            http,
            f"{reverse('accounts:login')}?next={self.url('survey')}",
            fetch_redirect_response=False,
        )

    def test_expired_session_sends_the_whole_page_to_sign_in(self):
        http = self.save("s2_team", "yes")
        self.assertEqual(http["HX-Redirect"], f"{reverse('accounts:login')}?next={self.url('survey')}")
        self.assertFalse(Answer.objects.exists())

    def test_respondent_of_another_city_gets_404_everywhere(self):
        login(self.client, self.world.respondent_b)
        self.assertEqual(self.client.get(self.url("survey")).status_code, 404)
        self.assertEqual(self.save("s2_team", "yes").status_code, 404)
        self.assertEqual(self.client.post(self.url("submit")).status_code, 404)
        self.assertEqual(self.client.get(self.url("history")).status_code, 404)
        self.assertFalse(Answer.objects.filter(response=self.response).exists())

    def test_outsider_gets_404(self):
        login(self.client, self.world.outsider)
        self.assertEqual(self.client.get(self.url("survey")).status_code, 404)

    def test_reviewer_sees_answers_read_only_and_cannot_save(self):
        store(self.response, {"s2_team": "yes"})
        login(self.client, self.world.reviewer)
        http = self.client.get(self.url("survey"), {"section": "s2"})
        self.assertContains(http, "You are viewing this response as programme staff; answers are read-only.")
        self.assertContains(http, 'name="s2_team" value="yes" checked disabled')
        self.assertNotContains(http, "hx-post")
        self.assertEqual(self.save("s2_team", "no", version=1).status_code, 403)
        self.assertEqual(Answer.objects.get(response=self.response, question="s2_team").value, "yes")
        self.assertEqual(self.client.get(self.url("history")).status_code, 200)

    def test_start_creates_the_response_and_opens_the_survey(self):
        login(self.client, self.world.respondent_a)
        Response.objects.filter(pk=self.response.pk).delete()
        start = reverse("collection:start", args=["test", "2020", self.world.city_a.slug])
        http = self.client.post(start)
        created = Response.objects.get(wave=self.world.wave, city=self.world.city_a)
        self.assertRedirects(http, self.url("survey", created))

    def test_start_for_another_city_is_404(self):
        login(self.client, self.world.respondent_a)
        start = reverse("collection:start", args=["test", "2020", self.world.city_b.slug])
        self.assertEqual(self.client.post(start).status_code, 404)


class InvitedWavesTests(SurveyTestCase):
    """A wave that invites cities is shown to those cities only (Athens must not see a US-only wave)."""

    def us_only_wave(self) -> Wave:
        wave = Wave.objects.create(
            programme=self.world.programme,
            code="2020-us",
            instrument=self.world.wave.instrument,
            status=Wave.Status.OPEN,
        )
        Invitation.objects.create(
            wave=wave, city=self.world.city_a, email="a@example.org", token="t-a", sent_at=timezone.now()
        )
        return wave

    def test_a_city_sees_only_the_waves_it_is_invited_to(self):
        self.us_only_wave()
        login(self.client, self.world.respondent_b)
        http = self.client.get(reverse("accounts:home"))
        self.assertEqual([a["wave"].code for a in http.context["assignments"]], ["2020"])
        login(self.client, self.world.respondent_a)
        http = self.client.get(reverse("accounts:home"))
        self.assertEqual([a["wave"].code for a in http.context["assignments"]], ["2020-us", "2020"])

    def test_an_uninvited_city_cannot_start_the_wave(self):
        wave = self.us_only_wave()
        login(self.client, self.world.respondent_b)
        start = reverse("collection:start", args=["test", wave.code, self.world.city_b.slug])
        self.assertEqual(self.client.post(start).status_code, 404)
        self.assertFalse(Response.objects.filter(wave=wave).exists())


class PageTests(SurveyTestCase):
    def setUp(self):
        login(self.client, self.world.respondent_a)

    def queries_for_section(self, section: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(self.url("survey"), {"section": section}).status_code, 200)
        return len(queries)

    def test_queries_do_not_grow_with_the_answers_given(self):
        store(self.response, {"s2_team": "yes"})
        few = self.queries_for_section("s4")
        store(self.response, {k: v for k, v in complete_answers(self.instrument).items() if k != "s2_team"})
        self.assertEqual(self.queries_for_section("s4"), few)
        self.assertLessEqual(few, 6)

    def test_the_response_is_read_without_its_instrument_workbook(self):
        with CaptureQueriesContext(connection) as queries:
            self.client.get(self.url("survey"), {"section": "s2"})
        self.assertFalse([q for q in queries if '"content"' in q["sql"]])

    def test_a_changed_answer_shows_on_the_next_load_of_the_same_section(self):
        self.assertContains(self.client.get(self.url("survey"), {"section": "s2"}), "0 of 2 required")
        store(self.response, {"s2_team": "no"})  # saved elsewhere (an import, another person)
        http = self.client.get(self.url("survey"), {"section": "s2"})
        self.assertContains(http, "1 of 2 required")
        self.assertContains(http, 'value="no" checked')
        self.assertContains(http, 'id="version-s2_team" name="version-s2_team" value="1"')

    def test_section_renders_questions_by_type_with_progress(self):
        http = self.client.get(self.url("survey"), {"section": "s2"})
        self.assertContains(
            http, '<h2 id="section-title" lang="en">2. Organisation and staff</h2>', html=True
        )
        self.assertContains(
            http,
            "<legend>Does the city have staff or a team dedicated to innovation?"
            ' <span class="required-mark" aria-hidden="true">*</span>'
            '<span class="visually-hidden"> (required)</span></legend>',
            html=True,
        )
        self.assertContains(http, 'type="number" step="1" inputmode="numeric" min="1" max="10000"')
        self.assertContains(http, 'id="q-s2_team_size" data-question="s2_team_size" hidden')
        self.assertContains(http, "0 of 2 required answers given")  # s2_team and s2_training

    def test_matrix_is_a_table_with_one_radio_group_per_row(self):
        http = self.client.get(self.url("survey"), {"section": "s1"})
        self.assertContains(http, '<th scope="row" id="label-s1_act_data_analytics">', count=1)
        self.assertContains(http, 'name="s1_act_data_analytics"', count=4)

    def test_survey_language_is_chosen_and_remembered(self):
        http = self.client.get(self.url("survey"), {"section": "s2", "lang": "es"})
        self.assertContains(http, "¿Tiene la ciudad personal o un equipo dedicado a la innovación?")
        self.assertEqual(http.cookies["django_language"].value, "es")
        http = self.client.get(self.url("survey"), {"section": "s2"})
        self.assertContains(http, "2. Organización y personal")
        http = self.client.get(self.url("survey"), {"section": "s2", "lang": "fr"})
        self.assertContains(http, "2. Organisation et personnel")

    def test_one_language_choice_for_the_whole_page(self):
        self.client.cookies["django_language"] = "fr"
        http = self.client.get(self.url("survey"), {"section": "s2", "lang": "es"})
        self.assertContains(http, '<html lang="es">')
        self.assertContains(http, "<h1>Capacidad de innovación en las ciudades</h1>", html=True)
        self.assertContains(http, "Revisar y enviar")  # the section list and the next-section button
        self.assertContains(http, "Las respuestas se guardan a medida que las introduce.")
        self.assertNotContains(http, "Vérifier et envoyer")
        saved = self.save("s2_team", "yes")
        self.assertContains(saved, '<span class="saved">Guardado</span>', html=True)
        review = self.client.get(self.url("survey"), {"section": "review"})
        self.assertContains(review, '<h2 id="section-title">Revisar y enviar</h2>', html=True)

    def test_the_language_menu_changes_the_survey_too(self):
        self.client.get(self.url("survey"), {"section": "s2", "lang": "es"})
        http = self.client.post(
            reverse("set_language"), {"language": "fr", "next": f"{self.url('survey')}?section=s2"}
        )
        self.assertRedirects(http, f"{self.url('survey')}?section=s2", fetch_redirect_response=False)
        http = self.client.get(self.url("survey"), {"section": "s2"})
        self.assertContains(http, "2. Organisation et personnel")
        self.assertContains(http, "Vérifier et envoyer")

    def test_the_language_menu_returns_to_the_section_without_the_old_choice(self):
        http = self.client.get(self.url("survey"), {"section": "s2", "lang": "es"})
        self.assertContains(
            http, f'<input name="next" type="hidden" value="{self.url("survey")}?section=s2">', html=True
        )

    def test_programme_name_follows_the_language_or_is_marked_as_english(self):
        http = self.client.get(self.url("survey"), {"section": "s2", "lang": "es"})
        self.assertContains(http, '<span lang="en">Test programme</span>', html=True)
        self.world.programme.name_translations = {"es": "Programa de prueba"}
        self.world.programme.save()
        http = self.client.get(self.url("survey"), {"section": "s2"})
        self.assertContains(http, "Programa de prueba")
        self.assertNotContains(http, "Test programme")
        http = self.client.get(self.url("survey"), {"section": "s2", "lang": "en"})
        self.assertContains(http, "Test programme")
        self.assertNotContains(http, '<span lang="en">')

    def test_resume_opens_the_first_section_with_missing_answers_in_the_language_last_used(self):
        instrument = self.instrument
        profile = {q.name for q in instrument.section("profile").questions if q.required}
        done = {k: v for k, v in complete_answers(instrument).items() if k in profile}
        self.client.get(self.url("survey"), {"section": "profile", "lang": "es"})
        for name, value in done.items():
            self.save(name, value)
        self.client.cookies["django_language"] = "en"
        home = self.client.get(reverse("accounts:home"))
        self.assertContains(home, f'href="{self.url("survey")}?lang=es"')
        http = self.client.get(self.url("survey"), {"lang": "es"})
        self.assertEqual(http.context["section"], "s1")
        self.assertContains(http, '<html lang="es">')

    def test_the_stored_instrument_title_is_the_default_language_text(self):
        self.assertEqual(self.world.wave.instrument.title, "Innovation capacity in cities")

    def test_resume_with_every_answer_given_opens_the_review(self):
        store(self.response, complete_answers(self.instrument))
        http = self.client.get(self.url("survey"))
        self.assertEqual(http.context["section"], "review")

    def test_review_lists_missing_required_answers_by_section_with_links(self):
        http = self.client.get(self.url("survey"), {"section": "review"})
        survey = self.url("survey")
        self.assertContains(http, "<h4>2. Organisation and staff</h4>", html=True)
        self.assertContains(
            http,
            f'<a href="{survey}?section=s2#q-s2_team">'
            "Does the city have staff or a team dedicated to innovation?</a>",
            html=True,
        )
        # Matrix rows are listed under their matrix's question.
        self.assertContains(
            http,
            "How often does the city use each of these activities?\n          <ul>"
            f'<li><a href="{survey}?section=s1#q-s1_act_data_analytics">Data analytics</a></li>',
        )
        self.assertContains(http, 'disabled aria-describedby="submit-help"')


class AnswerTests(SurveyTestCase):
    def setUp(self):
        login(self.client, self.world.respondent_a)

    def test_answer_saves_with_audit_record_and_reveals_dependent_questions(self):
        http = self.save("s2_team", "yes")
        self.assertContains(http, '<span class="saved">Saved</span>')
        self.assertContains(http, 'id="version-s2_team" name="version-s2_team" value="1" hx-swap-oob="true"')
        self.assertContains(http, 'id="section-nav"')
        change = AnswerChange.objects.get(response=self.response, question="s2_team")
        self.assertEqual(
            (change.old_value, change.new_value, change.actor), ("", "yes", self.world.respondent_a)
        )
        self.assertIn("s2_team_size", self.relevance(http))
        http = self.save("s2_team", "no", version=1)
        self.assertNotIn("s2_team_size", self.relevance(http))

    def test_select_multiple_stores_every_ticked_choice(self):
        self.save("s1_objectives", ["service_delivery", "save_costs"])
        self.assertEqual(
            Answer.objects.get(response=self.response, question="s1_objectives").value,
            "save_costs service_delivery",
        )

    def test_invalid_value_gets_inline_message_and_nothing_is_written(self):
        http = self.save("population", "many")
        self.assertContains(
            http,
            "<span class=\"error\">Enter a whole number (digits only), not 'many'.</span>",
            html=True,
        )
        http = self.save("population", "0")
        self.assertContains(
            http,
            '<span class="error">Enter a whole number between 1 and 50,000,000</span>',
            html=True,
        )
        self.assertFalse(Answer.objects.filter(response=self.response).exists())
        self.assertFalse(AnswerChange.objects.filter(response=self.response).exists())

    def test_a_refused_choice_is_undone_on_screen_and_the_reason_given(self):
        self.save("s1_terms", ["technology", "data_analytics"])
        http = self.save("s1_terms", ["technology", "data_analytics", "experimentation"], version=1)
        self.assertEqual(
            Answer.objects.get(response=self.response, question="s1_terms").value,
            "technology data_analytics",
        )
        restore = json.loads(http["HX-Trigger"])["civicmeter:restore"]
        self.assertEqual(restore, {"question": "s1_terms", "value": "technology data_analytics"})
        self.assertContains(
            http,
            '<span class="error">Choose at most two terms. Not saved: your earlier answer is shown '
            "again.</span>",
            html=True,
        )
        self.assertIn("civicmeter:relevance", json.loads(http["HX-Trigger"]))

    def test_a_refused_text_answer_is_left_for_the_person_to_correct(self):
        http = self.save("population", "0")
        self.assertNotIn("civicmeter:restore", json.loads(http["HX-Trigger"]))

    def test_constraint_message_is_in_the_survey_language(self):
        self.client.get(self.url("survey"), {"lang": "es"})
        http = self.save("population", "0")
        constraint = self.instrument.question("population").constraint_messages["es"]
        self.assertContains(http, f'<span class="error">{constraint}</span>', html=True)

    def test_second_editor_with_a_stale_version_sees_a_conflict_and_nothing_is_overwritten(self):
        colleague = make_user(
            "baltimore-2",
            programme=self.world.programme,
            kind=Role.Kind.RESPONDENT,
            city=self.world.city_a,
        )
        other_client = Client()
        login(other_client, colleague)
        self.save("s2_team", "yes", client=other_client)
        http = self.save("s2_team", "no", version=0)
        answer = Answer.objects.get(response=self.response, question="s2_team")
        self.assertEqual((answer.value, answer.version), ("yes", 1))
        at = answer.updated_at.strftime("%H:%M")
        self.assertContains(
            http,
            f"Someone else (baltimore-2) changed this answer at {at} to: Yes. "
            "Your value was not saved. Keep theirs, or re-enter yours.",
        )
        self.assertEqual(http["HX-Retarget"], "#section-body")
        self.assertContains(http, 'id="version-s2_team" name="version-s2_team" value="1"')
        self.assertContains(http, 'name="s2_team" value="yes" checked')
        self.assertEqual(AnswerChange.objects.filter(response=self.response).count(), 1)
        # Re-entering deliberately, now with their version, overwrites.
        self.assertContains(self.save("s2_team", "no", version=1), "Saved")
        self.assertEqual(Answer.objects.get(response=self.response, question="s2_team").value, "no")

    def test_same_person_in_two_windows_is_told_it_was_them(self):
        other_window = Client()
        login(other_window, self.world.respondent_a)
        self.save("s2_team", "yes", client=other_window)
        http = self.save("s2_team", "no", version=0)
        at = Answer.objects.get(response=self.response, question="s2_team").updated_at.strftime("%H:%M")
        self.assertContains(
            http,
            f"You changed this answer in another window at {at} to: Yes. "
            "The value here was not saved. Keep that one, or re-enter this one.",
        )

    def test_without_javascript_the_section_form_saves_and_returns_to_the_section(self):
        http = self.client.post(
            self.url("answer"),
            {
                "section": "s2",
                "s2_team": "yes",
                "version-s2_team": "0",
                "s2_training": "systematically",
                "version-s2_training": "0",
                "present": ["s2_team", "s2_training"],
            },
        )
        self.assertRedirects(http, f"{self.url('survey')}?section=s2", fetch_redirect_response=False)
        self.assertEqual(
            services.response_answers(self.response),
            {"s2_team": "yes", "s2_training": "systematically"},
        )

    def test_a_form_post_leaves_questions_it_does_not_carry_untouched(self):
        # Only a question whose "present" marker is posted counts as posted: a version field
        # alone (or nothing) is not an answer, so the stored value stays.
        kept = {"mayor": "Ana Ruiz", "website": "https://example.org"}
        store(self.response, kept)
        http = self.client.post(
            self.url("answer"),
            {"section": "profile", "version-mayor": "1", "version-website": "1"},
        )
        self.assertEqual(http.status_code, 302)
        self.assertEqual(services.response_answers(self.response), kept)

    def test_a_form_post_with_every_box_unticked_clears_the_answer(self):
        lacking = self.instrument.choices("s1_lacking").names[0]
        store(self.response, {"mayor": "Ana Ruiz", "s1_lacking": lacking})
        self.client.post(
            self.url("answer"),
            {"section": "s1", "version-s1_lacking": "1", "present": ["s1_lacking"]},
        )
        self.assertEqual(services.response_answers(self.response), {"mayor": "Ana Ruiz"})

    def test_the_section_form_marks_each_editable_question_present(self):
        http = self.client.get(self.url("survey"), {"section": "s2"})
        self.assertContains(http, '<input type="hidden" name="present" value="s2_team">', html=True)

    def test_an_autosave_without_its_present_marker_changes_nothing(self):
        store(self.response, {"mayor": "Ana Ruiz"})
        http = self.client.post(self.url("answer"), {"question": "mayor", "version-mayor": "1"}, **HTMX)
        self.assertEqual(http.status_code, 400)
        self.assertEqual(services.response_answers(self.response), {"mayor": "Ana Ruiz"})

    def test_text_inputs_carry_the_length_limit(self):
        http = self.client.get(self.url("survey"), {"section": "profile"}).content.decode()
        for name in ("mayor", "website", "lead_officers"):
            tag = http[http.index(f'id="id_{name}"') :].split(">", 1)[0]
            self.assertIn('maxlength="5000"', tag, name)

    def test_a_form_post_without_its_section_changes_nothing(self):
        store(self.response, {"population": "611648"})
        http = self.client.post(self.url("answer"), {"s2_team": "yes"})
        self.assertEqual(http.status_code, 400)
        self.assertEqual(services.response_answers(self.response), {"population": "611648"})

    def test_unknown_question_is_refused(self):
        self.assertEqual(self.save("no_such_question", "1").status_code, 400)


class SubmitTests(SurveyTestCase):
    def setUp(self):
        login(self.client, self.world.respondent_a)

    def test_submit_is_refused_while_required_answers_are_missing(self):
        http = self.client.post(self.url("submit"))
        self.assertContains(http, "The response was not submitted.")
        self.assertContains(http, "Required answers still missing")
        self.response.refresh_from_db()
        self.assertEqual(self.response.status, Response.Status.DRAFT)

    def test_submit_names_stored_answers_that_break_a_rule(self):
        answers = complete_answers(self.instrument)
        store(self.response, {k: v for k, v in answers.items() if k != "population"})
        # An import wrote a value the survey would have refused.
        services.write_answer(
            self.response, None, question="population", value="0", actor=SYSTEM, source="import"
        )
        http = self.client.post(self.url("submit"))
        self.assertContains(
            http, "<li>Population: Enter a whole number between 1 and 50,000,000</li>", html=True
        )
        self.assertContains(http, "Every required question is answered.")

    def test_complete_response_is_submitted_and_then_read_only(self):
        store(self.response, complete_answers(self.instrument))
        http = self.client.post(self.url("submit"), follow=True)
        self.assertContains(http, "The response for Baltimore has been submitted. Thank you.")
        self.assertContains(
            http,
            "This response has been submitted. It is read-only unless programme staff return it.",
        )
        self.response.refresh_from_db()
        self.assertEqual(self.response.status, Response.Status.SUBMITTED)
        page = self.client.get(self.url("survey"), {"section": "s2"})
        self.assertNotContains(page, "hx-post")
        changes = AnswerChange.objects.count()
        http = self.save("s2_training", "no", version=1)
        self.assertContains(http, "This response is submitted and can no longer be changed.")
        self.assertEqual(AnswerChange.objects.count(), changes)


class ReturnAndCloseTests(SurveyTestCase):
    def setUp(self):
        login(self.client, self.world.respondent_a)

    def test_returned_response_shows_the_note_and_can_be_edited_again(self):
        store(self.response, complete_answers(self.instrument))
        services.response_submit(actor=SYSTEM, response=self.response)
        services.response_return(
            actor=self.world.admin, response=self.response, note="Please add the team size."
        )
        http = self.client.get(self.url("survey"), {"section": "s2"})
        self.assertContains(http, "Programme staff returned this response for changes on")
        self.assertContains(http, "Please add the team size.")
        self.assertContains(http, "hx-post")
        version = Answer.objects.get(response=self.response, question="s2_training").version
        self.assertContains(self.save("s2_training", "occasionally", version=version), "Saved")

    def test_closed_wave_is_read_only(self):
        self.world.wave.status = Wave.Status.CLOSED
        self.world.wave.save(update_fields=["status"])
        http = self.client.get(self.url("survey"), {"section": "s2"})
        self.assertContains(http, "The 2020 wave is not open, so answers cannot be changed.")
        self.assertNotContains(http, "hx-post")
        self.assertContains(self.save("s2_team", "yes"), "The 2020 wave is closed.")
        self.assertFalse(Answer.objects.filter(response=self.response).exists())


class HistoryTests(SurveyTestCase):
    def test_history_lists_changes_with_labels_and_filters_by_question(self):
        login(self.client, self.world.respondent_a)
        self.save("s2_team", "yes")
        self.save("s2_training", "systematically")
        http = self.client.get(self.url("history"))
        self.assertContains(http, "Does the city have staff or a team dedicated to innovation?")
        self.assertContains(http, "<td>Yes</td>", html=True)
        http = self.client.get(self.url("history"), {"question": "s2_team"})
        self.assertNotContains(http, "Does the city train staff outside the team")
        self.assertEqual(self.client.get(self.url("history"), {"question": "nope"}).status_code, 404)
