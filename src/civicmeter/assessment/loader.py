"""Build a :class:`~civicmeter.assessment.standard.Standard` from three versioned files.

The assessment workbook (XLSForm) gives the practices (its sections) and the criterion statements in
every language; the scoring recipe gives each criterion's code, prerequisites and the tier bands and
gates; the standard file gives what XLSForm has no column for: checklist items with their "at least
N of M" rule, the evidence needed and freshness windows. Each fact lives in one file, so a programme
loads another standard (another workbook, recipe and standard file) without code changes. Every
problem of the standard file is reported at once, naming its key path and the fix.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from civicmeter.assessment import errors as E
from civicmeter.assessment.errors import StandardError
from civicmeter.assessment.standard import (
    EVIDENCE_KINDS,
    ChecklistItem,
    Criterion,
    EvidenceNeed,
    Freshness,
    Practice,
    Standard,
)
from civicmeter.indexing.errors import ProblemCollector
from civicmeter.instruments import Instrument, load_instrument
from civicmeter.params import InstanceOf, validate_params
from civicmeter.scoring import DATA_USE_RECIPE, load_scoring_recipe
from civicmeter.scoring.assessment import recipe_criteria
from civicmeter.scoring.recipe import ScoringRecipe
from civicmeter.yaml_schema import FileMessages, MappingReader, is_whole, read_yaml_mapping

SHIPPED_STANDARD = (
    Path(__file__).resolve().parents[1] / "content" / "instruments" / "data-use-assessment.standard.yaml"
)
SHIPPED_WORKBOOK = SHIPPED_STANDARD.with_name("data-use-assessment.xlsx")

TOP_KEYS = ("standard", "version", "instrument", "recipe", "criteria")
CRITERION_KEYS = ("min", "items", "evidence", "freshness")
FILE_MESSAGES = FileMessages(
    error=StandardError.single,
    code="assessment.E001",
    unreadable=E.UNREADABLE,
    syntax="not valid UTF-8 YAML ({error}); fix the syntax",
    not_mapping="a standard file must be a YAML mapping with keys " + ", ".join(TOP_KEYS),
    missing="the standard file does not exist; give the path of a .standard.yaml file",
)
_CODE_PREFIX = re.compile(r"^\s*[A-Z]{1,4}\d*\.\s+")


class _Reader(MappingReader):
    UNKNOWN_CODE = "assessment.E002"
    NOT_MAPPING_CODE = "assessment.E002"

    def texts(self, languages: tuple[str, ...]) -> dict[str, str]:
        """The text in each of ``languages`` (one problem per missing language)."""
        out = {}
        for lang in languages:
            value = self.content.get(lang)
            if not isinstance(value, str) or not value.strip():
                self.problem(
                    lang, "assessment.E006", E.MISSING_TEXT.format(lang=lang, langs=", ".join(languages))
                )
            else:
                out[lang] = value.strip()
        return out

    def whole(self, key: str, low: int, high: int, message: str, default: int) -> int:
        value = self.content.get(key, default)
        if not is_whole(value) or not low <= value <= high:
            self.problem(key, "assessment.E005", message.format(value=value))
            return default
        return int(value)


def _strip_code(texts) -> dict[str, str]:
    return {lang: _CODE_PREFIX.sub("", text) for lang, text in texts.items()}


def _items(r: _Reader, languages) -> tuple[ChecklistItem, ...]:
    raw = r.content.get("items")
    codes = [e.get("code") for e in raw if isinstance(e, dict)] if isinstance(raw, list) else []
    if not raw or len(codes) != len(raw) or len(set(codes)) != len(codes) or not all(codes):
        r.problem("items", "assessment.E004", E.BAD_ITEMS)
        return ()
    items = []
    for k, entry in enumerate(raw):
        sub = r.nested(entry, f"items[{k}]")
        sub.only(("code", *languages))
        items.append(ChecklistItem(str(entry["code"]), sub.texts(languages)))
    return tuple(items)


def _evidence(r: _Reader, languages, has_window: bool) -> EvidenceNeed:
    sub = r.nested(r.content.get("evidence"), "evidence")
    sub.only(("kinds", "records", *languages))
    kinds = sub.content.get("kinds")
    if not isinstance(kinds, list) or not kinds or not set(kinds) <= set(EVIDENCE_KINDS):
        sub.problem(
            "kinds", "assessment.E007", E.BAD_KINDS.format(allowed=" or ".join(EVIDENCE_KINDS), value=kinds)
        )
        kinds = list(EVIDENCE_KINDS)
    records = 0
    if "records" in sub.content:
        records = sub.whole("records", 1, 12, E.BAD_RECORDS, 1)
        if not has_window:
            sub.problem("records", "assessment.E009", E.RECORDS_WITHOUT_WINDOW)
    elif has_window:
        records = 1
    return EvidenceNeed(tuple(kinds), sub.texts(languages), records)


def _freshness(r: _Reader, languages) -> Freshness | None:
    if "freshness" not in r.content:
        return None
    sub = r.nested(r.content["freshness"], "freshness")
    sub.only(("months", *languages))
    return Freshness(sub.whole("months", 1, 60, E.BAD_MONTHS, 12), sub.texts(languages))


def _criterion(r: _Reader, item, practice: str, question: str, statements, languages) -> Criterion:
    r.only(CRITERION_KEYS)
    items = _items(r, languages)
    minimum = r.whole("min", 1, max(len(items), 1), E.BAD_MIN.replace("{count}", str(len(items))), 1)
    freshness = _freshness(r, languages)
    evidence = _evidence(r, languages, freshness is not None)
    return Criterion(
        code=item.code,
        question=question,
        practice=practice,
        statements=_strip_code(statements),
        items=items,
        min_items=minimum,
        evidence=evidence,
        requires=tuple(item.requires),
        freshness=freshness,
    )


def _check_partner(root: _Reader, key: str, what: str, got: str) -> None:
    expected = root.content.get(key)
    if expected is not None and str(expected) != got:
        root.problem(
            key, "assessment.E003", E.WRONG_PARTNER.format(what=what, expected=str(expected), got=got)
        )


@validate_params(
    {
        "instrument": [InstanceOf(Instrument, "an Instrument")],
        "recipe": [InstanceOf(ScoringRecipe, "a ScoringRecipe")],
        "path": [InstanceOf((str, Path), "a path")],
    }
)
def load_standard(instrument: Instrument, recipe: ScoringRecipe, path: str | Path) -> Standard:
    """The standard of ``instrument`` scored by ``recipe``, with the extras of the file ``path``.

    Raises :class:`StandardError` with every problem (``assessment.E0xx``): a criterion without its
    entry or an entry for no criterion, item lists and "N of M" rules that do not add up, a text
    missing in one of the instrument's languages, unknown evidence kinds, bad freshness windows.
    """
    content, _sha = read_yaml_mapping(path, FILE_MESSAGES)
    problems = ProblemCollector(StandardError)
    root = _Reader(content, str(path), "", problems)
    root.only(TOP_KEYS)
    _check_partner(root, "instrument", "instrument", instrument.form_id)
    _check_partner(root, "recipe", "recipe", recipe.id)
    question_of = {code: name for name, code in recipe_criteria(instrument, recipe).items()}
    entries: dict[str, Any] = root.content.get("criteria") or {}
    criteria = root.nested(entries, "criteria")
    for code in entries:
        if code not in question_of:
            criteria.problem(
                str(code), "assessment.E003", E.UNKNOWN_CRITERION.format(code=code, recipe=recipe.id)
            )
    practices = []
    languages = instrument.languages
    for component in recipe.components:
        built = []
        for item in component.items:
            if item.code not in entries:
                criteria.problem(item.code, "assessment.E003", E.NO_CRITERION.format(code=item.code))
                continue
            question = instrument.question(question_of[item.code])
            sub = criteria.nested(entries[item.code], item.code)
            built.append(_criterion(sub, item, component.code, question.name, question.labels, languages))
        section = instrument.question(question_of[component.items[0].code]).section
        names = _strip_code(instrument.section(section).labels) or {"en": component.name}
        practices.append(Practice(component.code, names, tuple(built)))
    problems.raise_if_any()
    return Standard(
        id=str(root.content.get("standard", recipe.id)),
        version=str(root.content.get("version", recipe.version)),
        practices=tuple(practices),
        recipe=recipe,
        languages=languages,
        source=str(path),
    )


def load_shipped_standard() -> Standard:
    """The default data-use standard (38 criteria in 7 practices) shipped with Civicmeter."""
    return load_standard(
        load_instrument(SHIPPED_WORKBOOK), load_scoring_recipe(DATA_USE_RECIPE), SHIPPED_STANDARD
    )
