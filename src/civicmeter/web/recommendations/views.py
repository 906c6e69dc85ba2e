"""Staff pages for a programme's rules and case files (versions, edit, upload) and the case library."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civicmeter.narrative import SHIPPED_CASES, SHIPPED_RULES, filter_cases, search_cases
from civicmeter.narrative.cases import POLICY_AREA_QUESTION
from civicmeter.web.accounts.permissions import Action, user_has_permission, waves_visible_to
from civicmeter.web.core.downloads import download
from civicmeter.web.core.refusals import refusal_on_form
from civicmeter.web.programmes.models import Programme

from . import content, services
from .forms import CaseForm, ContentForm
from .models import ContentVersion
from .panel import component_names, page_language, shown_case

SAVE = {ContentVersion.Kind.RULES: services.rules_save, ContentVersion.Kind.CASES: services.cases_save}
EDIT = {ContentVersion.Kind.RULES: Action.EDIT_RECOMMENDATIONS, ContentVersion.Kind.CASES: Action.ADD_CASES}
SHIPPED = {ContentVersion.Kind.RULES: SHIPPED_RULES, ContentVersion.Kind.CASES: SHIPPED_CASES}


def _programme(user, slug: str, *, staff: bool) -> Programme:
    """The programme if ``user`` has a role in it (staff: admin or reviewer); otherwise 404."""
    programme = Programme.objects.filter(slug=slug).first()
    member = programme is not None and waves_visible_to(user).filter(programme=programme).exists()
    if member and staff:
        member = user_has_permission(user, Action.VIEW_WAVE, programme=programme)
    if not member and not (programme and getattr(user, "is_superuser", False)):
        raise Http404("No such programme.")
    return programme


def _kind(kind: str) -> str:
    if kind not in ContentVersion.Kind.values:
        raise Http404("No such content.")
    return kind


@login_required
def content_page(request, programme: str, kind: str):
    """The programme's rules (or case file): the version in use, its history, and the editor."""
    row, kind = _programme(request.user, programme, staff=True), _kind(kind)
    latest = content.latest(row, kind)
    can_edit = user_has_permission(request.user, EDIT[kind], programme=row)
    problems: list[str] = []
    if request.method == "POST" and can_edit:
        form = ContentForm(request.POST, request.FILES)
        if form.is_valid():
            with refusal_on_form(form):
                version = SAVE[kind](
                    actor=request.user,
                    programme=row,
                    text=form.cleaned_data["text"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("Saved as version %(n)d.") % {"n": version.number})
                return redirect("recommendations:content", row.slug, kind)
            problems = form.non_field_errors()  # the form was valid: these are the service's
    else:
        text = (
            latest.text if latest else (SHIPPED[kind].read_text(encoding="utf-8") if kind == "rules" else "")
        )
        form = ContentForm(initial={"text": text})
    return render(
        request,
        "recommendations/content.html",
        {
            "programme": row,
            "kind": kind,
            "kind_label": ContentVersion.Kind(kind).label,
            "latest": latest,
            "versions": ContentVersion.objects.filter(programme=row, kind=kind).select_related("created_by"),
            "form": form,
            "problems": problems,
            "can_edit": can_edit,
        },
        status=400 if problems else 200,
    )


@login_required
def content_download(request, programme: str, kind: str, version: str):
    """One saved version (``v3``) or the shipped file (``shipped``) as YAML."""
    row, kind = _programme(request.user, programme, staff=True), _kind(kind)
    if version == content.SHIPPED:
        text = SHIPPED[kind].read_text(encoding="utf-8")
    else:
        number = version[1:] if version.startswith("v") and version[1:].isdigit() else None
        found = (
            ContentVersion.objects.filter(programme=row, kind=kind, number=number).first() if number else None
        )
        if found is None:
            raise Http404("No such version.")
        text = found.text
    return download(
        text, filename=f"{row.slug}-{kind}-{version}.yaml", content_type="application/yaml; charset=utf-8"
    )


def _library_choices(row: Programme):
    instrument = services.survey_instrument(row)
    rules = content.active_rules(row, instrument)
    library = content.active_cases(row, rules, instrument)
    names = component_names()
    components = sorted({r.component for r in rules.recommendations})
    areas = instrument.choices(POLICY_AREA_QUESTION).choices
    language = page_language()
    return {
        "rules": rules,
        "library": library,
        "recommendations": [
            (r.number, f"{r.number}. {r.title.in_language(language)}", _lang(r.title, language))
            for r in rules.recommendations
        ],
        "components": [(c, names.get(c, c)) for c in components],
        "policy_areas": [(c.name, instrument.text(c.labels, language)) for c in areas],
    }


def _lang(text, language: str) -> str:
    """``lang`` for a rules text shown on a ``language`` page: "" unless it fell back to English."""
    shown = text.language_of(language)
    return "" if shown == language else shown


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
def cases(request, programme: str):
    """The case library, searchable and filterable by recommendation, component and policy area."""
    row = _programme(request.user, programme, staff=False)
    choices = _library_choices(row)
    number = _int_or_none(request.GET.get("recommendation"))
    component = request.GET.get("component") or None
    area = request.GET.get("policy_area") or None
    query = request.GET.get("q", "").strip()
    found = filter_cases(choices["library"], recommendation=number, component=component, policy_area=area)
    matching = {c.id for c in search_cases(choices["library"], query)}
    titles = {n: (title, lang) for n, title, lang in choices["recommendations"]}
    names = dict(choices["components"])
    areas = dict(choices["policy_areas"])
    language = page_language()
    shown = [
        {
            "case": c,
            **dict(zip(("texts", "lang"), shown_case(c, language), strict=True)),
            "recommendations": [titles.get(n, (str(n), "")) for n in c.recommendations],
            "component": names.get(c.component, c.component),
            "policy_areas": [areas.get(a, a) for a in c.policy_areas],
        }
        for c in found
        if c.id in matching
    ]
    return render(
        request,
        "recommendations/cases.html",
        {
            "programme": row,
            "cases": shown,
            "total": len(choices["library"].cases),
            "query": query,
            "number": number,
            "component": component,
            "area": area,
            **{k: choices[k] for k in ("recommendations", "components", "policy_areas")},
            "can_add": user_has_permission(request.user, Action.ADD_CASES, programme=row),
        },
    )


@login_required
def case_add(request, programme: str):
    """Programme staff add one case; it is saved as a new version of the programme's case file."""
    row = _programme(request.user, programme, staff=True)
    if not user_has_permission(request.user, Action.ADD_CASES, programme=row):
        raise Http404("No such page.")
    choices = _library_choices(row)
    options = {k: choices[k] for k in ("components", "policy_areas")}
    options["recommendations"] = [(n, title) for n, title, _ in choices["recommendations"]]
    problems: list[str] = []
    if request.method == "POST":
        form = CaseForm(request.POST, **options)
        if form.is_valid():
            with refusal_on_form(form):
                services.case_add(actor=request.user, programme=row, case=form.case())
                messages.success(request, _("Case added to the library."))
                return redirect("recommendations:cases", row.slug)
            problems = form.non_field_errors()  # the form was valid: these are the service's
    else:
        form = CaseForm(**options)
    return render(
        request,
        "recommendations/case_add.html",
        {"programme": row, "form": form, "problems": problems},
        status=400 if problems or form.errors else 200,
    )
