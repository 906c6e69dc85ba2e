"""Numbers and shares written the way each language writes them (separators, percent sign, plurals).

Why not Babel: the rules needed are four per language (decimal mark, group mark, from how many digits
numbers are grouped, the percent pattern) and the singular counts; they live in the wording file
beside the sentences, so a translator sees and fixes them in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

#: The most decimals a share gets when whole percent would print 0% or 100% for a share that is not.
MAX_DECIMALS = 3


@dataclass(frozen=True)
class NumberFormat:
    """How one language writes numbers: ``1,234.5`` (en), ``12.345,5`` (es), ``12 345,5`` (fr)."""

    decimal: str
    group: str
    min_group_digits: int
    percent: str
    singular: tuple[int, ...]

    def number(self, value: int | float, decimals: int = 0) -> str:
        """``value`` rounded half up to ``decimals`` and written with this language's marks."""
        quantum = Decimal(1).scaleb(-decimals)
        text = f"{Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP):f}"
        sign = "-" if text.startswith("-") else ""
        whole, _, fraction = text.lstrip("-").partition(".")
        if len(whole) >= self.min_group_digits:
            groups = []
            while len(whole) > 3:
                whole, tail = whole[:-3], whole[-3:]
                groups.insert(0, tail)
            whole = self.group.join([whole, *groups])
        return sign + whole + (self.decimal + fraction if fraction else "")

    def share(self, share: float) -> str:
        """A share in [0, 1] as a percentage, whole unless that would print 0% or 100% falsely."""
        percent = share * 100
        decimals = 0
        while decimals < MAX_DECIMALS and self._misleading(percent, decimals):
            decimals += 1
        return self.percent.format(value=self.number(percent, decimals))

    def _misleading(self, percent: float, decimals: int) -> bool:
        shown = float(Decimal(str(percent)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
        return (0 < percent and shown == 0) or (percent < 100 and shown == 100)

    def plural(self, count: int) -> str:
        """``one`` or ``other``: the form a noun takes after ``count``."""
        return "one" if count in self.singular else "other"
