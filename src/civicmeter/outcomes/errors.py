"""The one error type for problems in a user's outcome files, carrying every problem found at once.

A user fixing a file wants the whole list, not one complaint per attempt, so importers collect
:class:`Problem` records and raise a single :class:`OutcomesError`. Codes (``outcomes.E001`` ...)
are stable and listed in ``docs/reference/errors.md``; each message names the place and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from civicmeter.problems import ProblemsError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a user's file or catalogue, with its stable code."""

    code: str
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class OutcomesError(ProblemsError):
    """A user's outcome file, catalogue or mapping cannot be used as it stands.

    ``problems`` and ``codes`` are lists here (callers and tests compare them with lists)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = list(self.problems)

    @property
    def codes(self) -> list[str]:
        return list(super().codes)


def raise_if_any(problems: list[Problem]) -> None:
    """Raise :class:`OutcomesError` when ``problems`` is non-empty."""
    if problems:
        raise OutcomesError(problems)
