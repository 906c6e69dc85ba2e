"""The data-use assessment pages of each role, set up for the axe-core audit of every page
(``test_accessibility.pages``): a submitted assessment with a claim, evidence and a decision."""

from __future__ import annotations

from django.urls import reverse

from civicmeter.testing import make_assessment_wave
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.assessment import services
from civicmeter.web.collection.services import response_start


def assessment_pages(world) -> dict[str, list[str]]:
    wave = make_assessment_wave(world, paired=False)
    response = response_start(actor=SYSTEM, wave=wave, city=world.city_a)
    services.criterion_save(
        actor=SYSTEM,
        response=response,
        entry=services.CriterionEntry(
            "OD1",
            ["codified", "public"],
            "Order 12",
            evidence=services.NewEvidence(url="https://example.org/open-data-order"),
        ),
    )
    services.claim_save(actor=SYSTEM, response=response, criterion="DG1", items=["named"], text="")
    services.assessment_submit(actor=SYSTEM, response=response)
    services.reviewer_assign(actor=SYSTEM, response=response, reviewer=world.reviewer)
    services.review_decide(actor=SYSTEM, response=response, criterion="OD1", outcome="accepted")
    programme, code = world.programme.slug, wave.code
    return {
        "baltimore-us": [
            reverse("assessment:overview", args=[response.pk]),
            reverse("assessment:criterion", args=[response.pk, "OD1"]),
        ],
        "admin": [
            reverse("assessment:wave", args=[programme, code]),
            reverse("assessment:results", args=[programme, code]),
        ],
        "reviewer": [reverse("assessment:review", args=[response.pk]), reverse("assessment:assigned")],
    }
