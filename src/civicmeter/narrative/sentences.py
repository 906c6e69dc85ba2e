"""Benchmark statements as sentences in the spirit of the OECD City Innovation Snapshots.

"Along with 50% of cities surveyed, Baltimore does not have an explicit innovation strategy."
The lead-in follows the statement: "along with" for what the city does not have, "like" for a "yes"
or an option it chose, "similar to" for any other answer; "only" when no other peer shares the
answer. A question with its own phrase in the wording file reads naturally; any other question is
quoted with its label and the chosen option's label, so every closed question can be rendered.
"""

from __future__ import annotations

from civicmeter.instruments import Instrument
from civicmeter.narrative.benchmarks import BenchmarkSet, Statement
from civicmeter.narrative.wording import Wording
from civicmeter.params import InstanceOf, validate_params


def _question_text(statement: Statement, instrument: Instrument, language: str) -> str:
    question = instrument.question(statement.question)
    label = instrument.text(question.labels, language)
    if question.group is not None:
        group = instrument.group(question.group)
        label = f"{instrument.text(group.labels, language)} {label}"
    return label


def _phrase(statement: Statement, instrument: Instrument, wording: Wording) -> str:
    own = wording.phrases.get(statement.question, {})
    if statement.question_type == "select_one" and statement.choice in own:
        return own[statement.choice]
    question = instrument.question(statement.question)
    choice = instrument.choice_label(question.list_name, statement.choice, wording.language)
    key = (
        "answer"
        if statement.question_type == "select_one"
        else ("chose" if statement.selected else "not_chose")
    )
    return wording.generic[key].format(
        choice=choice, question=_question_text(statement, instrument, wording.language)
    )


def _peers(statement: Statement, wording: Wording, count: int) -> str:
    group, form = statement.peers, wording.numbers.plural(count)
    if group.kind == "continent":
        return wording.peers["continent"][form].format(continent=wording.continents[group.continent])
    if group.kind == "population_band":
        low, high = group.band
        number = wording.numbers.number
        if high is None:
            return wording.peers["population_band_open"][form].format(low=number(low))
        return wording.peers["population_band"][form].format(low=number(low), high=number(high))
    return wording.peers["all"][form]


def _lead(statement: Statement) -> str:
    if statement.n == 1:
        return "lone"
    if statement.count == 1:
        return "only"
    if statement.polarity == "does_not_have":
        return "along"
    if statement.question_type == "select_multiple" or statement.choice == "yes":
        return "like"
    return "similar"


@validate_params(
    {
        "statement": [InstanceOf(Statement, "a Statement")],
        "instrument": [InstanceOf(Instrument, "the Instrument the statement was computed with")],
        "wording": [InstanceOf(Wording, "a Wording from load_wording")],
        "city_name": [InstanceOf(str, "the city's display name")],
    }
)
def render_statement(statement: Statement, instrument: Instrument, wording: Wording, city_name: str) -> str:
    """One statement as a sentence in the wording's language, with the excluded count when > 0."""
    lead = _lead(statement)
    numbers = wording.numbers
    main = wording.leads[lead].format(
        share=numbers.share(statement.share),
        n=numbers.number(statement.n),
        peers=_peers(statement, wording, 1 if lead == "lone" else statement.n),
        city=city_name,
        phrase=_phrase(statement, instrument, wording),
    )
    if not statement.excluded:
        return wording.sentence["plain"].format(main=main)
    excluded = wording.excluded[numbers.plural(statement.excluded)].format(
        count=numbers.number(statement.excluded)
    )
    return wording.sentence["with_excluded"].format(main=main, excluded=excluded)


@validate_params(
    {
        "benchmarks": [InstanceOf(BenchmarkSet, "a BenchmarkSet")],
        "instrument": [InstanceOf(Instrument, "the Instrument the statements were computed with")],
        "wording": [InstanceOf(Wording, "a Wording from load_wording")],
        "city_name": [InstanceOf(str, "the city's display name")],
    }
)
def render_statements(
    benchmarks: BenchmarkSet, instrument: Instrument, wording: Wording, city_name: str
) -> tuple[str, ...]:
    """Every statement of ``benchmarks`` as a sentence, in statement order."""
    return tuple(render_statement(s, instrument, wording, city_name) for s in benchmarks.statements)
