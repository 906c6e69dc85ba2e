"""A city team turns a recommendation into an action, moves it on the board, exports the agenda as
CSV and opens the council PDF, in a real browser (screenshots under $CIVICMETER_SCREENSHOTS when set)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from civicmeter.testing import PSI_FULL_ANSWERS, PSI_MIXED_ANSWERS, complete_answers, make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.results.services import scores_compute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
STRATEGY = "Adopt a formal, public innovation strategy with measurable goals"


def scored_world():
    world = make_world()
    instrument = instrument_for(world.wave.instrument)
    for city, answers in ((world.city_a, PSI_MIXED_ANSWERS), (world.city_b, PSI_FULL_ANSWERS)):
        response = Response.objects.create(wave=world.wave, city=city, status=Response.Status.SUBMITTED)
        values = complete_answers(instrument, answers).items()
        Answer.objects.bulk_create([Answer(response=response, question=q, value=v) for q, v in values])
    scores_compute(actor=SYSTEM, wave=world.wave)
    return world


def test_recommendation_to_action_to_status_to_csv_and_pdf(page, live_server, sign_in, tmp_path):
    shots = Path(os.environ.get("CIVICMETER_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    world = scored_world()
    csp: list[str] = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, "baltimore-us")
    page.get_by_role("link", name="Baltimore: scores, recommendations and agenda").click()
    recommendation = page.locator("#recommendation-3")
    expect(recommendation.get_by_role("heading", name=STRATEGY)).to_be_visible()
    expect(recommendation).to_contain_text("no formal strategy, while 100% of peers have one")
    page.screenshot(path=shots / "1-team-page.png", full_page=True)

    recommendation.get_by_role("link", name="Add to the agenda").click()
    expect(page.get_by_label("What will be done")).to_have_value(STRATEGY)
    page.get_by_label("Owner", exact=True).fill("Ana Ruiz")
    page.get_by_label("Owner's e-mail").fill("ana@example.org")
    page.get_by_label("Due on").fill("2027-06-30")
    page.screenshot(path=shots / "2-new-action.png", full_page=True)
    page.get_by_role("button", name="Add to the agenda").click()

    planned = page.get_by_role("region", name="Planned")
    expect(planned.get_by_role("link", name=STRATEGY)).to_be_visible()
    planned.get_by_label(f"Status of {STRATEGY}").select_option("in_progress")
    planned.get_by_role("button", name="Move").click()
    expect(page.get_by_role("status")).to_contain_text("is now in progress")
    expect(page.get_by_role("region", name="In progress").get_by_role("link", name=STRATEGY)).to_be_visible()
    page.screenshot(path=shots / "3-board.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.DictReader(Path(download.value.path()).open(encoding="utf-8")))
    assert len(rows) == 1
    assert {k: rows[0][k] for k in ("title", "owner", "status", "due_on", "source", "source_ref")} == {
        "title": STRATEGY,
        "owner": "Ana Ruiz",
        "status": "in_progress",
        "due_on": "2027-06-30",
        "source": "recommendation",
        "source_ref": "3",
    }

    page.get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("img", name="Actions from")).to_be_visible()
    page.screenshot(path=shots / "4-timeline.png", full_page=True)

    pdf = page.request.get(
        f"{live_server.url}/p/{world.programme.slug}/cities/{world.city_a.slug}/agenda/agenda.pdf"
    )
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    (shots / "5-council.pdf").write_bytes(pdf.body())
    assert csp == []


def city_team_pages(world) -> list[str]:
    """The city team's pages for the accessibility walk (``test_accessibility.pages``), with one
    dated action so the board and the timeline have something to show."""
    from datetime import date

    from django.urls import reverse

    from civicmeter.web.agenda.services import ActionSpec, action_create

    action_create(
        actor=SYSTEM,
        programme=world.programme,
        city=world.city_a,
        spec=ActionSpec(
            title="Publish a strategy", owner="Ana", starts_on=date(2026, 1, 5), due_on=date(2026, 9, 30)
        ),
    )
    city = [world.programme.slug, world.city_a.slug]
    return [
        reverse("cityhome:page", args=city),
        reverse("agenda:board", args=city),
        reverse("agenda:timeline", args=city),
        reverse("agenda:add", args=city),
        reverse("recommendations:cases", args=[world.programme.slug]),
    ]
