"""The case library: shipped cases, staff files validated alike, filtering and search."""

import pytest
import yaml

from civicmeter.narrative import SHIPPED_CASES, NarrativeError, filter_cases, load_cases, search_cases


def test_the_shipped_cases(cases, rules):
    assert len(cases.cases) == 15
    numbers = {n for case in cases.cases for n in case.recommendations}
    assert numbers == {r.number for r in rules.recommendations}
    assert all(case.source.publication and case.source.seed for case in cases.cases)
    baltimore = next(c for c in cases.cases if c.city == "Baltimore")
    assert baltimore.recommendations == (1, 4)
    assert baltimore.source.seed == "000"


def test_filter(cases):
    assert [c.id for c in filter_cases(cases, recommendation=5)] == ["cornella-citilab-funding"]
    assert [c.id for c in filter_cases(cases, component="evaluation", policy_area="finance")] == [
        "boston-cityscore-contracts"
    ]
    assert filter_cases(cases) == cases.cases


def test_search_ignores_case_and_accents(cases):
    assert [c.id for c in search_cases(cases, "CORNELLA lab")] == ["cornella-citilab-funding"]
    assert [c.id for c in search_cases(cases, "fibre")] == ["florence-digital-services"]
    assert search_cases(cases, "nothing like this") == ()


def _write(tmp_path, cases):
    path = tmp_path / "ours.yaml"
    path.write_text(yaml.safe_dump({"id": "ours", "version": "1", "cases": cases}), encoding="utf-8")
    return path


GOOD = {
    "id": "porto-open-budget",
    "city": "Porto",
    "country": "Portugal",
    "title": "An open budget",
    "summary": "Budget data published monthly.",
    "recommendations": [8],
    "component": "data_use",
    "policy_areas": ["finance"],
    "source": {"publication": "Programme visit notes, 2026"},
}


def test_staff_add_a_file(rules, instrument, tmp_path):
    library = load_cases(rules, instrument, extra=(_write(tmp_path, [GOOD]),))
    assert library.cases[-1].id == "porto-open-budget"
    assert len(library.files) == 2
    assert [c.id for c in filter_cases(library, policy_area="finance", recommendation=8)] == [
        "porto-open-budget"
    ]


def test_a_staff_file_is_validated_like_the_shipped_one(rules, instrument, tmp_path):
    bad = [
        {**GOOD, "recommendations": [11], "policy_areas": ["parks"]},
        {**GOOD, "id": "baltimore-police-hiring", "source": {"publication": "x", "url": "www.example.org"}},
    ]
    path = _write(tmp_path, bad)
    with pytest.raises(NarrativeError) as info:
        load_cases(rules, instrument, extra=(path,))
    assert info.value.codes == ("narrative.E013", "narrative.E013", "narrative.E012", "narrative.E014")
    assert info.value.problems[0].message == (
        "recommendation 11 is not in the rules file; use one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10"
    )
    assert info.value.problems[3].message == (
        "case id 'baltimore-police-hiring' is used twice; give every case id its own code "
        f"(first in {SHIPPED_CASES})"
    )


def test_an_unreadable_case_file(rules, instrument, tmp_path):
    with pytest.raises(NarrativeError) as info:
        load_cases(rules, instrument, extra=(tmp_path / "missing.yaml",))
    assert info.value.codes == ("narrative.E011",)
