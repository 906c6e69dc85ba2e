"""The one error a standard file can cause, carrying every problem found (``assessment.E0xx``).

It reuses the engine's problem record and collector so a user reads standard problems in the same
``[code] place: message with the fix`` form as recipe problems. Codes are listed in
``docs/reference/errors.md`` and never reused.
"""

from __future__ import annotations

from civicmeter.indexing.errors import IndexInputError

UNREADABLE = "cannot read the standard file ({detail}); fix the path or the YAML syntax"
WRONG_PARTNER = "the standard is written for {what} {expected!r} but was given {got!r}; use the matching file"
NO_CRITERION = "criterion {code} of the recipe has no entry here; add its items, min and evidence"
UNKNOWN_CRITERION = "{code} is not a criterion of recipe {recipe!r}; remove it or fix the code"
NO_QUESTION = "the instrument has no criterion question {question!r} for {code}; fix the workbook"
BAD_MIN = "min must be a whole number from 1 to the {count} items listed, got {value!r}"
BAD_ITEMS = "items must be a non-empty list of {{code, en, ...}} mappings with distinct codes"
MISSING_TEXT = "no {lang} text; give one in every language of the instrument ({langs})"
BAD_KINDS = "kinds must be a non-empty list of {allowed}, got {value!r}"
BAD_MONTHS = "months must be a whole number from 1 to 60, got {value!r}"
BAD_RECORDS = "records must be a whole number from 1 to 12, got {value!r}"
RECORDS_WITHOUT_WINDOW = (
    "records counts dated evidence inside the freshness window; add freshness or remove records"
)


class StandardError(IndexInputError):
    """A standard file is invalid or does not fit its instrument and recipe."""
