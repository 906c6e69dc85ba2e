"""What counts as a usable answer in a benchmark, and which answers mean "does not have".

Its own module because both the tally (counting) and the statements (reading counts) use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from civicmeter.params import InstanceOf, check_param

_CODES = InstanceOf(tuple, "a tuple of option names")
#: What each field of :class:`BenchmarkSettings` accepts, checked when the object is made.
CONSTRAINTS = {"missing_choices": [_CODES], "negative_choices": [_CODES]}


@dataclass(frozen=True)
class BenchmarkSettings:
    """Which options are not a usable answer, and which answers mean "does not have".

    ``missing_choices`` ("don't know", "not applicable") leave the denominator like an empty answer.
    ``negative_choices`` give a ``select_one`` statement the polarity "does not have".
    """

    missing_choices: tuple[str, ...] = ("dont_know", "na")
    negative_choices: tuple[str, ...] = ("no", "never", "not_evaluated", "not_significant")

    def __post_init__(self) -> None:
        for name, allowed in CONSTRAINTS.items():
            check_param(name, getattr(self, name), allowed, caller="BenchmarkSettings")
