"""Where a new action can start from: a recommendation (its title and first actions), a step of the
city's data-use roadmap (its criterion and what is still missing), or the city's own idea.

The roadmap comes from the assessment app (``civicmeter.web.assessment``) when it is installed and
the city has a submitted assessment the reader may see; otherwise there are no roadmap steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps

from civicmeter.web.recommendations import content
from civicmeter.web.recommendations.services import survey_instrument

from .models import Source


@dataclass(frozen=True)
class RoadmapItem:
    code: str
    statement: str
    notes: str
    wave: str


def roadmap_items(user, programme, city, lang: str) -> list[RoadmapItem]:
    """The next steps of the city's latest data-use assessment, in roadmap order."""
    if not apps.is_installed("civicmeter.web.assessment"):
        return []
    from civicmeter.web.assessment import selectors as assessment
    from civicmeter.web.assessment.panel import latest_assessment, step_view

    response, _under_review = latest_assessment(programme, city)  # the roadmap of the validated one
    if response is None or not assessment.may_read(user, response):
        return []
    steps = assessment.roadmap_of(response, assessment.standard_for(response.wave))
    items = []
    for step in steps:
        view = step_view(step, lang)
        notes = [f"• {item}" for item in view["unticked"]]
        if view["evidence"]:
            notes.append(view["evidence"])
        items.append(RoadmapItem(view["code"], view["statement"], "\n".join(notes), response.wave.code))
    return items


def recommendation_titles(programme, lang: str = "en") -> list[tuple[int, str]]:
    """The rules' recommendation titles in ``lang`` (English where the rules are not translated)."""
    rules = content.active_rules(programme, survey_instrument(programme))
    return [(r.number, r.title.in_language(lang)) for r in rules.recommendations]


def suggestion(user, programme, city, query, lang: str) -> dict:
    """The form's initial values for ``?recommendation=N&wave=CODE`` or ``?roadmap=CODE`` (else an
    empty action of the city's own)."""
    number, code = query.get("recommendation", ""), query.get("roadmap", "")
    if number.isdigit():
        rules = content.active_rules(programme, survey_instrument(programme))
        found = next((r for r in rules.recommendations if r.number == int(number)), None)
        if found is not None:
            return {
                "title": found.title.in_language(lang),
                "notes": "\n".join(f"• {action.in_language(lang)}" for action in found.first_actions),
                "source": Source.RECOMMENDATION,
                "source_ref": str(found.number),
                "source_wave": query.get("wave", "")[:30],
            }
    if code:
        step = next((s for s in roadmap_items(user, programme, city, lang) if s.code == code), None)
        if step is not None:
            return {
                "title": f"{step.code}: {step.statement}"[:300],
                "notes": step.notes,
                "source": Source.ROADMAP,
                "source_ref": step.code,
                "source_wave": step.wave,
            }
    return {"source": Source.OWN}
