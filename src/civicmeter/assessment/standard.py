"""The data-use standard as data: practices, criteria, checklists with an "at least N of M" rule,
prerequisites, freshness windows and the evidence each criterion needs.

A :class:`Standard` is what :func:`civicmeter.assessment.loader.load_standard` builds from the
assessment workbook (practices and statements), the scoring recipe (prerequisites, tier bands and
gates) and the standard file (the rest); everything here is frozen so a loaded standard can be
shared and cached.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from civicmeter.scoring.recipe import ScoringRecipe

#: Kinds of evidence a criterion can ask for: an uploaded document, a link, either with a date.
EVIDENCE_KINDS = ("document", "link")


def translated(texts: Mapping[str, str], lang: str, default: str = "en") -> str:
    """``texts`` in ``lang``, else in ``default``, else the first one given."""
    return texts.get(lang) or texts.get(default) or next(iter(texts.values()), "")


class Worded:
    """A part of the standard stated in several languages (``texts`` by language code), read in one."""

    texts: Mapping[str, str]

    def text(self, lang: str = "en") -> str:
        return translated(self.texts, lang)


@dataclass(frozen=True)
class ChecklistItem(Worded):
    code: str
    texts: Mapping[str, str]


@dataclass(frozen=True)
class Freshness(Worded):
    """Dated evidence must fall within the last ``months`` (e.g. 4 for "at least quarterly")."""

    months: int
    texts: Mapping[str, str]


@dataclass(frozen=True)
class EvidenceNeed(Worded):
    """At least one piece of evidence of one of ``kinds``; with a freshness window, at least
    ``records`` of them dated inside it."""

    kinds: tuple[str, ...]
    texts: Mapping[str, str]
    records: int = 0


@dataclass(frozen=True)
class Criterion:
    code: str  # the recipe's code, e.g. DG2
    question: str  # the workbook's question name, e.g. dg2
    practice: str
    statements: Mapping[str, str]
    items: tuple[ChecklistItem, ...]
    min_items: int
    evidence: EvidenceNeed
    requires: tuple[str, ...] = ()
    freshness: Freshness | None = None

    def statement(self, lang: str = "en") -> str:
        return translated(self.statements, lang)

    @property
    def rule(self) -> str:
        return f"{self.min_items} of {len(self.items)}"


@dataclass(frozen=True)
class Practice:
    code: str
    names: Mapping[str, str]
    criteria: tuple[Criterion, ...]

    def name(self, lang: str = "en") -> str:
        return translated(self.names, lang)


@dataclass(frozen=True)
class Standard:
    id: str
    version: str
    practices: tuple[Practice, ...]
    recipe: ScoringRecipe
    languages: tuple[str, ...] = ("en",)
    source: str = "<dict>"

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for p in self.practices for c in p.criteria)

    def criterion(self, code: str) -> Criterion:
        """The criterion with recipe code ``code`` (``DG2``) or question name (``dg2``)."""
        for c in self.criteria:
            if code in (c.code, c.question):
                return c
        raise KeyError(f"{code} is not a criterion of standard {self.id} {self.version}")

    @property
    def prerequisites(self) -> frozenset[str]:
        """The codes some other criterion requires."""
        return frozenset(code for c in self.criteria for code in c.requires)
