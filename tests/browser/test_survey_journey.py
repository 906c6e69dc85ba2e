"""A city respondent answers the survey in a real browser: autosave, skip logic, resume, language,
keyboard-only choices, phone width, and submission."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from civicmeter.testing import complete_answers, make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection import services
from civicmeter.web.collection.models import Response
from civicmeter.web.programmes.instrument_cache import instrument_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_the_rest(response: Response) -> None:
    """Fill every still-missing required answer (first option, lowest allowed number...)."""
    instrument = instrument_for(response.wave.instrument)
    current = services.response_answers(response)
    for name, value in complete_answers(instrument, current).items():
        if name not in current:
            services.answer_save(
                actor=SYSTEM, response=response, question=name, raw_value=value, expected_version=0
            )


def open_section(page, label: str) -> None:
    page.get_by_role("navigation", name="Survey sections").get_by_role(
        "link", name=re.compile(re.escape(label))
    ).click()


def csp_reports(page) -> list[str]:
    """Collects what the browser says about Content-Security-Policy violations on ``page``."""
    reports: list[str] = []
    page.on("console", lambda m: reports.append(m.text) if "Content Security Policy" in m.text else None)
    return reports


def test_respondent_answers_resumes_switches_language_and_submits(page, live_server, sign_in):
    make_world()
    violations = csp_reports(page)
    sign_in(page, "baltimore-us")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name="City profile")).to_be_visible()

    population = page.get_by_role("spinbutton", name="Population (required)")
    population.fill("0")
    population.press("Tab")
    expect(page.locator("#state-population")).to_have_text("Enter a whole number between 1 and 50,000,000")
    population.fill("611648")
    population.press("Tab")
    expect(page.locator("#state-population")).to_contain_text("Saved")

    open_section(page, "2. Organisation and staff")
    team_size = page.get_by_label("How many staff work on the team?")
    expect(team_size).to_be_hidden()
    page.locator("#q-s2_team").get_by_label("Yes").focus()
    page.keyboard.press("Space")  # keyboard alone: choose with space
    expect(team_size).to_be_visible()
    team_size.fill("10")
    team_size.press("Tab")
    expect(page.locator("#state-s2_team_size")).to_contain_text("Saved")
    expect(page.locator("#section-nav [aria-current=page]")).to_contain_text("2 of 7 required answers given")

    # Leave and come back: the answers are still there.
    page.get_by_role("button", name=re.compile("Sign out")).click()
    sign_in(page, "baltimore-us")
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("spinbutton", name="Population (required)")).to_have_value("611648")
    open_section(page, "2. Organisation and staff")
    expect(page.locator("#q-s2_team").get_by_label("Yes")).to_be_checked()
    expect(page.get_by_label("How many staff work on the team?")).to_have_value("10")

    page.get_by_role("navigation", name="Survey language").get_by_role("link", name="Español").click()
    expect(page.get_by_label("¿Cuántas personas trabajan en el equipo?")).to_have_value("10")
    expect(page.get_by_role("heading", name="2. Organización y personal")).to_be_visible()
    # One language for the whole page: title, programme, buttons and the save state follow.
    expect(page.get_by_role("heading", level=1)).to_have_text("Capacidad de innovación en las ciudades")
    expect(page.locator(".survey-head .lead [lang=en]")).to_have_text("Test programme")
    expect(page.get_by_role("link", name="Revisar y enviar")).to_be_visible()
    team_size = page.get_by_label("¿Cuántas personas trabajan en el equipo?")
    team_size.fill("12")
    team_size.press("Tab")
    expect(page.locator("#state-s2_team_size")).to_contain_text("Guardado")

    # Signing in again resumes where answers are missing, in the language last used.
    page.get_by_role("button", name=re.compile("Cerrar sesión|Sign out")).click()
    page.context.clear_cookies()
    sign_in(page, "baltimore-us")
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", name="Perfil de la ciudad")).to_be_visible()
    page.get_by_role("navigation", name="Idioma de la encuesta").get_by_role("link", name="English").click()

    answer_the_rest(Response.objects.get())
    page.get_by_role("link", name="Review and submit").click()
    expect(page.get_by_text("Every required question is answered.")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit the response").click()
    expect(page.get_by_text("The response for Baltimore has been submitted. Thank you.")).to_be_visible()
    open_section(page, "2. Organisation and staff")
    expect(page.locator("#q-s2_team").get_by_label("Yes")).to_be_disabled()
    assert Response.objects.get().status == Response.Status.SUBMITTED
    assert violations == []


def test_a_third_term_under_choose_up_to_two_is_unticked_with_the_reason(page, live_server, sign_in):
    world = make_world()
    response = services.response_start(actor=SYSTEM, wave=world.wave, city=world.city_a)
    sign_in(page, "baltimore-us")
    page.goto(f"{live_server.url}/responses/{response.pk}/?section=s1")
    terms = page.locator("#q-s1_terms")
    for label in ("Technological innovation", "Data analytics"):
        terms.get_by_label(label).check()
        expect(page.locator("#state-s1_terms")).to_contain_text("Saved")
    third = terms.get_by_label("Experimentation")
    third.click()
    expect(page.locator("#state-s1_terms")).to_contain_text(
        "Choose at most two terms. Not saved: your earlier answer is shown again."
    )
    expect(third).not_to_be_checked()
    expect(third).to_be_focused()
    expect(terms.get_by_label("Data analytics")).to_be_checked()
    assert services.response_answers(response)["s1_terms"] == "technology data_analytics"


def test_my_work_fits_a_phone(phone_page, live_server, sign_in):
    world = make_world()
    services.response_start(actor=SYSTEM, wave=world.wave, city=world.city_a)
    sign_in(phone_page, "baltimore-us")
    phone_page.goto(f"{live_server.url}/accounts/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    for element in (phone_page.get_by_role("link", name="Continue"), phone_page.get_by_text("Draft")):
        expect(element).to_be_in_viewport()


def test_phone_width_matrix_answered_with_arrow_keys(phone_page, live_server, sign_in):
    world = make_world()
    response = services.response_start(actor=SYSTEM, wave=world.wave, city=world.city_a)
    sign_in(phone_page, "baltimore-us")
    phone_page.goto(f"{live_server.url}/responses/{response.pk}/?section=s1")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    unlabelled = phone_page.evaluate(
        "[...document.querySelectorAll('#section-body input:not([type=hidden]), "
        "#section-body textarea')].filter(e => e.labels.length === 0).map(e => e.id)"
    )
    assert unlabelled == []
    row = phone_page.locator("#q-s1_act_data_analytics")
    row.get_by_label("Often").focus()
    phone_page.keyboard.press("ArrowDown")  # moves the choice within the row's radio group
    expect(row.get_by_label("Sometimes")).to_be_checked()
    expect(phone_page.locator("#state-s1_act_data_analytics")).to_contain_text("Saved")
    assert services.response_answers(response)["s1_act_data_analytics"] == "sometimes"


def test_a_failed_save_is_reported_in_the_question(page, live_server, sign_in):
    world = make_world()
    response = services.response_start(actor=SYSTEM, wave=world.wave, city=world.city_a)
    sign_in(page, "baltimore-us")
    page.goto(f"{live_server.url}/responses/{response.pk}/?section=s2")
    page.route("**/answer/", lambda route: route.abort())  # the network drops
    page.locator("#q-s2_team").get_by_label("Yes").check()
    expect(page.locator("#state-s2_team")).to_have_text(
        "Not saved: the server could not be reached. Check your connection and change the answer again."
    )
    assert services.response_answers(response) == {}
