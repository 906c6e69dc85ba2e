"""The demo's current data-use round: assessments left at every step of the review cycle so each can
be tried with the demo logins, written through the same services as the web pages.

The 2020 data-use wave keeps its cited What Works Cities levels untouched. This adds an open wave
(:data:`WAVE`) inviting a few US cities: Boston and Seattle have submitted and wait for the
``reviewer`` (assigned to both); Louisville was sent back with an open request for more evidence on
two criteria; Baltimore is invited and has not started, so ``baltimore-us`` can fill one in. Claims
follow each city's accepted 2020 criteria; every claim says it is synthetic, and the attached
documents are one-page PDFs that say so.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection import services as collection
from civicmeter.web.collection.models import Response
from civicmeter.web.programmes import services as programmes
from civicmeter.web.programmes.models import City, Instrument, Programme, Wave

from . import selectors, services

WAVE = "2026-data-use"
TITLE = "Data-use assessment, current round"
SUBMITTED = ("boston-us", "seattle-us")
SENT_BACK = "louisville-us"
NOT_STARTED = "baltimore-us"
#: Louisville's criteria the reviewer asks more about, with the request.
REQUESTS = {
    "DG1": "Synthetic demo request: the minutes attached are from one meeting; add the two latest.",
    "OD4": "Synthetic demo request: show how user requests changed what was published.",
}
PROVENANCE = (
    "Synthetic demo assessment: claims and evidence drawn from the city's accepted 2020 criteria, "
    "written through the assessment services; not the city's words or documents."
)
CLAIM_TEXT = "Synthetic demo claim, drawn from this city's accepted 2020 criteria; not the city's words."


def _pdf(title: str) -> bytes:
    """A one-page PDF naming itself synthetic (built by hand: no PDF library needed for this)."""
    text = f"Synthetic demo evidence: {title}".replace("(", "[").replace(")", "]")
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for k, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _wave(programme: Programme) -> Wave:
    wave = programme.waves.filter(code=WAVE).first()
    if wave is not None:
        return wave
    instrument = Instrument.objects.filter(kind=Instrument.Kind.ASSESSMENT).order_by("-created_at").first()
    today = timezone.localdate()
    spec = programmes.WaveSpec(
        WAVE, TITLE, Wave.Status.OPEN, today - timedelta(days=60), today + timedelta(days=90)
    )
    return programmes.wave_create(actor=SYSTEM, programme=programme, instrument=instrument, spec=spec)


def _fill(response: Response, previous: set[str], actor) -> None:
    """Claims for the criteria the city had accepted in 2020: enough items, evidence of the kind
    asked, dated inside the freshness window."""
    standard = selectors.standard_for(response.wave)
    today = timezone.localdate()
    claimed = previous | {code for c in standard.criteria if c.code in previous for code in c.requires}
    for criterion in standard.criteria:
        if criterion.code not in claimed:
            continue
        items = [i.code for i in criterion.items[: criterion.min_items]]
        services.claim_save(
            actor=actor, response=response, criterion=criterion.code, items=items, text=CLAIM_TEXT
        )
        dated = today - timedelta(days=30) if criterion.freshness else None
        for k in range(max(1, criterion.evidence.records)):
            when = dated - timedelta(days=45 * k) if dated else None
            if "document" in criterion.evidence.kinds:
                upload = SimpleUploadedFile(f"{criterion.code.lower()}-{k + 1}.pdf", _pdf(criterion.code))
                services.evidence_add(
                    actor=actor,
                    response=response,
                    criterion=criterion.code,
                    evidence=services.NewEvidence(upload=upload, label="Synthetic demo document", dated=when),
                )
            else:
                services.evidence_add(
                    actor=actor,
                    response=response,
                    criterion=criterion.code,
                    evidence=services.NewEvidence(
                        url=f"https://example.org/{response.city.slug}/{criterion.code.lower()}",
                        label="Synthetic demo link",
                        dated=when,
                    ),
                )


def _accepted_2020(programme: Programme, city: City) -> set[str]:
    old = Response.objects.filter(wave__programme=programme, wave__code="2020-data-use", city=city).first()
    if old is None:
        return set()
    return selectors.accepted_codes(old, selectors.standard_for(old.wave))


def load_assessment_round(programme: Programme, progress=lambda _msg: None) -> int:
    """Add the current round once (idempotent: nothing happens when the wave has responses)."""
    wave = _wave(programme)
    if Response.objects.filter(wave=wave).exists():
        return 0
    progress(f"assessments waiting for review in wave {WAVE}")
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[*SUBMITTED, SENT_BACK, "reviewer"])
    }
    reviewer = users["reviewer"]
    cities = {c.slug: c for c in City.objects.filter(slug__in=[*SUBMITTED, SENT_BACK, NOT_STARTED])}
    for city in cities.values():
        programmes.invitation_send(
            actor=SYSTEM, wave=wave, city=city, email=f"{city.slug}@demo.invalid", notify=False
        )
    for slug in (*SUBMITTED, SENT_BACK):
        city, respondent = cities[slug], SYSTEM.as_of(timezone.now(), by=users[slug])
        response = collection.response_start(actor=respondent, wave=wave, city=city)
        services.assessment_label_demo(actor=SYSTEM, response=response, provenance=PROVENANCE)
        _fill(response, _accepted_2020(programme, city), respondent)
        if slug == SENT_BACK:  # what a request asks about is claimed, with its prerequisite
            for code in ("OD1", *REQUESTS):
                criterion = selectors.standard_for(wave).criterion(code)
                services.claim_save(
                    actor=respondent,
                    response=response,
                    criterion=code,
                    items=[i.code for i in criterion.items[: criterion.min_items]],
                    text=CLAIM_TEXT,
                )
                services.evidence_add(
                    actor=respondent,
                    response=response,
                    criterion=code,
                    evidence=services.NewEvidence(
                        upload=SimpleUploadedFile(f"{code.lower()}.pdf", _pdf(code)),
                        label="Synthetic demo document",
                        dated=timezone.localdate() - timedelta(days=20),
                    ),
                )
        services.assessment_submit(actor=respondent, response=response)
        services.reviewer_assign(actor=SYSTEM, response=response, reviewer=reviewer)
    louisville = Response.objects.get(wave=wave, city=cities[SENT_BACK])
    as_reviewer = SYSTEM.as_of(timezone.now(), by=reviewer)
    for code, note in REQUESTS.items():
        services.review_decide(
            actor=as_reviewer, response=louisville, criterion=code, outcome="needs_evidence", note=note
        )
    services.review_decide(actor=as_reviewer, response=louisville, criterion="OD1", outcome="accepted")
    services.assessment_return(actor=as_reviewer, response=louisville)
    return 3
