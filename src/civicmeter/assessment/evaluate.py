"""Which criteria a city's claims would meet, and for each one that would not, why.

This is the check a city sees before it submits: a claim would be met when enough checklist items
are ticked (the "at least N of M" rule), the evidence is of a kind the criterion accepts, enough of
it is dated inside the freshness window (none in the future) and every prerequisite would be met
too. It is a forecast of the review, never a score: only a reviewer's acceptance scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from civicmeter.assessment.claims import Claim
from civicmeter.assessment.freshness import in_future, months_before, within
from civicmeter.assessment.standard import ChecklistItem, Criterion, Standard
from civicmeter.params import InstanceOf, validate_params


@dataclass(frozen=True)
class Shortfall:
    """One reason a claim falls short: ``kind`` is one of ``items``, ``evidence``, ``records``,
    ``future`` or ``prerequisite``; ``facts`` holds the numbers and codes its message needs."""

    kind: str
    facts: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        f = self.facts
        return {
            "items": "{have} of the {need} checklist items needed are ticked",
            "evidence": "no evidence of the kind needed ({kinds})",
            "records": "{have} of the {need} dated records needed fall after {since}",
            "future": "a record is dated {dated}, in the future",
            "prerequisite": "needs {codes} met first",
        }[self.kind].format(**f)


@dataclass(frozen=True)
class CriterionCheck:
    criterion: Criterion
    ticked: tuple[ChecklistItem, ...]
    shortfalls: tuple[Shortfall, ...]

    @property
    def would_meet(self) -> bool:
        return not self.shortfalls

    @property
    def missing_items(self) -> int:
        """How many more items must be ticked to reach the rule."""
        return max(0, self.criterion.min_items - len(self.ticked))

    @property
    def unticked(self) -> tuple[ChecklistItem, ...]:
        return tuple(i for i in self.criterion.items if i not in self.ticked)


def _own_shortfalls(
    criterion: Criterion, claim: Claim, today: date
) -> tuple[tuple[ChecklistItem, ...], list[Shortfall]]:
    ticked = tuple(i for i in criterion.items if i.code in claim.items)
    out = []
    if len(ticked) < criterion.min_items:
        out.append(Shortfall("items", {"have": len(ticked), "need": criterion.min_items}))
    usable = [e for e in claim.evidence if e.kind in criterion.evidence.kinds]
    if not usable:
        out.append(Shortfall("evidence", {"kinds": " or ".join(criterion.evidence.kinds)}))
    future = sorted(e.dated for e in claim.evidence if e.dated and in_future(e.dated, today))
    if future:
        out.append(Shortfall("future", {"dated": future[0].isoformat()}))
    if criterion.freshness is not None:
        months = criterion.freshness.months
        fresh = [e for e in usable if e.dated and within(e.dated, today, months)]
        if len(fresh) < criterion.evidence.records:
            since = months_before(today, months).isoformat()
            out.append(
                Shortfall("records", {"have": len(fresh), "need": criterion.evidence.records, "since": since})
            )
    return ticked, out


@validate_params(
    {
        "standard": [InstanceOf(Standard, "a Standard")],
        "claims": [InstanceOf(Mapping, "a mapping of criterion code -> Claim")],
        "today": [InstanceOf(date, "a date")],
    }
)
def check_claims(
    standard: Standard, claims: Mapping[str, Claim], *, today: date
) -> dict[str, CriterionCheck]:
    """``{criterion code: CriterionCheck}`` for every criterion of ``standard``, in its order.

    A criterion with no claim is checked as an empty claim (nothing ticked, no evidence).
    """
    own = {}
    for criterion in standard.criteria:
        claim = claims.get(criterion.code) or Claim(criterion.code)
        own[criterion.code] = _own_shortfalls(criterion, claim, today)
    checks = {}
    for criterion in standard.criteria:
        ticked, shortfalls = own[criterion.code]
        missing = [code for code in criterion.requires if own[code][1]]
        if missing:
            shortfalls = [*shortfalls, Shortfall("prerequisite", {"codes": ", ".join(missing)})]
        checks[criterion.code] = CriterionCheck(criterion, ticked, tuple(shortfalls))
    return checks
