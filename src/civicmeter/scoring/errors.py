"""Errors a scoring recipe (or the input given to it) can cause, each with a ``scoring.E0xx`` code.

They reuse the engine's :class:`~civicmeter.indexing.errors.Problem` so a user reads recipe problems
of the engine and of scoring in one format: ``[code] place: message with the fix``. Codes are listed
in ``docs/reference/errors.md`` and never reused.
"""

from __future__ import annotations

from civicmeter.indexing.errors import IndexInputError

UNREADABLE = "cannot read the scoring recipe ({detail}); fix the path or the YAML syntax"
NOT_MAPPING = "a scoring recipe must be a YAML mapping with keys id, version, kind, max, components"
MISSING_KEY = "required key is missing; {hint}"
BAD_TEXT = "must be non-empty text without spaces, got {value!r}"
BAD_KIND = "must be one of {allowed}, got {value!r}"
BAD_NUMBER = "must be a number {bound}, got {value!r}"
BAD_LIST = "must be a non-empty list of {what}, got {value!r}"
DUPLICATE = "code {code!r} is used twice; every {what} needs its own code"
RULE_COUNT = "give exactly one rule: one of {allowed} (found {found})"
RULE_NOT_FOR_KIND = (
    "{rule} rules need a {kind} recipe; assessment items score by their criterion code"
)
BAD_RULE_VALUE = "{rule} needs {what}, got {value!r}"
BAD_CAP = (
    "cap {cap!r} must be > 0 and below the {total!r} points the items can earn; "
    "remove it or lower it"
)
BAD_MAX = (
    "max {declared!r} differs from the {total!r} points the components can earn; "
    "write max: {total!r}"
)
BAD_BANDS = (
    "{what} must be listed highest first with strictly decreasing minimums in [0, {top!r}], "
    "the last at 0"
)
BAD_TIERS = "tiers must be listed highest first with strictly decreasing min_share in (0, 1]"
UNKNOWN_PREREQUISITE = (
    "requires {code!r}, which is not a criterion of this recipe (or is the item itself)"
)
GATED_PREREQUISITE = (
    "requires {code!r}, which itself requires another criterion; chain at most one level"
)
INSTRUMENT_MISMATCH = (
    "the recipe is written for instrument {expected!r} but was given {got!r}; "
    "use the recipe made for that instrument"
)
NO_QUESTION = "question {question!r} is not in instrument {form!r}; fix the code"
WRONG_QUESTION_TYPE = "{rule} needs a {needed} question but {question!r} is {actual}"
NO_CHOICE = "{value!r} is not an option of {question!r}; its options are {options}"
WRONG_KIND = "this is a {kind} recipe; use {function} for it"
UNKNOWN_CRITERIA = "names criteria the recipe does not have: {codes}; fix the criterion codes"
BAD_UNCERTAINTY = "uncertainty spec {detail}"


class ScoringError(IndexInputError):
    """A scoring recipe is invalid, or does not fit the instrument or input it is used with."""
