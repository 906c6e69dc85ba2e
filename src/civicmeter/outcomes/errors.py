"""The one error type for problems in a user's outcome files, carrying every problem found at once.

A user fixing a file wants the whole list, not one complaint per attempt, so importers collect
:class:`Problem` records and raise a single :class:`OutcomesError`. Codes (``outcomes.E001`` ...)
are stable and listed in ``docs/reference/errors.md``; each message names the place and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a user's file or catalogue, with its stable code."""

    code: str
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class OutcomesError(ValueError):
    """A user's outcome file, catalogue or mapping cannot be used as it stands."""

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("OutcomesError needs at least one problem")
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


def raise_if_any(problems: list[Problem]) -> None:
    """Raise :class:`OutcomesError` when ``problems`` is non-empty."""
    if problems:
        raise OutcomesError(problems)
