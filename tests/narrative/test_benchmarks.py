"""Benchmark statements: the OECD snapshot sentences, exclusions, peer groups and their errors."""

import pytest

from civicmeter.narrative import (
    BenchmarkSettings,
    NarrativeError,
    PeerGroup,
    band_of,
    benchmark_statements,
    load_wording,
    peer_groups,
    render_statement,
)


def _wave(baltimore, others):
    """Baltimore's published answers plus ``others`` (city -> answers); all form one wave."""
    return {"baltimore-us": baltimore, **others}


def _oecd_like_wave(baltimore):
    """100 cities: 50 without a strategy, 24 with specific policy areas, 81 with dedicated
    funding (Baltimore among each), the shares the OECD quoted in Baltimore's snapshot."""
    others = {}
    for k in range(99):
        others[f"city-{k:02d}"] = {
            "s1_strategy": "no" if k < 49 else "yes",
            "s1_approach": "specific" if k < 23 else ("holistic" if k < 43 else "both"),
            "s3_dedicated": "yes" if k < 80 else "no",
        }
    return _wave(baltimore, others)


@pytest.fixture(scope="module")
def oecd_set(instrument, baltimore):
    answers = _oecd_like_wave(baltimore)
    return benchmark_statements(instrument, answers, "baltimore-us", PeerGroup("all", frozenset(answers)))


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        (
            "s1_strategy",
            "Along with 50% of cities surveyed, Baltimore does not have an explicit innovation strategy.",
        ),
        (
            "s1_approach",
            "Similar to 24% of cities surveyed, Baltimore approaches innovation capacity in specific "
            "policy areas/domains.",
        ),
        (
            "s3_dedicated",
            "Like 81% of cities surveyed, Baltimore has dedicated funding to support innovation capacity.",
        ),
    ],
)
def test_the_oecd_snapshot_sentences_for_baltimore(instrument, oecd_set, question, sentence):
    wording = load_wording("en", instrument)
    assert render_statement(oecd_set.statement(question), instrument, wording, "Baltimore") == sentence


def test_the_statement_behind_the_sentence(oecd_set, baltimore):
    statement = oecd_set.statement("s1_strategy")
    assert baltimore["s1_strategy"] == "no"
    assert (statement.choice, statement.polarity, statement.count, statement.n, statement.excluded) == (
        "no",
        "does_not_have",
        50,
        100,
        0,
    )
    assert statement.share == 0.5
    assert statement.as_dict()["peer_group"] == "all"


def test_spanish_and_french(instrument, oecd_set):
    es, fr = load_wording("es", instrument), load_wording("fr", instrument)
    strategy = oecd_set.statement("s1_strategy")
    assert render_statement(strategy, instrument, es, "Baltimore") == (
        "Al igual que el 50 % de las ciudades encuestadas, Baltimore no "
        "tiene una estrategia de innovación explícita."
    )
    assert render_statement(strategy, instrument, fr, "Baltimore") == (
        "À l'instar de 50\u00a0% des villes interrogées, Baltimore "
        "n'a pas de stratégie d'innovation explicite."
    )
    funding = oecd_set.statement("s3_dedicated")
    assert render_statement(funding, instrument, fr, "Baltimore") == (
        "Comme 81\u00a0% des villes interrogées, Baltimore dispose d'un "
        "financement dédié à la capacité d'innovation."
    )


def test_dont_know_and_missing_answers_leave_the_denominator_and_are_said(instrument, baltimore):
    answers = _wave(
        {**baltimore, "s4_data_role": "significant"},
        {
            "a": {"s4_data_role": "significant"},
            "b": {"s4_data_role": "somewhat"},
            "c": {"s4_data_role": "dont_know"},
            "d": {"s1_strategy": "yes"},
        },
    )
    found = benchmark_statements(instrument, answers, "baltimore-us", PeerGroup("all", frozenset(answers)))
    statement = found.statement("s4_data_role")
    assert (statement.count, statement.n, statement.excluded) == (2, 3, 2)
    assert render_statement(statement, instrument, load_wording("en", instrument), "Baltimore") == (
        'Similar to 67% of cities surveyed, Baltimore answered "Significant" to "What role does data play in '
        'innovation decisions and policy making?" (2 cities that were not asked, left it blank or '
        'answered "don\'t know" are not counted).'
    )


