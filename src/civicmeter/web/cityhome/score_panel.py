"""Panel 10: the city's latest scores in each wave, by component, linking to the item-by-item
explanation (``results:city``, for programme staff)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from civicmeter.web.accounts.permissions import Action, user_has_permission
from civicmeter.web.results.models import CityScore
from civicmeter.web.results.selectors import DATA_USE, PSI, latest_run

#: What each recipe's index is called on the page.
INDEX_NAMES = {PSI: _("Innovation capacity index"), DATA_USE: _("Data-use index")}


@dataclass(frozen=True)
class WaveScore:
    wave: object
    score: CityScore
    explain: bool  # the reader may open the explanation page

    @property
    def index_name(self) -> str:
        return str(INDEX_NAMES.get(self.score.run.recipe, self.score.run.recipe))


def city_scores(programme, city, *, staff: bool) -> list[WaveScore]:
    """The city's score in the latest run of each wave (newest wave first), one per wave and recipe."""
    out = []
    for wave in programme.waves.select_related("instrument").order_by("-code"):
        for recipe in (PSI, DATA_USE):
            run = latest_run(wave, recipe)
            score = (
                CityScore.objects.filter(run=run, city=city).select_related("run").first() if run else None
            )
            if score is not None:
                out.append(WaveScore(wave, score, staff))
    return out


def scores_context(request, programme, city) -> dict | None:
    staff = user_has_permission(request.user, Action.VIEW_WAVE, programme=programme)
    scores = city_scores(programme, city, staff=staff)
    return {"scores": scores}
