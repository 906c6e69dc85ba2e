"""Panel 40 of the city team page: the city's recommendations in a scored wave, each with its
reasons, priority, first actions and peer examples (cases and programme cities strong on it)."""

from __future__ import annotations

from dataclasses import dataclass

from civicmeter.narrative import SHIPPED_CASES, Triggered
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
    def cases(self) -> list[tuple]:
        """``(case, language)``: the shipped cases are written in English (``lang="en"`` on other
        pages); a programme's own cases in whatever language its staff wrote them ("")."""
        return [(c, "en" if c.file == str(SHIPPED_CASES) else "") for c in self.item.cases]

    @property
    def priority_percent(self) -> int | None:
        return None if self.item.priority is None else round(100 * self.item.priority)


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
    found = selectors.city_recommendations(chosen, city, peers=peers)
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
