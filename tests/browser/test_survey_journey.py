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


def test_respondent_answers_resumes_switches_language_and_submits(page, live_server, sign_in):
    make_world()
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

    answer_the_rest(Response.objects.get())
    page.get_by_role("link", name="Review and submit").click()
    expect(page.get_by_text("Every required question is answered.")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit the response").click()
    expect(page.get_by_text("The response for Baltimore has been submitted. Thank you.")).to_be_visible()
    open_section(page, "2. Organización y personal")
    expect(page.locator("#q-s2_team").get_by_label("Sí")).to_be_disabled()
    assert Response.objects.get().status == Response.Status.SUBMITTED


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
