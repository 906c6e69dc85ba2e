"""The data-use assessment pages: the city fills in criteria and submits; reviewers decide; admins
assign reviewers; everyone allowed reads the verdict and the roadmap.

Views parse input, call one service and render; who may open what is decided by
``selectors.access_*`` (404 for "not yours", so an unassigned reviewer learns nothing).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicmeter import assessment
from civicmeter.web.accounts.permissions import (
    Action,
    user_has_permission,
)
from civicmeter.web.collection.starting import start_response
from civicmeter.web.core.refusals import shown_refusal

from . import display, selectors, services
from .forms import AssignForm, CriterionForm, DecisionForm
from .models import CriterionClaim, CriterionReply, EvidencePiece

#: What a user who may not act on an assessment learns: the same 404 as for one that does not exist.
NO_ASSESSMENT = "No such assessment."


def _lang() -> str:
    return (get_language() or "en")[:2]


def _is_city(user, response) -> bool:
    return user_has_permission(
        user, Action.EDIT_RESPONSE, programme=response.wave.programme, city=response.city
    )


def _rows(response, standard, lang):
    """One row per criterion with the claim, its check, the latest decision and evidence."""
    claims = selectors.claims_of(response, standard)
    checks = assessment.check_claims(standard, claims, today=selectors.today())
    latest = selectors.latest_reviews(response, standard)
    evidence = {}
    for row in EvidencePiece.objects.filter(response=response):
        evidence.setdefault(row.criterion, []).append(row)
    practices = []
    for practice in standard.practices:
        rows = []
        for criterion in practice.criteria:
            check = checks[criterion.code]
            rows.append(
                {
                    "criterion": criterion,
                    "statement": criterion.statement(lang),
                    "claim": claims[criterion.code],
                    "check": check,
                    "why_not": [display.shortfall_text(s) for s in check.shortfalls],
                    "review": latest.get(criterion.code),
                    "evidence": evidence.get(criterion.code, []),
                }
            )
        practices.append({"practice": practice, "name": practice.name(lang), "rows": rows})
    return practices, checks, latest


def _verdict_context(response, standard):
    verdict = selectors.verdict_of(response, standard)
    return {
        "verdict": verdict,
        "tier_name": display.tier_name(verdict.tier),
        "class_name": display.class_name(verdict.score_class),
        "practice_names": {p.code: p.name(_lang()) for p in standard.practices},
    }


@login_required
@require_POST
def start(request, programme: str, code: str, city: str):
    """Open (or create) the city's assessment, then show it."""
    response = start_response(request, programme, code, city)
    return redirect("assessment:overview", response.pk) if response else redirect("accounts:home")


@login_required
@require_GET
def overview(request, pk: int):
    response = selectors.access_assessment(request.user, pk)
    standard = selectors.standard_for(response.wave)
    practices, checks, latest = _rows(response, standard, _lang())
    is_city = _is_city(request.user, response)
    unanswered = selectors.unanswered_requests(response, latest)
    context = {
        "response": response,
        "standard": standard,
        "practices": practices,
        "would_meet": sum(1 for c in checks.values() if c.would_meet),
        "total": len(checks),
        "is_city": is_city,
        "editable": is_city and response.is_editable,
        "may_review": selectors.may_review(request.user, response),
        "open_requests": selectors.open_requests(latest),
        "requests": [
            {"code": code, "note": latest[code].note, "answered": code not in unanswered}
            for code in selectors.open_requests(latest)
        ],
        "unanswered": unanswered,
        "return_event": response.events.filter(action="return").order_by("-at").first()
        if response.status == "returned"
        else None,
        **_verdict_context(response, standard),
    }
    return render(request, "assessment/overview.html", context)


def _criterion_context(request, response, criterion, form):
    standard = selectors.standard_for(response.wave)
    lang = _lang()
    claims = selectors.claims_of(response, standard)
    check = assessment.check_claims(standard, claims, today=selectors.today())[criterion.code]
    latest = selectors.latest_reviews(response, standard)
    order = [c.code for c in standard.criteria]
    position = order.index(criterion.code)
    is_city = _is_city(request.user, response)
    return {
        "response": response,
        "criterion": criterion,
        "statement": criterion.statement(lang),
        "practice_name": next(p.name(lang) for p in standard.practices if p.code == criterion.practice),
        "items": [(i.code, i.text(lang), i.code in claims[criterion.code].items) for i in criterion.items],
        "evidence_need": criterion.evidence.text(lang),
        "freshness": criterion.freshness.text(lang) if criterion.freshness else "",
        "check": check,
        "why_not": [display.shortfall_text(s) for s in check.shortfalls],
        "evidence": EvidencePiece.objects.filter(response=response, criterion=criterion.code),
        "history": selectors.review_history(response, standard).get(criterion.code, []),
        "replies": CriterionReply.objects.filter(response=response, criterion=criterion.code).select_related(
            "by"
        ),
        "open_request": latest.get(criterion.code)
        if criterion.code in selectors.open_requests(latest)
        else None,
        "form": form,
        "editable": is_city and response.is_editable,
        "previous": order[position - 1] if position else None,
        "next": order[position + 1] if position + 1 < len(order) else None,
    }


