"""axe-core on every page each role sees, in English and Spanish and on a 375 px phone.

axe comes from node_modules (package.json pins it; ``make setup`` installs it) and is added with
``add_init_script``: Playwright injects it through the DevTools protocol, which the page's strict
Content-Security-Policy does not govern, so the policy stays on and the walk also checks that no
page breaks it (any CSP report in the console fails the test).

A new page joins the walk by adding its address to ``PAGES`` under the role that sees it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from civicmeter.testing import PASSWORD
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection import services
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.wellbeing.services.runs import analysis_execute, analysis_start

from .assessment_pages import assessment_pages
from .conftest import DESKTOP, PHONE
from .test_agenda_journey import city_team_pages
from .test_analysis import analysis_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
#: WCAG 2.0 and 2.1, levels A and AA (what public bodies must meet: EN 301 549, Section 508).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "iframes": False,  # the analysis report's sandboxed frame is audited at its own address
    "resultTypes": ["violations"],
}
#: axe.run, given up after 30 s so a page that cannot run it fails instead of hanging the suite.
RUN_AXE = """options => Promise.race([
  axe.run(document, options),
  new Promise((_, reject) => setTimeout(() => reject(new Error("axe did not finish in 30 s")), 30000)),
])"""
#: (language, viewport) each page is audited in.
VARIANTS = [("en", DESKTOP), ("es", DESKTOP), ("en", PHONE)]


def pages() -> dict[str | None, list[str]]:
    """Each role's pages, by the username that signs in (``None``: not signed in)."""
    world = analysis_world()
    response = services.response_start(actor=SYSTEM, wave=world.wave, city=world.city_a)
    for question, value in {"population": "611648", "s2_team": "yes", "s1_terms": "technology"}.items():
        services.answer_save(
            actor=SYSTEM, response=response, question=question, raw_value=value, expected_version=0
        )
    run = analysis_start(actor=world.admin, wave=world.wave, background=False)
    analysis_execute(run_id=run.pk)
    survey = reverse("collection:survey", args=[response.pk])
    sections = [s.name for s in instrument_for(world.wave.instrument).sections] + ["review"]
    wave = {"programme": world.programme.slug, "code": world.wave.code}
    dashboard = reverse("collection:dashboard", kwargs=wave)
    walk = {
        None: [reverse("explorer:home"), reverse("accounts:login"), reverse("explorer:map")],
        "baltimore-us": [reverse("accounts:home")]
        + [f"{survey}?section={s}" for s in sections]
        + city_team_pages(world),
        "admin": [
            reverse("accounts:home"),
            dashboard,
            reverse("collection:history", args=[response.pk]),
            reverse("results:wave", kwargs=wave),
            reverse("wellbeing:analysis", kwargs=wave),
            reverse("wellbeing:report", kwargs=wave | {"pk": run.pk}),
            reverse("wellbeing:outcomes", args=[world.programme.slug]),
            reverse("recommendations:content", args=[world.programme.slug, "rules"]),
            reverse("recommendations:case_add", args=[world.programme.slug]),
            reverse("api:tokens"),
        ],
        "reviewer": [dashboard],
    }
    for username, addresses in assessment_pages(world).items():
        walk[username] = walk.get(username, []) + addresses
    return walk


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}{reverse('accounts:login')}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main").get_by_role("button").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def _describe(violations: list[dict]) -> list[str]:
    """One readable line per rule: id, impact, what it asks, and the first few elements."""
    lines = []
    for v in violations:
        where = ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} at {where}")
    return lines


def test_axe_finds_no_violation_on_any_page_of_any_role(browser, live_server):
    walk = pages()
    script = AXE.read_text(encoding="utf-8")
    problems: list[str] = []
    for language, viewport in VARIANTS:
        width = f"{viewport['width']} px"
        for username, addresses in walk.items():
            context = browser.new_context(viewport=viewport)
            context.add_init_script(script=script)
            page = context.new_page()
            page.set_default_timeout(10_000)
            console: list[str] = []
            page.on(
                "console",
                lambda m, out=console: out.append(m.text) if "Content Security Policy" in m.text else None,
            )
            if username:
                _sign_in(page, live_server.url, username)
            host = live_server.url.split("//")[1].split(":")[0]
            context.add_cookies([{"name": "django_language", "value": language, "domain": host, "path": "/"}])
            for address in addresses:
                where = f"{username or 'anonymous'} {address} [{language}, {width}]"
                http = page.goto(f"{live_server.url}{address}")
                if http is None or http.status != 200:
                    problems.append(f"{where}: HTTP {http and http.status}")
                    continue
                if "sandbox" in (http.headers.get("content-security-policy") or ""):
                    # Scripts cannot run in a sandboxed document (the analysis report): audit the
                    # same HTML as a plain page instead.
                    html = http.text()
                    page.goto("about:blank")
                    page.set_content(html)
                result = page.evaluate(RUN_AXE, AXE_OPTIONS)
                problems += [f"{where}: {line}" for line in _describe(result["violations"])]
                problems += [f"{where}: console: {text}" for text in console]
                console.clear()
            context.close()
    assert not problems, "axe-core (WCAG 2.1 A/AA) and CSP problems:\n" + "\n".join(problems)
