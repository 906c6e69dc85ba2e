"""Evaluate parsed XLSForm expressions against one set of answers, with XForm value semantics.

Answers are stored as strings (the XLSForm export convention), so every ``${q}`` reads a string and
an unanswered or hidden question reads as the empty string. Comparisons follow what ODK Collect
users expect: ``=`` and ``!=`` compare as numbers when both sides look numeric and as text
otherwise; ``<``, ``>``, ``<=``, ``>=`` compare numbers and are false when a side is not a number
(XPath's NaN rule), so an empty answer never satisfies a range. The result of a relevance or
constraint is read with XPath's ``boolean()``: non-empty text, non-zero numbers and ``true``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from civicmeter.instruments.expressions import (
    Binary,
    Call,
    Current,
    Field,
    Negate,
    Node,
    Number,
    Ref,
    String,
    parse,
)

Value = str | float | bool

_NUMERIC = re.compile(r"\s*-?(?:\d+(?:\.\d*)?|\.\d+)\s*")


def looks_numeric(text: str) -> bool:
    return _NUMERIC.fullmatch(text) is not None


def to_number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    return float(value) if looks_numeric(value) else math.nan


def to_string(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return str(int(value)) if value.is_integer() else repr(value)
    return value


def to_boolean(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    return value != ""


@lru_cache(maxsize=4096)
def compile_expression(text: str) -> Node:
    """Parse once per distinct expression text; instruments reuse the same few hundred."""
    return parse(text)


@dataclass(frozen=True)
class Context:
    """What an expression can read: stored answers, the value of ``.``, and, while filtering
    choices, the choices-sheet columns of the choice being tested."""

    answers: Mapping[str, str]
    current: str = ""
    choice: Mapping[str, str] = field(default_factory=dict)


def evaluate(node: Node, context: Context) -> Value:
    """Evaluate ``node``; unanswered questions and missing choice columns read as ``""``."""
    if isinstance(node, Number | String):
        return node.value
    if isinstance(node, Ref):
        return context.answers.get(node.name) or ""
    if isinstance(node, Current):
        return context.current
    if isinstance(node, Field):
        return context.choice.get(node.name) or ""
    if isinstance(node, Negate):
        return -to_number(evaluate(node.operand, context))
    if isinstance(node, Call):
        return _call(node, context)
    return _binary(node, context)


def is_true(text: str, context: Context) -> bool:
    """Evaluate expression text as a condition (relevance, constraint, choice filter)."""
    return to_boolean(evaluate(compile_expression(text), context))


def _binary(node: Binary, context: Context) -> Value:
    op = node.op
    if op == "and":
        return to_boolean(evaluate(node.left, context)) and to_boolean(
            evaluate(node.right, context)
        )
    if op == "or":
        return to_boolean(evaluate(node.left, context)) or to_boolean(evaluate(node.right, context))
    left = evaluate(node.left, context)
    right = evaluate(node.right, context)
    if op in ("=", "!="):
        equal = _equal(left, right)
        return equal if op == "=" else not equal
    if op in ("<", ">", "<=", ">="):
        a, b = to_number(left), to_number(right)
        if math.isnan(a) or math.isnan(b):
            return False
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
    return _arithmetic(op, to_number(left), to_number(right))


def _equal(left: Value, right: Value) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return to_boolean(left) == to_boolean(right)
    if _numeric_like(left) and _numeric_like(right):
        return to_number(left) == to_number(right)
    return to_string(left) == to_string(right)


def _numeric_like(value: Value) -> bool:
    return isinstance(value, float) or looks_numeric(value)


def _arithmetic(op: str, a: float, b: float) -> float:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0 or math.isnan(a) or math.isnan(b):
        if op == "div" and b == 0 and not math.isnan(a) and a != 0:
            return math.copysign(math.inf, a) * math.copysign(1.0, b)
        return math.nan
    return a / b if op == "div" else math.fmod(a, b)


def _call(node: Call, context: Context) -> Value:
    args = [evaluate(a, context) for a in node.args]
    name = node.name
    if name == "not":
        return not to_boolean(args[0])
    if name == "selected":
        return to_string(args[1]).strip() in to_string(args[0]).split()
    if name == "count-selected":
        return float(len(to_string(args[0]).split()))
    if name == "string-length":
        return float(len(to_string(args[0]) if args else context.current))
    # regex(): ODK searches for the pattern anywhere in the value unless it is anchored.
    return re.search(to_string(args[1]), to_string(args[0])) is not None
