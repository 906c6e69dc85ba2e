"""A programme admin starts the well-being analysis from the wave dashboard and reads the report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from civicmeter.testing import make_city, make_world
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.results.services import scores_compute
from civicmeter.web.wellbeing.services import outcomes_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HIGH = {
    "s1_strategy": "yes",
    "s1_goals": "yes",
    "s1_approach": "holistic",
    "s2_team": "yes",
    "s2_integration": "embedded",
    "s3_dedicated": "yes",
    "s4_data_role": "significant",
    "s4_open_data": "yes",
    "s5_goal_metrics": "yes",
    "s5_eval_tools": "yes",
    "s5_eval_practice": "systematic",
}
LOW = {"s1_strategy": "no", "s1_approach": "specific", "s2_team": "no", "s3_dedicated": "no"}
CITIES = [
    ("Boston", HIGH, 0.86),
    ("Denver", HIGH, 0.84),
    ("Bilbao", HIGH, 0.9),
    ("Tulsa", LOW, 0.79),
    ("Mesa", LOW, 0.8),
    ("Detroit", LOW, 0.7),
]


def analysis_world():
    world = make_world()
    lines = ["city,year,satis_city"]
    for name, answers, share in CITIES:
        city = make_city(name, "ES" if name == "Bilbao" else "US", population=500_000)
        response = Response.objects.create(
            wave=world.wave, city=city, status=Response.Status.SUBMITTED, synthetic=True
        )
        Answer.objects.bulk_create(
            [Answer(response=response, question=q, value=v) for q, v in answers.items()]
        )
        lines.append(f"{name},2023,{share}")
    scores_compute(actor=world.admin, wave=world.wave)
    outcomes_import(
        actor=world.admin,
        programme=world.programme,
        filename="satisfaction.csv",
        content="\n".join(lines).encode(),
        indicator="satis_city",
    )
    return world


def test_admin_runs_the_analysis_and_reads_the_report(page, live_server, sign_in):
    analysis_world()
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/p/test/waves/2020/")
    page.get_by_role("link", name="Well-being analysis").click()
    expect(page.get_by_role("heading", name="Well-being analysis of wave 2020")).to_be_visible()
    expect(page.get_by_text("No analysis has been run for this wave yet.")).to_be_visible()
    page.get_by_role("button", name="Run the analysis").click()
    expect(page.get_by_text("The capacity data are synthetic")).to_be_visible()
    report = page.frame_locator("iframe.report-frame")
    sentence = report.get_by_role("listitem").filter(has_text="n = 3 and 3 cities").first
    expect(sentence).to_contain_text("95% CI")
    # The caveats every sentence shares are said once, above the sentences (commit 8bef0bc):
    # the synthetic-data warning leads that list and is no longer repeated in each sentence.
    caveats = report.locator("ul.caveats")
    expect(caveats.get_by_role("listitem").first).to_have_text(
        "The capacity data are synthetic (generated for demonstration), so this says nothing "
        "about real cities."
    )
    expect(sentence).not_to_contain_text("synthetic")
    expect(report.get_by_role("region", name="Read this first")).to_contain_text(
        "The capacity data are synthetic"
    )
    expect(page.get_by_role("link", name="comparison_psi_class.csv")).to_be_visible()
