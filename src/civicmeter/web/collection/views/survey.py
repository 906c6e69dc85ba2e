"""A city respondent answers a wave, section by section, with answers saved as they are entered.

The views only translate HTTP to the collection services and the instruments package: saving,
conflict detection and submission rules live in ``collection.services`` (shared with the CLI and the
importers); relevance, progress and missing answers come from ``civicmeter.instruments``. Pages work
without JavaScript (a section is one form); with htmx each input saves itself.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import (
    HttpResponseClientRedirect,
    reswap,
    retarget,
    trigger_client_event,
)

from civicmeter import instruments
from civicmeter.web.accounts.permissions import (
    Action,
    access_response_by_id,
    user_has_permission,
)
from civicmeter.web.collection import services
from civicmeter.web.collection.fragment_cache import PageCache
from civicmeter.web.collection.models import Response
from civicmeter.web.collection.starting import start_response
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import Instrument, Wave

from . import survey_display as display
from . import survey_fragments as fragments

REVIEW = "review"
SURVEY_TEMPLATE = "collection/survey.html"
#: Whole survey pages per process (see ``fragment_cache.PageCache``); the parts shared between
#: pages are kept by ``survey_fragments``.
PAGES = PageCache(size=256)


def _survey_url(response: Response, section: str | None = None) -> str:
    url = _survey_url_for_pk(response.pk)
    return f"{url}?section={section}" if section else url


def _survey_url_for_pk(pk: int) -> str:
    return reverse("collection:survey", args=[pk])


def _languages(instrument) -> list[tuple[str, str]]:
    """The interface languages the instrument has texts for; the survey can be answered in these."""
    return [(code, name) for code, name in settings.LANGUAGES if code in instrument.languages]


def _asked_language(request, instrument) -> str | None:
    """The language chosen with ``?lang=`` (the survey's language links, "Continue"), if offered."""
    asked = request.GET.get("lang")
    return asked if asked in {code for code, _name in _languages(instrument)} else None


def _survey_language(request, instrument) -> str:
    """One language for the whole page: ``?lang=`` if given, else the interface language (the
    header's menu), else the instrument's default. The page's own texts ("Saved", "Review and
    submit") are then shown in it too: :func:`_use_language` switches them."""
    lang = _asked_language(request, instrument) or request.LANGUAGE_CODE
    offered = {code for code, _name in _languages(instrument)}
    return lang if lang in offered else instrument.default_language


def _use_language(request, lang: str) -> None:
    """Render the rest of this request in the survey language, so questions and interface agree."""
    translation.activate(lang)
    request.LANGUAGE_CODE = lang


def _remember_language(request, http, instrument):
    """A language chosen on the survey becomes the interface language (the cookie the header's menu
    sets), so the choice holds on every page and on return."""
    asked = _asked_language(request, instrument)
    if asked:
        http.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            asked,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return http


def _editable_by(user, response: Response) -> bool:
    """Only the city's respondents edit, and only a draft or returned response in an open wave."""
    return (
        response.is_editable
        and response.wave.status == Wave.Status.OPEN
        and user_has_permission(
            user, Action.EDIT_RESPONSE, programme=response.wave.programme, city=response.city
        )
    )


def _read_only_reason(user, response: Response) -> str:
    if not user_has_permission(
        user, Action.EDIT_RESPONSE, programme=response.wave.programme, city=response.city
    ):
        return _("You are viewing this response as programme staff; answers are read-only.")
    if response.wave.status != Wave.Status.OPEN:
        return _("The %(wave)s wave is not open, so answers cannot be changed.") % {
            "wave": response.wave.code
        }
    return _("This response has been submitted. It is read-only unless programme staff return it.")


class SurveyPage:
    """Everything the survey templates need for one response, section and language."""

    def __init__(self, request, response: Response, section: str | None = None):
        self.request = request
        self.response = response
        self.instrument = instrument_for(response.wave.instrument)
        self.lang = _survey_language(request, self.instrument)
        _use_language(request, self.lang)
        self.stored = services.response_answer_rows(response)
        self.answers = {question: value for question, value, _version in self.stored if value != ""}
        self.versions = {question: version for question, _value, version in self.stored}
        self.editable = _editable_by(request.user, response)
        names = [s.name for s in self.instrument.sections] + [REVIEW]
        self.answer_url = reverse("collection:answer", args=[response.pk])
        if section not in names:
            section = fragments.cached(self.cache_key("resume", section=""), self.resume_section)
        self.section = section
        position = names.index(self.section)
        self.previous = names[position - 1] if position > 0 else None
        self.next = names[position + 1] if position + 1 < len(names) else None

    @cached_property
    def visible(self) -> set[str]:
        return instruments.visible(self.instrument, self.answers)

    def cache_key(self, kind: str, *, section: str) -> str:
        """What the page's rendered parts depend on (see ``survey_fragments``)."""
        identity = (self.response.pk, self.instrument.sha256, self.lang, section, self.editable)
        return fragments.content_key(kind, identity=identity, stored=self.stored)

    def page_key(self) -> tuple:
        """Everything the whole page shows besides who asks, the language and the address
        (``PageCache`` adds those): the parts' key (every stored answer and version, edit right,
        section), the response's status and version (a return's note comes with a new version), the
        city, wave and programme texts, and why it is read-only for this user."""
        wave = self.response.wave
        return (
            self.cache_key("page", section=self.section),
            self.response.status,
            self.response.version,
            self.response.city.name,
            wave.code,
            wave.status,
            wave.programme.name_in(self.lang),
            "" if self.editable else _read_only_reason(self.request.user, self.response),
        )

    def rendered_parts(self) -> dict[str, str]:
        """The section list and the section's questions as HTML, rendered once per content."""

        def render() -> dict[str, str]:
            context = {
                "response": self.response,
                "survey_lang": self.lang,
                "section": self.section,
                "review": REVIEW,
                "nav": display.nav_items(self.instrument, self.answers, self.lang),
                "items": self.items(),
            }
            return {
                "nav_html": render_to_string("collection/_survey_nav.html", context),
                "section_html": render_to_string("collection/_survey_section.html", context),
            }

        parts = fragments.cached(self.cache_key("parts", section=self.section), render)
        # Our own templates' output, escaped when it was rendered.
        return {name: mark_safe(html) for name, html in parts.items()}  # noqa: S308

    def items(self):
        if self.section == REVIEW:
            return []
        return display.section_items(
            self.instrument,
            self.section,
            lang=self.lang,
            answers=self.answers,
            versions=self.versions,
            visible=self.visible,
            readonly=not self.editable,
            answer_url=self.answer_url,
        )

    def section_label(self, name: str) -> str:
        if name == REVIEW:
            return _("Review and submit")
        return self.instrument.text(self.instrument.section(name).labels, self.lang)

    def resume_section(self) -> str:
        """Where a person coming back continues: the first section with a required answer missing;
        the review page when none is (or the first section when the response is read-only)."""
        missing = instruments.missing_required(self.instrument, self.answers)
        if missing:
            return self.instrument.question(missing[0]).section
        return REVIEW if self.editable else self.instrument.sections[0].name

    def missing(self) -> list[display.MissingSection]:
        names = instruments.missing_required(self.instrument, self.answers)
        return display.missing_by_section(self.instrument, names, self.lang)

    def context(self, **extra) -> dict:
        title, title_lang = display.text_in(self.instrument, self.instrument.title, self.lang)
        programme, programme_lang = self.response.wave.programme.name_in(self.lang)
        context = {
            "response": self.response,
            "instrument_title": title,
            "instrument_title_lang": title_lang,
            "programme_name": programme,
            "programme_name_lang": programme_lang,
            # The header's language menu comes back here without ``?lang=``, which would win.
            "language_next": _survey_url(self.response, self.section),
            "survey_lang": self.lang,
            "survey_languages": _languages(self.instrument),
            "section": self.section,
            "section_label": self.section_label(self.section),
            "previous": self.previous and (self.previous, self.section_label(self.previous)),
            "next": self.next and (self.next, self.section_label(self.next)),
            "review": REVIEW,
            "readonly": not self.editable,
            "answer_url": self.answer_url,
        }
        if "items" in extra or "q" in extra:
            # An autosave's reply renders the questions itself, with the save's outcome on one.
            context["nav"] = display.nav_items(self.instrument, self.answers, self.lang)
        else:
            context |= self.rendered_parts()
        if not self.editable:
            context["readonly_reason"] = _read_only_reason(self.request.user, self.response)
        if self.response.status == Response.Status.RETURNED:
            context["return_event"] = self.response.events.filter(action="return").first()
        if self.section == REVIEW:
            context["missing"] = self.missing()
        return context | extra


@login_required
@require_POST
def start(request, programme: str, code: str, city: str):
    """Create (or reopen) the city's response to the wave, then go to its first section."""
    response = start_response(request, programme, code, city)
    return redirect(_survey_url(response) if response else "accounts:home")


@login_required
@require_GET
def survey(request, pk: int):
    response = access_response_by_id(request.user, pk)
    if response.wave.instrument.kind == Instrument.Kind.ASSESSMENT:  # criteria, evidence and review
        return redirect("assessment:overview", response.pk)
    page = SurveyPage(request, response, request.GET.get("section"))
    http = PAGES.respond(
        request, page.page_key(), lambda extra: render(request, SURVEY_TEMPLATE, page.context(**extra))
    )
    return _remember_language(request, http, page.instrument)


def _save_section(request, page: SurveyPage):
    """Without JavaScript a section is posted whole: save each shown answer that changed.

    Only questions the post marks as present are read: a question missing from the post (an old
    page, a hand-made request) is left as stored, while a marked question without a value (every
    box unticked) is a real clear.
    """
    instrument = page.instrument
    posted = _posted_questions(request)
    for question in instrument.section(page.section).questions:
        if not question.takes_answer or question.name not in page.visible:
            continue
        if question.name not in posted:
            continue
        raw = _posted_value(request, question.name)
        if raw == page.answers.get(question.name, ""):
            continue
        result = services.answer_save(
            actor=request.user,
            response=page.response,
            question=question.name,
            raw_value=raw,
            expected_version=_posted_version(request, question.name),
            language=page.lang,
        )
        label = instrument.text(question.labels, page.lang)
        if result.error:
            messages.error(
                request,
                _("%(question)s: %(problem)s") % {"question": label, "problem": result.error},
            )
        elif result.conflict:
            messages.warning(
                request,
                _("%(question)s: %(problem)s")
                % {
                    "question": label,
                    "problem": display.conflict_message(
                        instrument, question.name, result.conflict, page.lang, viewer=str(request.user)
                    ),
                },
            )
    return redirect(_survey_url(page.response, page.section))


def _posted_questions(request) -> set[str]:
    """The questions the form carried (each has a hidden ``present`` marker, ``_question_present.html``)."""
    return set(request.POST.getlist("present"))


def _posted_value(request, name: str) -> str:
    """The submitted answer; ticked checkboxes arrive as repeated fields, stored space-joined."""
    return " ".join(request.POST.getlist(name)).strip()


def _posted_version(request, name: str) -> int:
    try:
        return int(request.POST.get(f"version-{name}", "0"))
    except ValueError:
        return -1  # never a stored version: the save reports a conflict instead of overwriting


@require_POST
def answer(request, pk: int):
    """Save one answer (htmx) and return its save state, new version and the section progress."""
    if not request.user.is_authenticated:
        # A session that expired mid-survey: send the whole page to sign-in, not into a field.
        sign_in = redirect_to_login(_survey_url_for_pk(pk))
        return HttpResponseClientRedirect(sign_in.url) if request.htmx else sign_in
    response = access_response_by_id(request.user, pk)
    page = SurveyPage(request, response, request.POST.get("section"))
    try:
        if not request.htmx:
            if request.POST.get("section") != page.section:
                # Saving the wrong section would read its absent fields as cleared answers.
                return HttpResponseBadRequest(_("Unknown section."))
            return _save_section(request, page)
        name = request.POST.get("question", "")
        if not page.instrument.has_question(name):
            return HttpResponseBadRequest(_("Unknown question."))
        if name not in _posted_questions(request):
            # Without its marker an absent value is not an answer: never read it as a clear.
            return HttpResponseBadRequest(_("The answer was not sent; reload the page."))
        result = services.answer_save(
            actor=request.user,
            response=response,
            question=name,
            raw_value=_posted_value(request, name),
            expected_version=_posted_version(request, name),
            language=page.lang,
        )
    except ValidationError as exc:
        if not request.htmx:
            messages.error(request, " ".join(exc.messages))
            return redirect(_survey_url(response, page.section))
        return render(request, "collection/_answer_refused.html", {"problem": " ".join(exc.messages)})
    page = SurveyPage(request, response, page.instrument.question(name).section)
    items = page.items()
    question = display.find_question(items, name)
    if result.conflict:
        question.state = "conflict"
        question.message = display.conflict_message(
            page.instrument, name, result.conflict, page.lang, viewer=str(request.user)
        )
        http = render(request, "collection/_answer_conflict.html", page.context(items=items))
        http = reswap(retarget(http, "#section-body"), "outerHTML")
    else:
        question.state = "error" if result.error else "saved"
        question.message = result.error or ""
        restore = result.error and page.instrument.question(name).is_select
        if restore:
            question.message = _("%(problem)s. Not saved: your earlier answer is shown again.") % {
                "problem": result.error.rstrip(". ")
            }
        http = render(request, "collection/_answer_result.html", page.context(q=question))
        if restore:
            # A ticked box that was not saved must not stay ticked: the script puts the choices
            # back to the stored answer, keeping focus where it is.
            saved = page.answers.get(name, "")
            http = trigger_client_event(http, "civicmeter:restore", {"question": name, "value": saved})
    return trigger_client_event(http, "civicmeter:relevance", {"visible": sorted(page.visible)})


@login_required
@require_POST
def submit(request, pk: int):
    response = access_response_by_id(request.user, pk)
    try:
        services.response_submit(actor=request.user, response=response)
    except ValidationError as exc:
        page = SurveyPage(request, response, REVIEW)
        problems = display.answer_problems(page.instrument, page.answers, page.lang)
        if not problems and not page.missing():
            problems = exc.messages  # not a problem with the answers (e.g. already submitted)
        return render(request, "collection/survey.html", page.context(problems=problems))
    messages.success(
        request,
        _("The response for %(city)s has been submitted. Thank you.") % {"city": response.city.name},
    )
    return redirect(_survey_url(response, REVIEW))


@login_required
@require_GET
def history(request, pk: int):
    """Who changed which answer, when, from what to what; for one question with ``?question=``."""
    response = access_response_by_id(request.user, pk)
    page = SurveyPage(request, response)
    question = request.GET.get("question") or None
    if question and not page.instrument.has_question(question):
        raise Http404("No such question.")
    changes = services.answer_history(actor=request.user, response=response, question=question)
    rows = [
        {
            "change": change,
            "label": page.instrument.label(change.question, page.lang)
            if page.instrument.has_question(change.question)
            else change.question,
            "old": display.display_value(page.instrument, change.question, change.old_value, page.lang),
            "new": display.display_value(page.instrument, change.question, change.new_value, page.lang),
        }
        for change in changes
    ]
    return render(
        request,
        "collection/survey_history.html",
        {
            "response": response,
            "rows": rows,
            "question_label": question and page.instrument.label(question, page.lang),
        },
    )