def _claim_version(response, code):
    claim = CriterionClaim.objects.filter(response=response, criterion=code).first()
    return claim.version if claim else None


@login_required
def criterion(request, pk: int, code: str):
    """One criterion: tick items, explain, attach evidence, answer the reviewer (city); read (staff)."""
    response = selectors.access_assessment(request.user, pk)
    standard = selectors.standard_for(response.wave)
    try:
        found = standard.criterion(code)
    except KeyError:
        raise Http404("No such criterion.") from None
    claims = selectors.claims_of(response, standard)
    initial = {
        "items": sorted(claims[found.code].items),
        "text": claims[found.code].text,
        "version": _claim_version(response, found.code),
    }
    if request.method == "POST":
        form = CriterionForm(request.POST, request.FILES, criterion=found, lang=_lang())
        if form.is_valid():
            data = form.cleaned_data
            with shown_refusal(request, each=True, hidden=NO_ASSESSMENT):
                services.criterion_save(actor=request.user, response=response, entry=form.entry())
                messages.success(request, _("%(code)s saved.") % {"code": found.code})
                return redirect("assessment:criterion", response.pk, found.code)
            # refused (the messages say why); the claim was saved before the evidence was refused: show it,
            # keep what was typed
            kept = {k: request.POST.get(k, "") for k in ("url", "label", "dated", "reply")}
            form = CriterionForm(
                initial={
                    **initial,
                    **kept,
                    "items": data["items"],
                    "text": data["text"],
                    "version": _claim_version(response, found.code),
                },
                criterion=found,
                lang=_lang(),
            )
            context = _criterion_context(request, response, found, form)
            return render(request, "assessment/criterion.html", context, status=400)
    else:
        form = CriterionForm(initial=initial, criterion=found, lang=_lang())
    return render(request, "assessment/criterion.html", _criterion_context(request, response, found, form))


@login_required
@require_POST
def autosave(request, pk: int, code: str):
    """The criterion page's script saves ticks and text as they change (JSON answer)."""
    response = selectors.access_assessment(request.user, pk)
    version = request.POST.get("version") or None
    try:
        claim = services.claim_save(
            actor=request.user,
            response=response,
            criterion=code,
            items=request.POST.getlist("items"),
            text=request.POST.get("text", ""),
            version=int(version) if version and version.isdigit() else None,
        )
    except PermissionDenied:
        raise Http404(NO_ASSESSMENT) from None
    except ValidationError as exc:
        return JsonResponse({"saved": False, "message": " ".join(exc.messages)}, status=409)
    return JsonResponse({"saved": True, "version": claim.version, "message": _("Saved.")})


@login_required
@require_POST
def evidence_remove(request, key):
    evidence = selectors.access_evidence(request.user, key)
    with shown_refusal(request, hidden="No such evidence."):
        services.evidence_remove(actor=request.user, evidence=evidence)
    return redirect("assessment:criterion", evidence.response_id, evidence.criterion)


@login_required
@require_GET
def evidence_file(request, key):
    """A stored evidence file, only to the city, its assigned reviewers and programme admins;
    always as a download, with the type found from its content."""
    evidence = selectors.access_evidence(request.user, key)
    if evidence.kind != EvidencePiece.Kind.DOCUMENT or not evidence.file:
        raise Http404("No such file.")
    http = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.filename,
        content_type=evidence.content_type,
    )
    http["X-Content-Type-Options"] = "nosniff"
    http["Cache-Control"] = "private, no-store"
    return http


@login_required
@require_POST
def submit(request, pk: int):
    response = selectors.access_assessment(request.user, pk)
    with shown_refusal(request, each=True, hidden=NO_ASSESSMENT):
        services.assessment_submit(actor=request.user, response=response)
        messages.success(request, _("Submitted. A reviewer will go through each criterion."))
    return redirect("assessment:overview", pk)


