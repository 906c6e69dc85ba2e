"""Data problems the analysis can meet, each with a stable code listed in docs/reference/errors.md.

Argument mistakes (a wrong type, an unknown method name) raise
:class:`civicmeter.params.ParameterError`; the problems here are in the *data* a user supplied.
Following Django's form validation, every problem found in one pass is collected and raised
together, so a user fixes a file once rather than row by row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from civicmeter.problems import PlacedProblem, ProblemsError

BAD_CLASS = "analysis.E001"
DUPLICATE_CITY = "analysis.E002"
BAD_OUTCOME_VALUE = "analysis.E003"
DUPLICATE_OUTCOME = "analysis.E004"
BAD_FEATURE_VALUE = "analysis.E005"
UNKNOWN_NAME = "analysis.E006"
NO_OVERLAP = "analysis.E007"
BAD_CONTROL = "analysis.E008"
MIXED_SAMPLES = "analysis.E009"


@dataclass(frozen=True)
class Problem(PlacedProblem):
    """One problem: its code, where it is (table, row, column), what is wrong and how to fix it."""

    def __post_init__(self) -> None:
        if not self.fix:
            raise ValueError(f"{self.code}: an analysis problem names its fix")


class AnalysisError(ProblemsError):
    """The input tables cannot be analysed as they are; ``problems`` lists every reason found."""


def raise_if(problems: list[Problem]) -> None:
    """Raise one :class:`AnalysisError` carrying all ``problems``, if there are any."""
    if problems:
        raise AnalysisError(problems)


def plain(value: object) -> str:
    """A number as a reader writes it: ``0`` and ``70``, never ``np.int64(0)`` or ``70.0``."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def shown(value: object) -> str:
    """A cell as a message shows it: text quoted, numbers plain (0, never np.int64(0))."""
    return repr(value) if isinstance(value, str) else plain(value)
