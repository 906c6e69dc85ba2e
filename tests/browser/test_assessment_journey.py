"""The data-use assessment in a real browser, every step as its person does it: the city starts
its assessment, ticks a criterion's items and attaches a PDF, submits; the admin assigns a reviewer;
the reviewer asks for more evidence and sends it back; the city answers and resubmits; the reviewer
accepts and closes the review; the city's page then shows its tier and roadmap, and the roadmap PDF
downloads. The pages pass axe-core (WCAG 2.1 A/AA) and break no Content-Security-Policy rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicmeter.testing import make_assessment_wave, make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.assessment import services
from civicmeter.web.collection.models import Response
from civicmeter.web.collection.services import criteria_review_import, response_start

from .test_accessibility import AXE, AXE_OPTIONS, RUN_AXE, _describe, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/civicmeter-screenshots")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: Claimed before the journey (and accepted in bulk at its end): with OD1, 20 of 38 = Silver.
OTHERS = ["DG1", "DG2", "DG3", "DG4", "DG5", "DG6", "DG7", "DG8", "DG9",
          "LC1", "LC2", "LC3", "LC4", "LC5", "LC6", "PA1", "PA5", "BF1", "BF3"]  # fmt: skip


def _axe(page, problems):
    violations = page.evaluate(RUN_AXE, AXE_OPTIONS)["violations"]
    assert _describe(violations) == [], page.url
    assert [p for p in problems if "Content Security Policy" in p] == []


def _shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"assessment-{name}.png"), full_page=False)


def test_submit_request_more_respond_accept_then_tier_and_roadmap(page, live_server, tmp_path):
    world = make_world()
    wave = make_assessment_wave(world)
    response = response_start(actor=world.respondent_a, wave=wave, city=world.city_a)
    for code in OTHERS:  # the rest of the city's claims, entered earlier
        criterion_items = {"DG1": ["named", "written", "quarterly"], "DG2": ["method", "recent", "published"]}
        services.claim_save(
            actor=world.respondent_a,
            response=response,
            criterion=code,
            items=criterion_items.get(code, []),
            text="Entered earlier",
        )
    page.context.add_init_script(script=AXE.read_text(encoding="utf-8"))
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    base = live_server.url

    # the city fills in OD1 with a document and submits
    _sign_in(page, base, "baltimore-us")
    page.get_by_role("row", name="2020-data-use").get_by_role("button", name="Continue").or_(
        page.get_by_role("row", name="2020-data-use").get_by_role("link", name="Continue")
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data-use assessment: Baltimore")
    _axe(page, problems)
    page.get_by_role("link", name="OD1", exact=True).click()
    page.get_by_label("Adopted as an ordinance, order or policy").check()
    page.get_by_label("The text is public").check()
    expect(page.locator(".save-state")).to_have_text("Saved.")  # autosaved as ticked
    page.get_by_label("How your city meets this criterion").fill("Open data order of 2019")
    pdf = tmp_path / "open-data-order.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("Add a document").set_input_files(pdf)
    page.get_by_label("What the evidence is").fill("The signed order")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("OD1 saved.")
    expect(page.get_by_role("link", name="open-data-order.pdf")).to_be_visible()
    expect(page.locator("#check")).to_contain_text("Your claim would meet this criterion.")
    _axe(page, problems)
    _shot(page, "1-criterion")
    page.get_by_role("link", name="All criteria").click()
    page.get_by_role("button", name="Submit the assessment").click()
    expect(page.locator(".messages")).to_contain_text("Submitted.")

    # the admin assigns the reviewer
    page.context.clear_cookies()
    _sign_in(page, base, "admin")
    page.goto(f"{base}/p/test/waves/{wave.code}/assessments/")
    page.get_by_label("Reviewer for Baltimore").select_option(label="reviewer")
    page.get_by_role("button", name="Assign").first.click()
    expect(page.locator(".messages")).to_contain_text("reviewer now reviews Baltimore.")
    _axe(page, problems)

    # the reviewer asks for more evidence on OD1 and sends it back
    page.context.clear_cookies()
    _sign_in(page, base, "reviewer")
    page.goto(f"{base}/assessments/{response.pk}/review/")
    od1 = page.locator("#c-OD1")
    od1.get_by_label("Needs more evidence").check()
    od1.get_by_label("Comment to the city").fill("Show that the order commits to proactive publication.")
    od1.get_by_role("button", name="Record decision").click()
    expect(page.locator(".messages")).to_contain_text("OD1: decision recorded.")
    _axe(page, problems)
    page.get_by_role("button", name="Send back for more evidence").click()
    expect(page.locator(".messages")).to_contain_text("Sent back to the city for more evidence.")

    # the city answers the request and submits again
    page.context.clear_cookies()
    _sign_in(page, base, "baltimore-us")
    page.goto(f"{base}/assessments/{response.pk}/")
    expect(page.locator(".message.warning")).to_contain_text(
        "Answer each request before you submit again: OD1"
    )
    page.get_by_role("button", name="Submit again").click()
    expect(page.locator(".messages")).to_contain_text("Answer the reviewer's request on OD1")
    _shot(page, "2-request")
    page.locator(".message.warning").get_by_role("link", name="OD1").first.click()
    expect(page.locator(".message.warning")).to_contain_text("Show that the order commits")
    page.get_by_label("It commits to publishing data proactively").check()
    page.get_by_label("Or add a link").fill("https://example.org/open-data-order")
    page.get_by_label("Your answer to the reviewer").fill("Section 2 commits to proactive publication.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("OD1 saved.")
    page.get_by_role("link", name="All criteria").click()
    page.get_by_role("button", name="Submit again").click()
    expect(page.locator(".messages")).to_contain_text("Submitted.")

    # the reviewer accepts OD1 here, the other 19 from a decisions file (the same service), and closes
    page.context.clear_cookies()
    _sign_in(page, base, "reviewer")
    page.goto(f"{base}/assessments/{response.pk}/review/")
    page.locator("#c-OD1").get_by_label("Accepted").check()
    page.locator("#c-OD1").get_by_role("button", name="Record decision").click()
    expect(page.locator(".messages")).to_contain_text("OD1: decision recorded.")
    rows = "criterion,decision,comment\n" + "".join(f"{c.lower()},accepted,\n" for c in OTHERS)
    reviewer = world.reviewer
    criteria_review_import(
        actor=SYSTEM.as_of(timezone.now(), by=reviewer),
        response=Response.objects.get(pk=response.pk),
        filename="decisions.csv",
        content=rows.encode(),
    )
    page.reload()
    page.get_by_role("button", name="Close the review").click()
    expect(page.locator(".messages")).to_contain_text("Review closed")
    expect(page.locator(".tier")).to_have_text("Silver")
    _shot(page, "3-review")

    # the city sees its tier and roadmap on its page, and downloads the PDF
    page.context.clear_cookies()
    _sign_in(page, base, "baltimore-us")
    page.goto(f"{base}/p/test/cities/baltimore-us/")
    panel = page.locator(".roadmap-panel")
    expect(panel.locator(".tier")).to_have_text("Silver")
    expect(panel.locator("ol.roadmap li").first).to_contain_text("EV1")  # a prerequisite, nearest first
    panel.scroll_into_view_if_needed()
    _shot(page, "4-city-page")
    page.set_default_timeout(60_000)  # the first PDF loads WeasyPrint and its fonts
    with page.expect_download() as download:
        panel.get_by_role("link", name="Roadmap (PDF)").click()
    path = download.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename == f"roadmap-baltimore-us-{wave.code}.pdf"
