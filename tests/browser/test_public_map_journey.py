"""The public map, findings and static site in a real browser, signed out: filter the map to
European cities with a dedicated team, click a city, land on its snapshot; the findings page draws
its charts interactively under the CSP; ``civicmeter publish``'s folder, served by a plain static
server, loads with no console error. Each page also passes axe-core (WCAG 2.1 A/AA)."""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import time

import pytest
from playwright.sync_api import expect

from civicmeter.testing import make_city, make_published_world
from civicmeter.web.collection.models import Response
from civicmeter.web.explorer import published
from civicmeter.web.explorer.static_site import build_site
from civicmeter.web.programmes.models import City, Wave

from .test_accessibility import AXE, AXE_OPTIONS, RUN_AXE, _describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/civicmeter-screenshots"


def world_on_the_map():
    """make_published_world's two public cities on the map, plus Lisbon (validated) in Europe."""
    published.clear_cache()
    world = make_published_world()
    City.objects.filter(slug="baltimore-us").update(latitude=39.29, longitude=-76.61)
    City.objects.filter(slug="bilbao-es").update(latitude=43.26, longitude=-2.93)
    lisbon = make_city("Lisbon", "PT")
    City.objects.filter(pk=lisbon.pk).update(latitude=38.72, longitude=-9.14)
    Response.objects.filter(city=lisbon).update(status=Response.Status.VALIDATED)
    return world


def watch(page) -> list[str]:
    page.set_default_timeout(30_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def axe(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page (the context injects axe on every page)."""
    return _describe(page.evaluate(RUN_AXE, AXE_OPTIONS)["violations"])


def test_map_filter_click_snapshot(browser, live_server):
    world_on_the_map()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(script=AXE.read_text(encoding="utf-8"))
    page = context.new_page()
    problems = watch(page)
    page.goto(f"{live_server.url}/map/", timeout=60_000)
    expect(page.locator(".leaflet-interactive")).to_have_count(3)
    page.get_by_label("Continent").select_option("EU")
    page.get_by_label("Staff dedicated to innovation").select_option("yes")
    expect(page.locator("#map-count")).to_have_text("Showing 2 of 3 cities.")
    expect(page).to_have_url(re.compile(r"continent=EU"))
    expect(page.locator("#map-table tbody tr:not([hidden])")).to_have_count(2)
    expect(page.locator(".leaflet-interactive")).to_have_count(2)
    page.get_by_label("City name").fill("bil")
    expect(page.locator(".leaflet-interactive")).to_have_count(1)
    page.screenshot(path=f"{SHOTS}/map-filtered.png", full_page=True)
    found = axe(page)
    assert not found, found
    page.locator(".leaflet-interactive").click()
    expect(page).to_have_url(re.compile(r"/cities/bilbao-es/\?wave=2020"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bilbao")
    assert not problems, problems
    context.close()


def test_map_without_script_filters_on_the_server(browser, live_server):
    world_on_the_map()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/map/", timeout=60_000)
    expect(page.get_by_text("The map needs JavaScript.")).to_be_visible()
    page.get_by_label("Continent").select_option("NA")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".map-count")).to_have_text("Showing 1 of 3 cities.")
    page.get_by_role("link", name="Baltimore").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Baltimore")
    context.close()


def test_findings_draw_interactive_charts_under_the_csp(browser, live_server):
    world_on_the_map()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-ES")
    context.add_init_script(script=AXE.read_text(encoding="utf-8"))
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "django_language", "value": "es", "domain": host, "path": "/"}])
    page = context.new_page()
    problems = watch(page)
    page.goto(f"{live_server.url}/findings/2020/", timeout=90_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Resultados de la encuesta 2020")
    expect(page.locator(".chart-visual.is-interactive")).to_have_count(12)
    page.screenshot(path=f"{SHOTS}/findings-es.png")
    found = axe(page)
    assert not found, found
    assert not problems, problems
    context.close()


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_published_site_works_from_a_plain_static_server(browser, tmp_path):
    world = world_on_the_map()
    site = tmp_path / "site"
    wave = Wave.objects.get(pk=world.wave.pk)
    report = build_site(wave, site, languages=("en", "fr"), pdfs=True, workers=1)
    assert (report.pages, report.pdfs) == (2 * (3 + 3), 2 * (1 + 3))
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(script=AXE.read_text(encoding="utf-8"))
        page = context.new_page()
        problems = watch(page)
        failed: list[str] = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        base = f"http://127.0.0.1:{port}"
        page.goto(f"{base}/")
        expect(page).to_have_url(f"{base}/en/index.html")
        expect(page.locator(".leaflet-interactive")).to_have_count(3)
        found = axe(page)
        page.get_by_label("Continent").select_option("EU")
        expect(page.locator(".leaflet-interactive")).to_have_count(2)
        page.get_by_role("link", name="Lisbon").click()
        expect(page).to_have_url(f"{base}/en/cities/lisbon-pt/index.html")
        expect(page.locator(".chart-visual.is-interactive").first).to_be_visible()
        found += axe(page)
        page.get_by_role("link", name="Français").click()
        expect(page).to_have_url(f"{base}/fr/cities/lisbon-pt/index.html")
        page.goto(f"{base}/fr/findings/index.html")
        expect(page.locator(".chart-visual.is-interactive")).to_have_count(12)
        page.screenshot(path=f"{SHOTS}/static-findings-fr.png")
        found += axe(page)
        files = ("en/findings/findings.pdf", "fr/cities/lisbon-pt/snapshot.pdf", "data/datapackage.json",
                 "data/compare.json")
        for path in files:
            assert page.request.get(f"{base}/{path}").ok, path
        assert not problems, (problems, failed)
        assert not failed, failed
        assert not failed, failed
        assert not found, found
        context.close()
    finally:
        server.terminate()
        server.wait()
