"""The expression subset: parsing, XForm value semantics, and laws checked with hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicmeter.instruments.evaluator import Context, evaluate, is_true, to_boolean
from civicmeter.instruments.expressions import (
    Binary,
    Call,
    Current,
    ExpressionSyntaxError,
    Negate,
    Number,
    Ref,
    String,
    parse,
    references,
    unparse,
)


def holds(text: str, current: str = "", **answers: str) -> bool:
    return is_true(text, Context(answers, current=current))


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("${a} = 'yes'", {"a": "yes"}, True),
        ("${a} = 'yes'", {}, False),
        ("${a} != ''", {}, False),
        ("${a} = ''", {}, True),
        ("${n} >= 1 and ${n} <= 10", {"n": "10"}, True),
        ("${n} >= 1", {"n": ""}, False),  # empty is not a number: ranges never hold
        ("${n} < 1", {"n": ""}, False),
        ("${n} = 5", {"n": "5.0"}, True),  # both numeric: numeric equality
        ("${n} = '05'", {"n": "5"}, True),
        ("${s} = 'abc'", {"s": "abc"}, True),
        ("${s} > 'abc'", {"s": "abd"}, False),  # not numbers: relational is false
        ("selected(${m}, 'b')", {"m": "a b c"}, True),
        ("selected(${m}, 'bc')", {"m": "a b c"}, False),
        ("count-selected(${m}) = 3", {"m": " a  b c "}, True),
        ("count-selected(${m}) = 0", {}, True),
        ("not(${a} = 'x') or ${a} = 'x'", {"a": "y"}, True),
        ("string-length(${t}) > 3", {"t": "abcd"}, True),
        ("regex(${u}, '^https?://')", {"u": "https://x.org"}, True),
        ("regex(${u}, '^https?://')", {"u": "ftp://x.org"}, False),
        ("(${n} + 2) * 3 div 2 = 6", {"n": "2"}, True),
        ("${n} mod 3 = 1", {"n": "7"}, True),
        ("-${n} = -4", {"n": "4"}, True),
        ("${n} div 0 > 1000", {"n": "1"}, True),
    ],
)
def test_xform_semantics(text: str, answers: dict[str, str], expected: bool) -> None:
    assert is_true(text, Context(answers)) is expected


def test_current_value_and_string_length_without_argument() -> None:
    assert holds(". >= 1 and . <= 10000", current="10000")
    assert not holds(". >= 1 and . <= 10000", current="0")
    assert holds("string-length() = 3", current="abc")


def test_choice_columns_are_read_as_bare_names() -> None:
    context = Context({"region": "north"}, choice={"name": "x", "region": "north"})
    assert to_boolean(evaluate(parse("region = ${region}"), context))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("${a} = ", "unexpected end of expression at position 7; expected a value"),
        ("${a} = 'yes", "string starting at position 7 is not closed with a matching quote"),
        ("$a = 1", "question reference at position 0 must look like ${question_name}"),
        ("${a} # 1", "unexpected character '#' at position 5"),
        ("(1 = 1", "unexpected end of expression at position 6; expected ')'"),
        ("selected(${a})", "function 'selected()' takes 2 argument(s), got 1"),
        ("1 2", "unexpected '2' at position 2; expected an operator or the end of the expression"),
    ],
)
def test_syntax_errors_name_the_position(text: str, message: str) -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse(text)
    assert str(caught.value).startswith(message)


def test_unsupported_function_is_flagged() -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse("today() > ${d}")
    assert caught.value.function == "today"
    assert str(caught.value) == (
        "unsupported function 'today()'; the supported functions are not(), selected(), "
        "count-selected(), string-length(), regex()"
    )


def test_references() -> None:
    assert references(parse("selected(${a}, 'x') and ${b} > . or not(${c})")) == {"a", "b", "c"}


# ---------------------------------------------------------------- laws

names = st.sampled_from(["a", "b", "c", "s1_team"])
tokens = st.sampled_from(["yes", "no", "x", "y", "1", "2", "10", ""])
answer_values = st.one_of(
    tokens,
    st.lists(st.sampled_from(["x", "y", "z", "other"]), max_size=4).map(" ".join),
    st.integers(-50, 50).map(str),
)
answer_sets = st.dictionaries(names, answer_values)

leaves = st.one_of(
    st.integers(0, 1000).map(lambda n: Number(float(n))),
    st.sampled_from([0.5, 2.25, 10.75]).map(Number),
    st.text(st.sampled_from("abc xyz_-"), max_size=6).map(String),
    names.map(Ref),
    st.just(Current()),
)


def _extend(children: st.SearchStrategy) -> st.SearchStrategy:
    ops = st.sampled_from(
        ["or", "and", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "div", "mod"]
    )
    return st.one_of(
        st.builds(Binary, ops, children, children),
        st.builds(Negate, children),
        st.builds(lambda e: Call("not", (e,)), children),
        st.builds(lambda e: Call("count-selected", (e,)), children),
        st.builds(lambda e: Call("string-length", (e,)), children),
        st.builds(lambda e, v: Call("selected", (e, String(v))), children, tokens),
    )


expressions = st.recursive(leaves, _extend, max_leaves=12)


@given(expressions)
def test_parser_round_trip(tree) -> None:
    assert parse(unparse(tree)) == tree


@given(expressions, answer_sets, answer_values)
def test_double_negation(tree, answers, current) -> None:
    context = Context(answers, current=current)
    doubled = Call("not", (Call("not", (tree,)),))
    assert evaluate(doubled, context) == to_boolean(evaluate(tree, context))


@given(expressions, expressions, answer_sets)
def test_and_or_commute(left, right, answers) -> None:
    context = Context(answers)
    for op in ("and", "or"):
        assert evaluate(Binary(op, left, right), context) == evaluate(
            Binary(op, right, left), context
        )


@given(expressions, answer_sets)
def test_de_morgan(tree, answers) -> None:
    context = Context(answers)
    left = Call("not", (Binary("and", tree, Ref("a")),))
    right = Binary("or", Call("not", (tree,)), Call("not", (Ref("a"),)))
    assert evaluate(left, context) == evaluate(right, context)


@given(
    st.lists(st.sampled_from(["a", "b", "c_d", "other"]), max_size=8),
    st.sampled_from([" ", "  ", "\t"]),
)
def test_count_selected_counts_tokens(choices, separator) -> None:
    stored = separator.join(choices)
    assert evaluate(parse("count-selected(${m})"), Context({"m": stored})) == len(choices)


@given(st.lists(st.sampled_from(["a", "b", "c"]), max_size=4), st.sampled_from(["a", "b", "c"]))
def test_selected_agrees_with_membership(choices, value) -> None:
    assert holds(f"selected(${{m}}, '{value}')", m=" ".join(choices)) is (value in choices)


@given(st.integers(-(10**6), 10**6), st.integers(-(10**6), 10**6))
def test_numeric_comparison_matches_python(a, b) -> None:
    answers = {"a": str(a), "b": str(b)}
    assert holds("${a} < ${b}", **answers) is (a < b)
    assert holds("${a} = ${b}", **answers) is (a == b)
