"""The rules and case library a programme uses: its newest saved version, else the shipped file.

Stored versions are YAML text; the domain loaders (``narrative.load_rules``, ``load_cases``) read
files, so a version is checked from a private temporary file named after it, and the problems are
reported with that name (``rules v3``), never the temporary path. Loaded content is kept per
process by version (rows are immutable, so nothing needs invalidating).
"""

from __future__ import annotations

import dataclasses
import functools
import tempfile
from pathlib import Path

from civicmeter import scoring
from civicmeter.instruments import Instrument
from civicmeter.narrative import SHIPPED_RULES, CaseLibrary, NarrativeError, RuleSet, load_cases, load_rules

from .models import ContentVersion

SHIPPED = "shipped"


@functools.cache
def recipes() -> tuple[scoring.ScoringRecipe, ...]:
    """The recipes whose components and criteria rules may name (PSI and data use)."""
    return (
        scoring.load_scoring_recipe(scoring.PSI_RECIPE),
        scoring.load_scoring_recipe(scoring.DATA_USE_RECIPE),
    )


class ContentError(ValueError):
    """A rules or case text that does not load; ``lines`` are its problems, one per line."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def _from_text(name: str, text: str, load):
    """``load(path)`` on ``text`` saved as ``name`` in a private directory; problems name ``name``."""
    with tempfile.TemporaryDirectory(prefix="civicmeter-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        try:
            return load(path)
        except NarrativeError as exc:
            raise ContentError(str(exc).replace(f"{folder}/", "").splitlines()) from exc


def rules_from_text(text: str, instrument: Instrument, *, name: str) -> RuleSet:
    """The rules in ``text``, validated against ``instrument`` and the recipes (``ContentError``)."""
    rules = _from_text(name, text, lambda path: load_rules(path, instrument, recipes()))
    return dataclasses.replace(rules, source=name)


def cases_from_text(text: str | None, rules: RuleSet, instrument: Instrument, *, name: str) -> CaseLibrary:
    """The shipped cases followed by those in ``text`` (if any), all validated (``ContentError``)."""
    if text is None:
        try:
            return load_cases(rules, instrument)
        except NarrativeError as exc:  # a shipped file broken by a rules version: say so
            raise ContentError(str(exc).splitlines()) from exc

    def load(path: Path) -> CaseLibrary:
        library = load_cases(rules, instrument, extra=(path,))
        cases = tuple(dataclasses.replace(c, file=name) if c.file == str(path) else c for c in library.cases)
        files = {(name if f == str(path) else Path(f).name): sha for f, sha in library.files.items()}
        return CaseLibrary(cases, files)

    return _from_text(name, text, load)


def latest(programme, kind: str) -> ContentVersion | None:
    return ContentVersion.objects.filter(programme=programme, kind=kind).order_by("-number").first()


def version_name(version: ContentVersion | None, kind: str) -> str:
    return f"{kind} v{version.number}.yaml" if version else f"{kind} ({SHIPPED}).yaml"


#: Loaded rules and case libraries by what they are made from: the kind, the version (id, number and
#: the text's sha256; None for the shipped file) and the instrument's sha256.
_LOADED: dict[tuple, object] = {}


def _cached(key: tuple, make):
    if key not in _LOADED:
        if len(_LOADED) > 64:
            _LOADED.clear()
        _LOADED[key] = make()
    return _LOADED[key]


def active_rules(programme, instrument: Instrument) -> RuleSet:
    """The programme's newest rules version (else the shipped rules), loaded once per process."""
    version = latest(programme, ContentVersion.Kind.RULES)
    if version is None:
        return _cached(
            ("rules", None, instrument.sha256), lambda: load_rules(SHIPPED_RULES, instrument, recipes())
        )
    name = version_name(version, "rules")
    return _cached(
        ("rules", version.pk, version.number, version.sha256, instrument.sha256),
        lambda: rules_from_text(version.text, instrument, name=name),
    )


def active_cases(programme, rules: RuleSet, instrument: Instrument) -> CaseLibrary:
    """The shipped cases plus the programme's newest case file, checked against ``rules``."""
    version = latest(programme, ContentVersion.Kind.CASES)
    own = (version.pk, version.number, version.sha256) if version else None
    key = ("cases", own, rules.sha256, rules.source, instrument.sha256)
    name = version_name(version, "cases")
    return _cached(
        key, lambda: cases_from_text(version.text if version else None, rules, instrument, name=name)
    )
