"""Apply one trigger to one city's evidence: fires, does not fire, or cannot tell.

"Cannot tell" (``fires is None``) is kept apart from "does not fire": a question the city was not
asked or left empty, or data-use criteria never reviewed, say nothing about the city, so they
neither trigger a recommendation nor count among the peers who have what it asks for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from civicmeter.instruments import Instrument
from civicmeter.narrative.rules import Trigger


@dataclass(frozen=True)
class Finding:
    """What one trigger found for one city; ``answer`` (the English label of option ``choice``),
    ``count``, ``unmet`` fill its reason."""

    fires: bool | None
    answer: str = ""
    choice: str = ""
    count: int = 0
    unmet: tuple[str, ...] = ()


def check_trigger(
    trigger: Trigger, instrument: Instrument, answers: Mapping[str, str], met: frozenset[str] | None
) -> Finding:
    """``answers`` are the city's counted answers (``visible_answers``); ``met`` its criteria
    accepted after review, or None when the city has no reviewed assessment."""
    if trigger.operator == "criteria_unmet":
        if met is None:
            return Finding(None)
        unmet = tuple(code for code in trigger.value if code not in met)
        return Finding(bool(unmet), unmet=unmet)
    value = answers.get(trigger.question, "")
    if not value:
        return Finding(None)
    question = instrument.question(trigger.question)
    if trigger.operator == "equals":
        fires = value == trigger.value
    elif trigger.operator == "in":
        fires = value in trigger.value
    else:
        chosen = set(value.split())
        if trigger.operator == "includes_any":
            fires = bool(chosen & set(trigger.value))
        elif trigger.operator == "includes_none":
            fires = not chosen & set(trigger.value)
        else:
            fires = len(chosen) < trigger.value
        return Finding(fires, count=len(chosen))
    label = instrument.choice_label(question.list_name, value, "en")
    return Finding(fires, answer=label, choice=value)
