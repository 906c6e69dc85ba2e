"""Errors the narrative files (rules, cases, wording) or its inputs can cause, each ``narrative.E0xx``.

They reuse the engine's :class:`~civicmeter.indexing.errors.Problem` format, ``[code] place: message
with the fix``, so a programme reads rule-file problems the way it reads recipe problems. Codes are
listed in ``docs/reference/errors.md`` and never reused.
"""

from __future__ import annotations

from civicmeter.indexing.errors import IndexInputError

UNREADABLE = "cannot read the {what} ({detail}); fix the path or the YAML syntax"
NOT_MAPPING = "a {what} must be a YAML mapping with keys {keys}"
MISSING_KEY = "required key is missing; {hint}"
BAD_TEXT = "must be non-empty text, got {value!r}"
BAD_CODE = "must be a short code without spaces, got {value!r}"
BAD_LIST = "must be a non-empty list of {what}, got {value!r}"
BAD_NUMBER = "must be a whole number {bound}, got {value!r}"
NO_QUESTION = "question {question!r} is not in instrument {form!r}; use a question name of the instrument"
NO_CHOICE = "{value!r} is not an option of {question!r}; its options are {options}"
OPERATOR_COUNT = "give exactly one operator: one of {allowed} (found {found})"
OPERATOR_TYPE = "{operator} needs a {needed} question, but {question!r} is {actual}; use one of {fits}"
NO_CRITERION = "criterion {code!r} is not in recipe {recipe!r}; its criteria are {codes}"
NO_COMPONENT = "component {code!r} is not a component of the recipes given ({codes}); fix the code"
DUPLICATE = "{what} {code!r} is used twice; give every {what} its own code"
NO_RECOMMENDATION = "recommendation {number!r} is not in the rules file; use one of {numbers}"
NO_POLICY_AREA = "{value!r} is not a policy area; use one of {options}"
BAD_PLACEHOLDER = "uses {{{name}}}, which this text cannot fill; it may use {allowed}"
MISSING_LANGUAGE = (
    "{what} has no {lang!r} text for {places}, though the file gives {lang!r} texts elsewhere; "
    "write them as {{en: ..., {lang}: ...}} or remove the file's {lang!r} texts"
)
NOT_A_PEER = (
    "city {city!r} is not a member of peer group {group!r}; benchmark a city against a group it belongs to"
)
NO_ANSWERS = "city {city!r} has no answers in this wave; nothing can be benchmarked or recommended"


class NarrativeError(IndexInputError):
    """A rules, case or wording file is invalid, or an input does not fit it."""
