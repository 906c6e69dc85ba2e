"""The city team page's panels 60 (goals and KPIs) and 70 (progress across waves)."""

from __future__ import annotations

from .permissions import may_edit_goals
from .progress import city_progress
from .selectors import goals_overview, settings_of


def goals_context(request, programme, city) -> dict:
    settings = settings_of(programme, city)
    goals = goals_overview(programme, city, settings.rule)
    return {
        "goals": goals,
        "settings": settings,
        "can_edit": may_edit_goals(request.user, programme, city),
    }


def progress_context(request, programme, city) -> dict:
    progress, waves = city_progress(programme, city)
    return {"progress": progress, "scored_waves": [wave.code for wave, _score in waves]}
