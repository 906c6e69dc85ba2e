"""What a new action starts from: a recommendation (its title and first actions) or the city's own idea."""

from __future__ import annotations

from civicmeter.web.recommendations import content
from civicmeter.web.recommendations.services import survey_instrument

from .models import Source


def suggestion(programme, query) -> dict:
    """The form's initial values for ``?recommendation=N&wave=CODE`` (else an empty own action)."""
    number = query.get("recommendation", "")
    if not number.isdigit():
        return {"source": Source.OWN}
    rules = content.active_rules(programme, survey_instrument(programme))
    found = next((r for r in rules.recommendations if r.number == int(number)), None)
    if found is None:
        return {"source": Source.OWN}
    return {
        "title": found.title,
        "notes": "\n".join(f"- {action}" for action in found.first_actions),
        "source": Source.RECOMMENDATION,
        "source_ref": str(found.number),
        "source_wave": query.get("wave", "")[:30],
    }
