"""The base of the errors that carry every problem found in a user's input at once.

The domain packages each keep their own error class, problem record and codes (listed in
``docs/reference/errors.md`` and asserted by tests); what they share is the behaviour of the error
itself: it refuses to be raised empty, its text is one line per problem, and ``codes`` lists the codes
in the order found. Pure Python, so any package (domain or not) may import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


class CodedProblem(Protocol):
    """What the base needs of a problem: its code, and ``str()`` giving the line a user reads."""

    code: str


@dataclass(frozen=True)
class PlacedProblem:
    """A problem at a place in an input: ``[code] place: message``, then ``Fix: ...`` when a
    separate fix is given (the analysis names one for every problem; the index puts it in the
    message)."""

    code: str
    place: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        text = f"[{self.code}] {self.place}: {self.message}"
        return f"{text}. Fix: {self.fix}." if self.fix else text


class ProblemsError(ValueError):
    """An input that cannot be used as it is; ``problems`` holds every reason found, in order."""

    def __init__(self, problems: Iterable[CodedProblem]):
        self.problems = tuple(problems)
        if not self.problems:
            raise ValueError(f"{type(self).__name__} needs at least one problem")
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.problems)
