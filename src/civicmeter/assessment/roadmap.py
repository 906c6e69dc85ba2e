"""A city's roadmap: its unmet criteria in the order worth tackling them.

Prerequisites come first (a criterion others depend on unlocks more points), then the nearest wins
(fewest checklist items still to tick), then the standard's own order. Each step says which items
are missing, what evidence would satisfy the criterion, what it waits for, and which cities of the
programme meet it (peers to ask).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from civicmeter.assessment.claims import Claim
from civicmeter.assessment.standard import ChecklistItem, Criterion, Standard
from civicmeter.assessment.verdict import counted_criteria


@dataclass(frozen=True)
class RoadmapStep:
    criterion: Criterion
    unticked: tuple[ChecklistItem, ...]
    missing_items: int  # items still to tick to reach "N of M"
    blocked_by: tuple[str, ...]  # unmet prerequisites
    unlocks: tuple[str, ...]  # unmet criteria that wait for this one
    peers: tuple[str, ...]  # cities of the programme that meet it


def roadmap(
    standard: Standard,
    accepted: Iterable[str],
    claims: Mapping[str, Claim] | None = None,
    peers: Mapping[str, Iterable[str]] | None = None,
) -> tuple[RoadmapStep, ...]:
    """The ordered roadmap of a city with reviewer-accepted criteria ``accepted``, its own
    ``claims`` (to know what it already ticked) and ``peers`` (``{city: accepted codes}`` of other
    cities; a peer meets a criterion when it counts for it)."""
    claims = claims or {}
    met = counted_criteria(standard, accepted)
    peer_met = {city: counted_criteria(standard, codes) for city, codes in (peers or {}).items()}
    unmet = [c for c in standard.criteria if c.code not in met]
    unmet_codes = {c.code for c in unmet}
    steps = []
    for criterion in unmet:
        ticked = claims.get(criterion.code, Claim(criterion.code)).items
        unticked = tuple(i for i in criterion.items if i.code not in ticked)
        have = len(criterion.items) - len(unticked)
        steps.append(
            RoadmapStep(
                criterion=criterion,
                unticked=unticked,
                missing_items=max(0, criterion.min_items - have),
                blocked_by=tuple(code for code in criterion.requires if code not in met),
                unlocks=tuple(c.code for c in unmet if criterion.code in c.requires),
                peers=tuple(sorted(city for city, codes in peer_met.items() if criterion.code in codes)),
            )
        )
    order = {c.code: k for k, c in enumerate(standard.criteria)}
    prerequisites = standard.prerequisites & unmet_codes
    steps.sort(
        key=lambda s: (
            s.criterion.code not in prerequisites,
            bool(s.blocked_by),
            s.missing_items,
            order[s.criterion.code],
        )
    )
    return tuple(steps)
