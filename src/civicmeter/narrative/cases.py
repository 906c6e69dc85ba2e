"""The case library: what other cities did, tagged by recommendation, component and policy area.

The shipped file (``content/recommendations/cases.yaml``) summarises the practices the OECD and
Bloomberg Philanthropies publications describe, in Civicmeter's own words, each naming its source.
Programme staff add their own file in the same format; every file is checked against the rules (a
case must point to recommendations that exist) and the instrument (policy areas are the survey's
options), and a case id may be used once across all files.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from civicmeter.indexing.errors import ProblemCollector
from civicmeter.instruments import Instrument
from civicmeter.narrative import errors as E
from civicmeter.narrative.errors import NarrativeError
from civicmeter.narrative.rule_reader import RuleReader, check_languages, file_messages
from civicmeter.narrative.rules import RuleSet
from civicmeter.narrative.texts import Text
from civicmeter.params import NONE, InstanceOf, validate_params
from civicmeter.yaml_schema import read_yaml_mapping

SHIPPED_CASES = Path(__file__).resolve().parent.parent / "content" / "recommendations" / "cases.yaml"
TOP_KEYS = ("id", "version", "title", "cases")
CASE_KEYS = (
    "id",
    "city",
    "country",
    "title",
    "summary",
    "recommendations",
    "component",
    "policy_areas",
    "source",
)
SOURCE_KEYS = ("publication", "seed", "url")
#: The survey question whose options are the policy areas a case may be tagged with.
POLICY_AREA_QUESTION = "s1_policy_areas"


@dataclass(frozen=True)
class Source:
    """Where a case's facts come from: a publication, optionally its seed file and address."""

    publication: str
    seed: str = ""
    url: str = ""


@dataclass(frozen=True)
class CaseEntry:
    id: str
    city: str
    country: Text
    title: Text
    summary: Text
    recommendations: tuple[int, ...]
    component: str
    policy_areas: tuple[str, ...]
    source: Source
    file: str = ""

    def text_language(self, language: str) -> str:
        """The language the case is shown in for a page in ``language`` (English if untranslated)."""
        return self.summary.language_of(language)

    def in_language(self, language: str) -> dict[str, str]:
        """Country, title and summary in ``language`` (all in English when the case is untranslated)."""
        shown = self.text_language(language)
        return {k: getattr(self, k).in_language(shown) for k in ("country", "title", "summary")}


@dataclass(frozen=True)
class CaseLibrary:
    """Cases from one or more files, in file order; ``files`` maps each file to its sha256."""

    cases: tuple[CaseEntry, ...]
    files: dict[str, str]

    def tagged(self, number: int) -> tuple[CaseEntry, ...]:
        """The cases tagged with recommendation ``number``."""
        return tuple(c for c in self.cases if number in c.recommendations)


class _CaseReader(RuleReader):
    UNKNOWN_CODE = "narrative.E012"
    NOT_MAPPING_CODE = "narrative.E012"
    MISSING_CODE = "narrative.E012"
    VALUE_CODE = "narrative.E012"


def _source(r: _CaseReader) -> Source | None:
    sub = r.nested(r.content.get("source"), "source")
    sub.only(SOURCE_KEYS)
    publication = sub.text("publication")
    seed, url = sub.text("seed", required=False), sub.text("url", required=False)
    if url and not url.startswith(("https://", "http://")):
        sub.problem("url", "narrative.E012", f"must be a web address starting with https://, got {url!r}")
    return Source(publication, seed, url) if publication else None


def _case(r: _CaseReader, rules: RuleSet, areas: tuple[str, ...], file: str) -> CaseEntry | None:
    r.only(CASE_KEYS)
    case_id = r.code("id")
    city = r.text("city")
    texts = {key: r.translated(key) for key in ("country", "title", "summary")}
    numbers = r.content.get("recommendations")
    known = [rec.number for rec in rules.recommendations]
    if not isinstance(numbers, list) or not numbers:
        r.problem(
            "recommendations",
            "narrative.E012",
            E.BAD_LIST.format(what="recommendation numbers", value=numbers),
        )
        numbers = None
    else:
        for number in numbers:
            if number not in known:
                r.problem(
                    "recommendations",
                    "narrative.E013",
                    E.NO_RECOMMENDATION.format(number=number, numbers=", ".join(map(str, known))),
                )
    component = r.code("component")
    components = sorted({rec.component for rec in rules.recommendations})
    if component is not None and component not in components:
        r.problem(
            "component", "narrative.E013", E.NO_COMPONENT.format(code=component, codes=", ".join(components))
        )
    policy_areas = r.codes("policy_areas", "policy-area codes", required=False)
    for area in policy_areas or ():
        if area not in areas:
            r.problem(
                "policy_areas",
                "narrative.E013",
                E.NO_POLICY_AREA.format(value=area, options=", ".join(areas)),
            )
    source = _source(r)
    if None in (case_id, numbers, component, policy_areas, source) or not city or not all(texts.values()):
        return None
    return CaseEntry(
        case_id,
        city,
        texts["country"],
        texts["title"],
        texts["summary"],
        tuple(numbers),
        component,
        policy_areas,
        source,
        file,
    )