def test_singular_and_plural_of_the_excluded_count(instrument, baltimore):
    answers = _wave(baltimore, {"a": {"s1_strategy": "no"}, "b": {"s2_team": "no"}})
    found = benchmark_statements(instrument, answers, "baltimore-us", PeerGroup("all", frozenset(answers)))
    statement = found.statement("s1_strategy")
    assert statement.excluded == 1
    texts = {
        lang: render_statement(statement, instrument, load_wording(lang, instrument), "Baltimore")
        for lang in ("en", "es", "fr")
    }
    assert texts["en"].endswith(
        '(1 city that was not asked, left it blank or answered "don\'t know" is not counted).'
    )
    assert texts["es"].endswith(
        "(no se cuenta 1 ciudad a la que no se preguntó, que no respondió o que respondió «no sabe»)."
    )
    assert texts["fr"].endswith(
        "(1 ville non interrogée sur ce point, sans réponse ou ayant répondu «\u00a0ne sait pas\u00a0» "
        "n'est pas comptée)."
    )


def test_only_and_lone_sentences(instrument, baltimore):
    answers = _wave(baltimore, {"a": {"s1_strategy": "yes"}, "b": {"s1_strategy": "yes"}})
    group = PeerGroup("continent", frozenset(answers), continent="NA")
    found = benchmark_statements(instrument, answers, "baltimore-us", group)
    en, fr = load_wording("en", instrument), load_wording("fr", instrument)
    assert render_statement(found.statement("s1_strategy"), instrument, en, "Baltimore") == (
        "Of the 3 cities surveyed in North America, only Baltimore "
        "does not have an explicit innovation strategy."
    )
    assert render_statement(found.statement("s1_strategy"), instrument, fr, "Baltimore") == (
        "Parmi les 3 villes interrogées en Amérique du Nord, seule "
        "Baltimore n'a pas de stratégie d'innovation explicite."
    )
    assert render_statement(found.statement("s2_team"), instrument, en, "Baltimore") == (
        "Baltimore has staff or a team dedicated to innovation; no "
        "other city surveyed in North America gave an "
        "answer that can be compared (2 cities that were not asked, left it blank or answered "
        '"don\'t know" are not counted).'
    )


def test_a_select_multiple_question_gives_one_statement_per_option(instrument, baltimore):
    answers = _wave(
        baltimore, {"a": {"s4_partners": "academia"}, "b": {"s4_partners": "private_sector none"}}
    )
    found = benchmark_statements(instrument, answers, "baltimore-us", PeerGroup("all", frozenset(answers)))
    chosen = found.statement("s4_partners", "academia")
    not_chosen = found.statement("s4_partners", "other_governments")
    assert (chosen.selected, chosen.polarity, chosen.count, chosen.n) == (True, "has", 2, 3)
    assert (not_chosen.selected, not_chosen.polarity, not_chosen.count) == (False, "does_not_have", 3)
    en = load_wording("en", instrument)
    assert render_statement(not_chosen, instrument, en, "Baltimore") == (
        "Along with 100% of cities surveyed, Baltimore did not choose "
        '"Other cities, countries or governments" '
        'for "Who plays a substantive role in the city\'s data work?".'
    )


def test_a_stale_answer_behind_a_skip_never_counts(instrument, baltimore):
    # "b" has no team, so its leftover roles answer was never asked and must not count.
    answers = _wave(baltimore | {"s2_roles": "designer"}, {"b": {"s2_team": "no", "s2_roles": "designer"}})
    found = benchmark_statements(instrument, answers, "baltimore-us", PeerGroup("all", frozenset(answers)))
    statement = found.statement("s2_roles", "designer")
    assert (statement.count, statement.n, statement.excluded) == (1, 1, 1)


