"""Errors a user can cause with index data or recipes, each carrying a stable code.

Bad arguments from a programmer raise :class:`civicmeter.params.ParameterError`; bad *files* raise
the classes here. One exception carries every problem found in an input, so a user fixes a file in
one pass instead of one error per run. Codes are listed in ``docs/reference/errors.md`` and never
reused.
"""

from __future__ import annotations

from dataclasses import dataclass

from civicmeter.problems import PlacedProblem, ProblemsError


@dataclass(frozen=True)
class Problem(PlacedProblem):
    """One problem in an input: a stable ``code``, its ``place``, and a message with the fix."""


class IndexInputError(ProblemsError):
    """An index input (data tables or recipe) is invalid; ``problems`` lists every problem."""

    @classmethod
    def single(cls, code: str, place: str, message: str) -> IndexInputError:
        return cls([Problem(code, place, message)])


class IndexDataError(IndexInputError):
    """The iData / iMeta tables are invalid (codes ``index.E*``)."""


class RecipeError(IndexInputError):
    """A recipe is invalid or does not fit the data (codes ``recipe.E*``)."""


class ProblemCollector:
    """Accumulate problems while validating, then raise them together."""

    def __init__(self, error_class: type[IndexInputError]):
        self.error_class = error_class
        self.problems: list[Problem] = []

    def add(self, code: str, place: str, message: str) -> None:
        self.problems.append(Problem(code, place, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise self.error_class(self.problems)