@login_required
@require_GET
def review(request, pk: int):
    response = selectors.access_assessment(request.user, pk, review=True)
    standard = selectors.standard_for(response.wave)
    practices, checks, latest = _rows(response, standard, _lang())
    history = selectors.review_history(response, standard)
    replies = {}
    for reply in CriterionReply.objects.filter(response=response).select_related("by"):
        replies.setdefault(reply.criterion, []).append(reply)
    for practice in practices:
        for row in practice["rows"]:
            code = row["criterion"].code
            row["history"] = history.get(code, [])
            row["replies"] = replies.get(code, [])
            row["form"] = DecisionForm(prefix=code)
    context = {
        "response": response,
        "practices": practices,
        "open_requests": selectors.open_requests(latest),
        "decided": len(latest),
        "total": len(checks),
        **_verdict_context(response, standard),
    }
    return render(request, "assessment/review.html", context)


@login_required
@require_POST
def decide(request, pk: int, code: str):
    response = selectors.access_assessment(request.user, pk, review=True)
    form = DecisionForm(request.POST, prefix=code)
    if not form.is_valid():
        messages.error(request, _("%(code)s: choose a decision.") % {"code": code})
        return redirect(reverse("assessment:review", args=[pk]) + f"#c-{code}")
    with shown_refusal(request, prefix=f"{code}: ", hidden=NO_ASSESSMENT):
        services.review_decide(
            actor=request.user,
            response=response,
            criterion=code,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("%(code)s: decision recorded.") % {"code": code})
    return redirect(reverse("assessment:review", args=[pk]) + f"#c-{code}")


def _review_step(request, pk: int, service, done: str):
    response = selectors.access_assessment(request.user, pk, review=True)
    with shown_refusal(request, each=True, hidden=NO_ASSESSMENT):
        service(actor=request.user, response=response)
        messages.success(request, done)
    return redirect("assessment:review", pk)


@login_required
@require_POST
def send_back(request, pk: int):
    return _review_step(
        request, pk, services.assessment_return, _("Sent back to the city for more evidence.")
    )


@login_required
@require_POST
def validate(request, pk: int):
    return _review_step(
        request, pk, services.assessment_validate, _("Review closed: accepted criteria now score.")
    )


@login_required
@require_GET
def wave_assessments(request, programme: str, code: str):
    """The assessments of a wave: admins see all and assign reviewers; reviewers see theirs."""
    wave = selectors.access_assessment_wave(request.user, programme, code)
    is_admin = user_has_permission(request.user, Action.MANAGE_WAVE, programme=wave.programme)
    rows = selectors.assessments_of(wave)
    if not is_admin:
        rows = rows.filter(reviewers__reviewer=request.user)
    standard = selectors.standard_for(wave)
    reviewers = (
        get_user_model()
        .objects.filter(roles__programme=wave.programme, roles__kind__in=["reviewer", "admin"])
        .distinct()
        .order_by("username")
    )
    table = []
    for response in rows:
        verdict = selectors.verdict_of(response, standard)
        table.append(
            {
                "response": response,
                "assigned": [a.reviewer for a in response.reviewers.all()],
                "verdict": verdict,
                "tier_name": display.tier_name(verdict.tier),
                "form": AssignForm(reviewers=reviewers, prefix=f"r{response.pk}") if is_admin else None,
            }
        )
    context = {"wave": wave, "rows": table, "is_admin": is_admin}
    return render(request, "assessment/wave.html", context)


@login_required
@require_POST
def assign(request, pk: int):
    response = selectors.access_assessment(request.user, pk, review=True)
    wave = response.wave
    reviewers = get_user_model().objects.filter(roles__programme=wave.programme).distinct()
    form = AssignForm(request.POST, reviewers=reviewers, prefix=f"r{pk}")
    target = reverse("assessment:wave", args=[wave.programme.slug, wave.code])
    if not form.is_valid():
        messages.error(request, _("Choose a reviewer."))
        return redirect(target)
    with shown_refusal(request, hidden=NO_ASSESSMENT):
        services.reviewer_assign(
            actor=request.user, response=response, reviewer=form.cleaned_data["reviewer"]
        )
        messages.success(
            request,
            _("%(user)s now reviews %(city)s.")
            % {"user": form.cleaned_data["reviewer"].get_username(), "city": response.city.name},
        )
    return redirect(target)


@login_required
@require_GET
def assigned(request):
    """The assessments the signed-in reviewer is assigned to, with their state."""
    rows = []
    for response in selectors.assigned_to(request.user):
        standard = selectors.standard_for(response.wave)
        latest = selectors.latest_reviews(response, standard)
        rows.append({"response": response, "decided": len(latest), "open": selectors.open_requests(latest)})
    return render(request, "assessment/assigned.html", {"rows": rows})
