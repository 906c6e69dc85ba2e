"""Goals and KPIs in a real browser: the city's team imports a KPI values file and sees each
indicator's status and its trend (chart and table); a file with a bad cell is refused with the row
and column named. The goals pages pass axe-core (WCAG 2.1 A/AA) in English and Spanish and on a
375 px phone, and break no Content-Security-Policy rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from civicmeter.testing import make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.goals import services

from .conftest import DESKTOP, PHONE
from .test_accessibility import AXE, AXE_OPTIONS, RUN_AXE, _describe, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/civicmeter-screenshots")
VALUES = (
    "indicator,period,value,note\n"
    "311-on-time,2026-01,84,\n311-on-time,2026-02,87.5,\n311-on-time,2026-03,91,new routing\n"
    "pothole-days,2026-01,6.4,\npothole-days,2026-02,5.9,\npothole-days,2026-03,5.4,\n"
)


def goals_world():
    world = make_world()
    goal = services.goal_create(
        actor=SYSTEM, programme=world.programme, city=world.city_a, title="Responsive city services"
    )
    for spec in (
        services.IndicatorSpec("311-on-time", "311 requests closed on time", "%", "higher", "month", 78, 90),
        services.IndicatorSpec("pothole-days", "Days to repair a pothole", "days", "lower", "month", 7, 5),
    ):
        services.indicator_create(actor=SYSTEM, goal=goal, spec=spec)
    return world


def test_the_team_imports_kpi_values_and_sees_status_and_trend(page, live_server, tmp_path):
    goals_world()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    _sign_in(page, live_server.url, "baltimore-us")
    page.goto(f"{live_server.url}/p/test/cities/baltimore-us/")
    page.get_by_role("link", name="Goals, KPI values, trends and the city score: view and edit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Baltimore: goals and KPIs")

    bad = tmp_path / "kpi-bad.csv"
    bad.write_text(VALUES + "pothole-days,2026-04,soon,\n", encoding="utf-8")
    page.get_by_label("KPI values (CSV or XLSX)").set_input_files(bad)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(
        "Nothing was imported: kpi-bad.csv has problems to fix."
    )
    expect(page.locator(".messages")).to_contain_text(
        "[goals.E009] row 8, column value: 'soon' is not a number"
    )

    good = tmp_path / "kpi.csv"
    good.write_text(VALUES, encoding="utf-8")
    page.get_by_label("KPI values (CSV or XLSX)").set_input_files(good)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Imported kpi.csv: 6 new, 0 changed, 0 unchanged.")
    table = page.get_by_role("table", name="Indicators of “Responsive city services”")
    expect(table.get_by_role("row", name="311 requests closed on time")).to_contain_text("On target")
    expect(table.get_by_role("row", name="Days to repair a pothole")).to_contain_text("Needs improvement")
    trend = page.locator("#trend-pothole-days")
    expect(trend.locator(".chart-visual svg").first).to_be_visible()
    trend.get_by_text("The numbers as a table").click()
    expect(trend.get_by_role("table")).to_contain_text("2026-03")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "goals-after-import.png", full_page=True)
    assert not problems, problems


def test_goals_pages_pass_axe_in_english_spanish_and_on_a_phone(browser, live_server):
    world = goals_world()
    services.values_import(
        actor=SYSTEM, programme=world.programme, city=world.city_a, filename="v.csv", content=VALUES.encode()
    )
    services.goals_settings_set(
        actor=SYSTEM, programme=world.programme, city=world.city_a, rule="louiestat", band=0.1, public=True
    )
    team = [
        "/p/test/cities/baltimore-us/goals/",
        "/p/test/cities/baltimore-us/goals/?window=quarter",
        "/p/test/cities/baltimore-us/goals/indicators/pothole-days/",
        "/p/test/cities/baltimore-us/",
    ]
    script = AXE.read_text(encoding="utf-8")
    found: list[str] = []
    for language, viewport in (("en", DESKTOP), ("es", DESKTOP), ("en", PHONE)):
        for username, addresses in (("baltimore-us", team), (None, ["/cities/baltimore-us/goals/"])):
            context = browser.new_context(viewport=viewport)
            context.add_init_script(script=script)
            page = context.new_page()
            page.set_default_timeout(30_000)
            console: list[str] = []
            page.on("console", lambda m, out=console: out.append(m.text) if m.type == "error" else None)
            if username:
                _sign_in(page, live_server.url, username)
            host = live_server.url.split("//")[1].split(":")[0]
            context.add_cookies([{"name": "django_language", "value": language, "domain": host, "path": "/"}])
            for address in addresses:
                http = page.goto(f"{live_server.url}{address}")
                assert http is not None and http.status == 200, address
                result = page.evaluate(RUN_AXE, AXE_OPTIONS)
                where = f"{address} [{language}, {viewport['width']} px]"
                found += [f"{where}: {line}" for line in _describe(result["violations"])]
                found += [f"{where}: console: {text}" for text in console]
                console.clear()
            context.close()
    assert not found, "\n".join(found)
