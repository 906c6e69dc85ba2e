"""The public city pages in a real browser, signed out: list of cities -> snapshot -> peer group ->
PDF download; and the comparison journey with its refusal. Every page also passes axe-core (WCAG 2.1
A/AA) and breaks no Content-Security-Policy rule."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from civicmeter.testing import PSI_FULL_ANSWERS, PSI_MIXED_ANSWERS, complete_answers, make_city, make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.explorer import public_pages, published
from civicmeter.web.programmes import services
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import CityDisclosure, Wave
from civicmeter.web.results import services as results_services

from .test_accessibility import AXE, AXE_OPTIONS, RUN_AXE, _describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def published_world():
    """Three cities with validated answers in a published wave, scored, Baltimore's profile public."""
    published.clear_cache()
    public_pages.PAGES.clear()
    world = make_world(wave_status=Wave.Status.CLOSED)
    instrument = instrument_for(world.wave.instrument)
    lisbon = make_city("Lisbon", "PT", population=547_733)
    answers = {
        world.city_a: {
            **PSI_FULL_ANSWERS,
            "spotlight": "<script>alert(1)</script> The i-team works on hiring.",
        },
        world.city_b: PSI_MIXED_ANSWERS,
        lisbon: {**PSI_MIXED_ANSWERS, "s1_strategy": "yes"},
    }
    for city, given in answers.items():
        response = Response.objects.create(wave=world.wave, city=city, status=Response.Status.VALIDATED)
        Answer.objects.bulk_create(
            Answer(response=response, question=q, value=v)
            for q, v in complete_answers(instrument, given).items()
        )
    results_services.scores_compute(actor=SYSTEM, wave=world.wave)
    services.disclosure_set(
        actor=SYSTEM,
        programme=world.programme,
        city=world.city_a,
        profile_fields=list(CityDisclosure.PROFILE_FIELDS),
        private_texts=[],
    )
    services.wave_publish(actor=SYSTEM, wave=world.wave)
    return world


def watch_console(page) -> list[str]:
    """Console errors of ``page``; also allows each step 30 s (the first chart drawn in a process
    loads vl-convert, which takes seconds on a busy machine)."""
    page.set_default_timeout(30_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_snapshot_journey_to_the_pdf(page, live_server):
    published_world()
    problems = watch_console(page)
    page.goto(f"{live_server.url}/", timeout=30_000)
    page.get_by_role("link", name=re.compile("City snapshots")).click()
    page.get_by_role("link", name="Baltimore").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Baltimore")
    expect(page.locator(".key-sentences")).to_contain_text("Baltimore has an explicit innovation strategy")
    expect(page.locator(".spotlight")).to_contain_text("<script>alert(1)</script> The i-team")
    page.get_by_label("Compared with").select_option("continent")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"peers=continent"))
    expect(page.get_by_text("Compared with the 1 city with published answers")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    pdf = download.value
    assert pdf.suggested_filename == "baltimore-us-2020-snapshot.pdf"
    with open(pdf.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    assert not problems, problems


def test_compare_journey(page, live_server):
    published_world()
    problems = watch_console(page)
    page.goto(f"{live_server.url}/compare/", timeout=30_000)
    page.get_by_label("City 1").select_option("lisbon-pt")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose two to four cities")
    page.get_by_label("City 2").select_option("baltimore-us")
    page.get_by_label("City 3").select_option("bilbao-es")
    page.get_by_role("button", name="Compare").click()
    table = page.get_by_role("table", name="1. Strategy, goals and approaches")
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader", name="Bilbao")).to_be_visible()
    expect(page.get_by_role("table", name="PSI capacity index")).to_contain_text("10.0")
    page.get_by_role("link", name="Lisbon").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lisbon")
    refused = "the server responded with a status of 400"  # the one-city refusal, on purpose
    assert not [p for p in problems if refused not in p], problems


def test_public_pages_pass_axe_in_english_and_spanish(browser, live_server):
    published_world()
    addresses = [
        "/",
        "/cities/",
        "/cities/baltimore-us/",
        "/cities/baltimore-us/?peers=continent",
        "/compare/?cities=baltimore-us,bilbao-es,lisbon-pt",
        "/compare/?cities=baltimore-us",
    ]
    script = AXE.read_text(encoding="utf-8")
    found: list[str] = []
    for language in ("en", "es"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(script=script)
        host = live_server.url.split("//")[1].split(":")[0]
        context.add_cookies([{"name": "django_language", "value": language, "domain": host, "path": "/"}])
        page = context.new_page()
        page.set_default_timeout(30_000)
        console: list[str] = []
        page.on(
            "console",
            lambda m, out=console: out.append(m.text) if "Content Security Policy" in m.text else None,
        )
        for address in addresses:
            page.goto(f"{live_server.url}{address}")
            result = page.evaluate(RUN_AXE, AXE_OPTIONS)
            found += [f"{address} [{language}]: {line}" for line in _describe(result["violations"])]
            found += [f"{address} [{language}]: console: {text}" for text in console]
            console.clear()
        context.close()
    assert not found, "\n".join(found)
