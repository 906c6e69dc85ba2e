"""Panel 40 of the city team page: the city's recommendations in a scored wave, each with its
reasons, priority, first actions and peer examples (cases and programme cities strong on it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

from civicmeter.narrative import LANGUAGES, SHIPPED_CASES, CaseEntry, Triggered
from civicmeter.web.accounts.permissions import Action, user_has_permission
from civicmeter.web.agenda.selectors import by_recommendation

from . import content, selectors


@dataclass(frozen=True)
class ShownRecommendation:
    """One recommendation as the page shows it: the domain item plus names for its codes."""

    item: Triggered
    component: str
    strong: list[tuple[str, int]]  # (city name, share of the maximum in whole percent)
    on_agenda: object = None  # the city's agenda action made from it, if there is one

    @property
    def lang(self) -> str:
        """``lang`` for the title and first actions: "" when they are in the page's language,
        else the language they fell back to (English, where the rules are not translated)."""
        shown = self.item.text_language
        return "" if shown == self.item.language else shown

    @property
    def cases(self) -> list[tuple]:
        """``(case, texts, lang)``: the case's country, title and summary in the page's language
        (see :func:`shown_case`) and the ``lang`` to mark them with ("" when none is needed)."""
        return [(c, *shown_case(c, self.item.language)) for c in self.item.cases]

    @property
    def priority_percent(self) -> int | None:
        return None if self.item.priority is None else round(100 * self.item.priority)


def page_language() -> str:
    """The active language if the narrative texts have it (they have the site's), else English."""
    language = (get_language() or "en").split("-")[0]
    return language if language in LANGUAGES else "en"


def shown_case(case: CaseEntry, language: str) -> tuple[dict[str, str], str]:
    """A case's texts in ``language`` (English where it is not translated) and the ``lang`` they
    need: "" in the page's language; "en" for an English fallback of the shipped file or of a
    translated staff file; "" for an untranslated staff case, written in whatever language its
    staff chose."""
    shown = case.text_language(language)
    translated = case.file == str(SHIPPED_CASES) or len(case.summary.translations) > 1
    return case.in_language(language), ("" if shown == language or not translated else shown)


def component_names() -> dict[str, str]:
    return {c.code: c.name for recipe in content.recipes() for c in recipe.components}


def shown(found: selectors.CityRecommendations, planned: dict | None = None) -> list[ShownRecommendation]:
    names = component_names()
    return [
        ShownRecommendation(
            t,
            names.get(t.recommendation.component, t.recommendation.component),
            [(found.names.get(slug, slug), round(100 * share)) for slug, share in t.strong_cities],
            (planned or {}).get(t.number),
        )
        for t in found.result.items
    ]


def recommendations_context(request, programme, city) -> dict | None:
    waves = selectors.scored_survey_waves(programme, city)
    if not waves:
        return {"waves": [], "found": None}
    chosen = next((w for w in waves if w.code == request.GET.get("wave")), waves[0])
    peers = request.GET.get("peers") if request.GET.get("peers") in selectors.PEER_KINDS else "all"
    found = selectors.city_recommendations(chosen, city, peers=peers, language=page_language())
    return {
        "waves": waves,
        "wave": chosen,
        "peers": peers,
        "peer_kinds": selectors.PEER_KINDS,
        "found": found,
        "items": shown(found, by_recommendation(programme, city)) if found else [],
        "can_plan": user_has_permission(request.user, Action.EDIT_AGENDA, programme=programme, city=city),
        "is_staff": user_has_permission(request.user, Action.VIEW_WAVE, programme=programme),
    }