def _check_languages(root: _CaseReader, cases: list[CaseEntry]) -> None:
    """Every language a file's texts use is given for every text of every case of that file
    (``narrative.E018``); staff files are checked on their own, so an English-only one loads."""
    texts = {c.id: {k: getattr(c, k) for k in ("country", "title", "summary")} for c in cases}
    check_languages(root, texts, key="cases", what="case")


FILE_MESSAGES = file_messages("case file", "narrative.E011", TOP_KEYS)


@validate_params(
    {
        "rules": [InstanceOf(RuleSet, "the RuleSet the cases refer to")],
        "instrument": [InstanceOf(Instrument, "the survey Instrument (policy areas)")],
        "extra": [InstanceOf(tuple, "a tuple of paths to further case files")],
        "path": [InstanceOf((str, Path), "a path to a YAML case file"), NONE],
    }
)
def load_cases(
    rules: RuleSet, instrument: Instrument, extra: tuple[str | Path, ...] = (), path: str | Path | None = None
) -> CaseLibrary:
    """The shipped case file (or ``path``) followed by each ``extra`` file, all validated alike.

    Raises :class:`NarrativeError` listing every problem of every file, including a case id used
    twice anywhere (``narrative.E014``).
    """
    areas = instrument.choices(POLICY_AREA_QUESTION).names
    problems = ProblemCollector(NarrativeError)
    cases, files, seen = [], {}, {}
    for file in (Path(path) if path is not None else SHIPPED_CASES, *map(Path, extra)):
        content, files[str(file)] = read_yaml_mapping(file, FILE_MESSAGES)
        root = _CaseReader(content, str(file), "", problems)
        root.only(TOP_KEYS)
        root.code("id")
        root.text("version")
        raw = content.get("cases")
        if not isinstance(raw, list) or not raw:
            root.problem("cases", "narrative.E012", E.MISSING_KEY.format(hint="list the cases under cases"))
            raw = []
        for k, entry in enumerate(raw):
            label = entry.get("id", k) if isinstance(entry, dict) else k
            case = _case(root.nested(entry, f"cases.{label}"), rules, areas, str(file))
            if case is None:
                continue
            if case.id in seen:
                root.problem(
                    f"cases.{label}",
                    "narrative.E014",
                    E.DUPLICATE.format(what="case id", code=case.id) + f" (first in {seen[case.id]})",
                )
            seen.setdefault(case.id, str(file))
            cases.append(case)
        _check_languages(root, [c for c in cases if c.file == str(file)])
    problems.raise_if_any()
    return CaseLibrary(tuple(cases), files)


@validate_params(
    {
        "library": [InstanceOf(CaseLibrary, "a CaseLibrary")],
        "recommendation": [InstanceOf(int, "a recommendation number"), NONE],
        "component": [InstanceOf(str, "a component code"), NONE],
        "policy_area": [InstanceOf(str, "a policy-area code"), NONE],
    }
)
def filter_cases(
    library: CaseLibrary,
    recommendation: int | None = None,
    component: str | None = None,
    policy_area: str | None = None,
) -> tuple[CaseEntry, ...]:
    """The cases matching every filter given (None = any), in library order."""
    return tuple(
        c
        for c in library.cases
        if (recommendation is None or recommendation in c.recommendations)
        and (component is None or c.component == component)
        and (policy_area is None or policy_area in c.policy_areas)
    )


def _folded(text: str) -> str:
    """Lower case without accents, so "cornella" finds "Cornellà"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@validate_params(
    {"library": [InstanceOf(CaseLibrary, "a CaseLibrary")], "query": [InstanceOf(str, "search words")]}
)
def search_cases(library: CaseLibrary, query: str) -> tuple[CaseEntry, ...]:
    """Cases whose city, country, title, summary (in any of their languages) or tags contain every
    word of ``query``.

    CaseEntry and accents are ignored. An empty query returns every case.
    """
    words = _folded(query).split()
    found = []
    for case in library.cases:
        haystack = _folded(
            " ".join(
                [
                    case.city,
                    *(
                        text
                        for field in (case.country, case.title, case.summary)
                        for text in field.translations.values()
                    ),
                    case.component,
                    *case.policy_areas,
                ]
            )
        )
        if all(word in haystack for word in words):
            found.append(case)
    return tuple(found)
