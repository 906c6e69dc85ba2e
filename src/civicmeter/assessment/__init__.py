"""The data-use assessment as a standard: criteria with checklists ("at least N of M"),
prerequisites, freshness windows and evidence; what a city's claims would meet; the verdict (index,
class, practice sub-scores, tier with its gates) of reviewed criteria; the roadmap; the review cycle.

Pure Python (no Django): the web app stores claims, evidence and decisions and calls these.
"""

from civicmeter.assessment.claims import Claim, EvidenceItem
from civicmeter.assessment.errors import StandardError
from civicmeter.assessment.evaluate import CriterionCheck, Shortfall, check_claims
from civicmeter.assessment.loader import load_shipped_standard, load_standard
from civicmeter.assessment.roadmap import RoadmapStep, roadmap
from civicmeter.assessment.standard import Criterion, Practice, Standard
from civicmeter.assessment.verdict import Verdict, counted_criteria, verdict
from civicmeter.assessment.workflow import IllegalTransition, next_state

__all__ = [
    "Claim",
    "Criterion",
    "CriterionCheck",
    "EvidenceItem",
    "IllegalTransition",
    "Practice",
    "RoadmapStep",
    "Shortfall",
    "Standard",
    "StandardError",
    "Verdict",
    "check_claims",
    "counted_criteria",
    "load_shipped_standard",
    "load_standard",
    "next_state",
    "roadmap",
    "verdict",
]
