"""Checks a workbook must pass before we accept it: pyxform's XLSForm rules, then our subset.

pyxform is the referee for XLSForm itself: ODK Collect, Enketo and KoboToolbox all read the XForm it
produces, so whatever it rejects they would too, and we translate its message into
``instrument.E003`` with the sheet and row it names instead of reimplementing the specification.
Our own checks then refuse what the web survey could not run faithfully: expressions outside the
subset :mod:`civicmeter.instruments.expressions` parses, references to unknown questions, and
regular expressions Python cannot compile.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from civicmeter.instruments.errors import Problem
from civicmeter.instruments.expressions import (
    Call,
    Current,
    ExpressionSyntaxError,
    Node,
    String,
    fields,
    parse,
    references,
    walk,
)

PYXFORM_REJECTED = "{detail} (reported by pyxform, the XLSForm reference converter)"
BAD_EXPRESSION = "the expression {text!r} cannot be read: {reason}"
UNSUPPORTED_FUNCTION = "the expression {text!r} uses {reason}"
UNKNOWN_REFERENCE = (
    "the expression {text!r} refers to ${{{name}}}, which is not a question in this workbook; "
    "check the spelling against the 'name' column"
)
BARE_NAME = (
    "the expression {text!r} uses the bare name '{name}'; refer to a question as ${{{name}}} "
    "(bare names are only allowed in choice_filter, for choices-sheet columns)"
)
BAD_REGEX = "the regular expression {pattern!r} in {text!r} is not valid: {reason}"

#: How a ``text`` question declares it holds a web address (see docs/instruments.md).
URL_PATTERN_PREFIX = "^https?://"

_ROW = re.compile(r"\[row\s*:\s*(\d+)\]\s*")
_SHEET = re.compile(r"'(survey|choices|settings)' sheet")
_ON_SHEET = re.compile(r"^On the '\w+' sheet,\s*")


def pyxform_problems(data: bytes) -> list[Problem]:
    """Convert the workbook with pyxform and turn a rejection into one located problem."""
    try:
        convert(xlsform=data, file_type=".xlsx")
    except (PyXFormError, ValueError, KeyError) as exc:
        return [pyxform_problem(str(exc))]
    return []


def pyxform_problem(message: str) -> Problem:
    row_match = _ROW.search(message)
    sheet_match = _SHEET.search(message)
    return Problem(
        "instrument.E003",
        PYXFORM_REJECTED.format(detail=_ON_SHEET.sub("", _ROW.sub("", message).strip())),
        sheet=sheet_match.group(1) if sheet_match else "survey",
        row=int(row_match.group(1)) if row_match else None,
    )


def check_expression(
    text: str,
    *,
    sheet: str,
    row: int,
    column: str,
    question_names: Collection[str],
    allow_fields: bool = False,
) -> list[Problem]:
    """Every problem with one expression cell, located at ``sheet``/``row``/``column``."""

    def problem(code: str, message: str) -> Problem:
        return Problem(code, message, sheet=sheet, row=row, column=column)

    try:
        node = parse(text)
    except ExpressionSyntaxError as exc:
        if exc.function is not None:
            return [problem("instrument.E006", UNSUPPORTED_FUNCTION.format(text=text, reason=exc))]
        return [problem("instrument.E005", BAD_EXPRESSION.format(text=text, reason=exc))]
    problems = [
        problem("instrument.E007", UNKNOWN_REFERENCE.format(text=text, name=name))
        for name in sorted(references(node) - set(question_names))
    ]
    if not allow_fields:
        problems += [
            problem("instrument.E005", BARE_NAME.format(text=text, name=name))
            for name in sorted(fields(node))
        ]
    for pattern in _regex_patterns(node):
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.append(
                problem("instrument.E005", BAD_REGEX.format(pattern=pattern, text=text, reason=exc))
            )
    return problems


def is_url_constraint(text: str | None) -> bool:
    """True when a constraint contains ``regex(., '^https?://...')``: our url-question marker."""
    if not text:
        return False
    try:
        node = parse(text)
    except ExpressionSyntaxError:
        return False
    return any(
        isinstance(n, Call)
        and n.name == "regex"
        and isinstance(n.args[0], Current)
        and isinstance(n.args[1], String)
        and n.args[1].value.startswith(URL_PATTERN_PREFIX)
        for n in walk(node)
    )


def _regex_patterns(node: Node) -> list[str]:
    return [
        n.args[1].value
        for n in walk(node)
        if isinstance(n, Call) and n.name == "regex" and isinstance(n.args[1], String)
    ]