def test_a_matrix_row_is_quoted_with_its_block(instrument, baltimore):
    answers = _wave(baltimore | {"s1_act_risk_taking": "often"}, {"a": {"s1_act_risk_taking": "often"}})
    found = benchmark_statements(instrument, answers, "baltimore-us", PeerGroup("all", frozenset(answers)))
    sentence = render_statement(
        found.statement("s1_act_risk_taking"), instrument, load_wording("en", instrument), "B"
    )
    assert sentence == (
        'Similar to 100% of cities surveyed, B answered "Often" to '
        '"How often does the city use each of these '
        'activities? Taking risks and testing new ideas".'
    )


def test_population_band_wording_uses_each_languages_numbers(instrument, baltimore):
    answers = _wave(baltimore, {"a": {"s1_strategy": "no"}})
    group = PeerGroup("population_band", frozenset(answers), band=(500_000, 999_999))
    statement = benchmark_statements(instrument, answers, "baltimore-us", group).statement("s1_strategy")
    texts = [
        render_statement(statement, instrument, load_wording(lang, instrument), "Baltimore")
        for lang in ("en", "es", "fr")
    ]
    assert "cities surveyed with 500,000 to 999,999 residents" in texts[0]
    assert "ciudades encuestadas de 500.000 a 999.999 habitantes" in texts[1]
    assert "villes interrogées de 500\u202f000 à 999\u202f999 habitants" in texts[2]
    open_band = PeerGroup("population_band", frozenset(answers), band=(1_000_000, None))
    statement = benchmark_statements(instrument, answers, "baltimore-us", open_band).statement("s1_strategy")
    assert "cities surveyed with 1,000,000 residents or more" in render_statement(
        statement, instrument, load_wording("en", instrument), "Baltimore"
    )


def test_members_without_a_response_are_noted_not_counted(instrument, baltimore):
    answers = _wave(baltimore, {"a": {"s1_strategy": "no"}})
    found = benchmark_statements(
        instrument, answers, "baltimore-us", PeerGroup("all", frozenset([*answers, "silent"]))
    )
    assert found.surveyed == 2
    assert found.statement("s1_strategy").n == 2
    assert found.notes[0] == "1 member(s) of the peer group have no response in this wave and are not counted"


def test_custom_settings_change_what_counts_as_missing(instrument, baltimore):
    answers = _wave(baltimore | {"s3_budget_plan": "increase"}, {"a": {"s3_budget_plan": "other"}})
    settings = BenchmarkSettings(missing_choices=("dont_know", "na", "other"))
    found = benchmark_statements(
        instrument, answers, "baltimore-us", PeerGroup("all", frozenset(answers)), settings
    )
    assert found.statement("s3_budget_plan").excluded == 1


def test_a_city_outside_its_group_or_without_answers_is_refused(instrument, baltimore):
    answers = _wave(baltimore, {"a": {"s1_strategy": "no"}})
    with pytest.raises(NarrativeError) as info:
        benchmark_statements(instrument, answers, "baltimore-us", PeerGroup("all", frozenset(["a"])))
    assert str(info.value) == (
        "[narrative.E016] peer group all: city 'baltimore-us' is not a member of peer group 'all'; "
        "benchmark a city against a group it belongs to"
    )
    with pytest.raises(NarrativeError) as info:
        benchmark_statements(instrument, answers, "b", PeerGroup("all", frozenset([*answers, "b"])))
    assert info.value.codes == ("narrative.E017",)


def test_peer_groups_from_city_facts():
    facts = {
        "baltimore-us": {"continent": "NA", "population": 611_648},
        "louisville-us": {"continent": "NA", "population": 616_261},
        "rochester-us": {"continent": "NA", "population": 208_046},
        "lisbon-pt": {"continent": "EU", "population": 547_733},
        "unknown": {},
    }
    groups = {g.kind: g for g in peer_groups("baltimore-us", facts)}
    assert groups["all"].members == frozenset(facts)
    assert groups["continent"].members == {"baltimore-us", "louisville-us", "rochester-us"}
    assert groups["population_band"].members == {"baltimore-us", "louisville-us", "lisbon-pt"}
    assert groups["population_band"].code == "population_band:500000-999999"
    assert [g.kind for g in peer_groups("unknown", facts)] == ["all"]
    assert band_of(0) == (0, 99_999)
    assert band_of(5_000_000) == (1_000_000, None)
