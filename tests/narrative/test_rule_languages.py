"""Recommendations in the language asked for: translated reasons with numbers written the way each
language writes them, the English fallback of an English-only rules file, and the validator's
message when a translated file leaves a text out (``narrative.E018``)."""

import pytest
import yaml

from civicmeter.narrative import (
    SHIPPED_CASES,
    SHIPPED_RULES,
    Evidence,
    NarrativeError,
    PeerGroup,
    load_cases,
    load_rules,
    recommend,
    search_cases,
)


def _english_only(node):
    """The shipped rules or cases with every ``{en, es, fr}`` text cut down to its English."""
    if isinstance(node, dict):
        if "en" in node and set(node) <= {"en", "es", "fr"}:
            return node["en"]
        return {k: _english_only(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_english_only(v) for v in node]
    return node


def _write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def many_peers():
    """City x has no strategy and rates the mayor's leadership only "important"; of 1,000 peers,
    999 have a strategy, so the share needs a decimal (99.9%, never a false 100%)."""
    answers = {"x": {"s1_strategy": "no", "s1_imp_mayor_leadership": "important"}}
    for k in range(1000):
        answers[f"p{k}"] = {
            "s1_strategy": "no" if k == 0 else "yes",
            "s1_imp_mayor_leadership": "very_important",
        }
    return Evidence(answers, {})


def _reasons(rules, instrument, evidence, language, number):
    group = PeerGroup("all", frozenset(evidence.answers))
    result = recommend(rules, instrument, "x", group, evidence, language=language)
    item = next(t for t in result.items if t.number == number)
    return item, {r.trigger: r for r in item.reasons}


def test_a_reason_in_spanish_and_french_with_numbers_written_per_language(rules, instrument, many_peers):
    _, en = _reasons(rules, instrument, many_peers, "en", 3)
    item, es = _reasons(rules, instrument, many_peers, "es", 3)
    _, fr = _reasons(rules, instrument, many_peers, "fr", 3)
    assert en["no_strategy"].text == "no formal strategy, while 99.9% of peers have one"
    assert es["no_strategy"].text == (
        "no hay una estrategia formal, mientras que el 99,9 % de las ciudades comparables tienen una"
    )
    assert (
        fr["no_strategy"].text
        == "pas de stratégie formelle, alors que 99,9\u00a0% des villes comparables en ont une"
    )
    assert (es["no_strategy"].language, fr["no_strategy"].language) == ("es", "fr")
    assert es["no_strategy"].peer_share == en["no_strategy"].peer_share == 0.999
    assert item.title == "Adoptar una estrategia de innovación formal y pública con objetivos medibles"
    assert item.text_language == "es"
    assert item.first_actions[0].startswith("Acordar en una página")


def test_the_answer_in_a_reason_is_the_option_label_in_that_language(rules, instrument, many_peers):
    _, es = _reasons(rules, instrument, many_peers, "es", 1)
    _, en = _reasons(rules, instrument, many_peers, "en", 1)
    english_label = en["leadership"].text.split('"')[1]
    spanish_label = es["leadership"].text.split("«")[1].split("»")[0]
    assert english_label == instrument.choice_label(
        instrument.question("s1_imp_mayor_leadership").list_name, "important", "en"
    )
    assert spanish_label == instrument.choice_label(
        instrument.question("s1_imp_mayor_leadership").list_name, "important", "es"
    )


def test_an_english_only_rules_file_loads_and_falls_back_to_english(
    tmp_path, instrument, recipes, many_peers
):
    content = _english_only(yaml.safe_load(SHIPPED_RULES.read_text(encoding="utf-8")))
    rules = load_rules(_write(tmp_path, "rules.yaml", content), instrument, recipes)
    item, es = _reasons(rules, instrument, many_peers, "es", 3)
    assert item.title == "Adopt a formal, public innovation strategy with measurable goals"
    assert item.text_language == "en"  # the page marks it lang="en"
    # the whole reason stays English, its number too, so no sentence mixes two languages
    assert es["no_strategy"].text == "no formal strategy, while 99.9% of peers have one"
    assert es["no_strategy"].language == "en"


def test_the_validator_names_the_rule_and_the_language_a_text_is_missing_in(tmp_path, instrument, recipes):
    content = yaml.safe_load(SHIPPED_RULES.read_text(encoding="utf-8"))
    del content["recommendations"][2]["title"]["fr"]
    del content["recommendations"][3]["triggers"][0]["peers"]["es"]
    with pytest.raises(NarrativeError) as info:
        load_rules(_write(tmp_path, "rules.yaml", content), instrument, recipes)
    places = {(p.code, p.place.rsplit("/", 1)[-1]) for p in info.value.problems}
    assert places == {
        ("narrative.E018", "rules.yaml key recommendations.3"),
        ("narrative.E018", "rules.yaml key recommendations.4"),
    }
    message = str(info.value)
    assert "recommendation 3 has no 'fr' text for title" in message
    assert "recommendation 4 has no 'es' text for triggers.no_team.peers" in message
    assert "recommendation 3 has no 'es'" not in message


def test_a_language_key_the_site_does_not_have_is_refused(tmp_path, instrument, recipes):
    content = yaml.safe_load(SHIPPED_RULES.read_text(encoding="utf-8"))
    content["recommendations"][0]["title"]["de"] = "Innovation aus allen Quellen"
    with pytest.raises(NarrativeError, match="narrative.E002"):
        load_rules(_write(tmp_path, "rules.yaml", content), instrument, recipes)


def test_cases_in_spanish_an_english_only_staff_file_and_a_missing_translation(tmp_path, rules, instrument):
    shipped = load_cases(rules, instrument)
    bologna = next(c for c in shipped.cases if c.id == "bologna-participation-platform")
    assert bologna.in_language("fr")["country"] == "Italie"
    assert bologna.text_language("fr") == "fr"
    assert search_cases(shipped, "presupuestos participativos") == (bologna,)
    staff = {
        "id": "staff",
        "version": "1",
        "cases": [
            _english_only(yaml.safe_load(SHIPPED_CASES.read_text(encoding="utf-8"))["cases"][0])
            | {"id": "staff-case"}
        ],
    }
    library = load_cases(rules, instrument, extra=(_write(tmp_path, "staff.yaml", staff),))
    own = library.cases[-1]
    assert (own.text_language("es"), own.in_language("es")["title"]) == ("en", own.title)
    broken = yaml.safe_load(SHIPPED_CASES.read_text(encoding="utf-8"))
    del broken["cases"][1]["summary"]["es"]
    with pytest.raises(
        NarrativeError, match=r"narrative.E018.*case helsingborg-failure-of-the-year has no 'es'"
    ):
        load_cases(rules, instrument, path=_write(tmp_path, "cases.yaml", broken))
