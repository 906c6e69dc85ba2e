"""What a city claims for one criterion: the checklist items it ticks and the evidence it gives.

Plain values, so the web app (stored claims and uploads), a CSV or a notebook can build them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of evidence: a ``document`` or a ``link``, with the date it records (a meeting's
    minutes, an inventory's update) where it has one."""

    kind: str
    dated: date | None = None
    label: str = ""


@dataclass(frozen=True)
class Claim:
    criterion: str  # the recipe code, e.g. DG2
    items: frozenset[str] = frozenset()
    evidence: tuple[EvidenceItem, ...] = ()
    text: str = ""

    @property
    def started(self) -> bool:
        """Whether the city has said anything for this criterion."""
        return bool(self.items or self.evidence or self.text.strip())
