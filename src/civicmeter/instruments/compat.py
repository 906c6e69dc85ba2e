"""Whether a new workbook under a registered version only adds translations.

A version names a questionnaire: its questions, choices, skip logic and checks, and the wording
respondents read. Once a wave uses a version its file cannot change, or published results would
no longer trace to what was asked. Adding a translation (a title or label in a language that had
none) changes neither: what was asked in each existing language stays word for word. So that is
the one change accepted under the same version; anything else needs a new version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass

from civicmeter.instruments.model import InstrumentForm

#: Fields holding texts by language: a new file may add languages to them, never change one.
TEXTS = frozenset({"labels", "hints", "constraint_messages", "title"})
#: Fields that follow from the texts or the file's layout, not from what is asked.
IGNORED = frozenset({"languages", "language_names", "row", "sha256"})


def translation_only_difference(registered: InstrumentForm, new: InstrumentForm) -> str | None:
    """``None`` when ``new`` asks exactly what ``registered`` asks and only adds texts in
    languages a text did not have; otherwise the first difference, in words."""
    return _difference(registered, new, "the form")


def _difference(old: object, new: object, where: str) -> str | None:
    if is_dataclass(old):
        if type(old) is not type(new):
            return f"{where} is a different kind of item"
        place = f"{type(old).__name__.lower()} {old.name}" if hasattr(old, "name") else where
        for item in fields(old):
            if item.name in IGNORED:
                continue
            before, after = getattr(old, item.name), getattr(new, item.name)
            if item.name in TEXTS:
                changed = sorted(lang for lang, text in before.items() if after.get(lang) != text)
                if changed:
                    return f"{place}: the {item.name} text in '{changed[0]}' changed"
                continue
            found = _difference(before, after, f"{place}: {item.name}")
            if found:
                return found
        return None
    if isinstance(old, tuple) and isinstance(new, tuple):
        if len(old) != len(new):
            return f"{where}: {len(old)} items became {len(new)}"
        return next((d for a, b in zip(old, new, strict=True) if (d := _difference(a, b, where))), None)
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        if set(old) != set(new):
            return f"{where}: {sorted(set(old) ^ set(new))[0]} added or removed"
        return next((d for key in old if (d := _difference(old[key], new[key], where))), None)
    return None if old == new else f"{where} changed"
