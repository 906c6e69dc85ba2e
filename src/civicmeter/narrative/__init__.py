"""Narrative: a wave's answers and scores turned into words a city can act on.

Pure Python (no Django). Benchmark statements compare a city's closed answers with a peer group
and render as sentences in English, Spanish and French; recommendations (``rules.py``,
``evaluate.py``) and the case library (``cases.py``) say what to do next and who did it::

    from civicmeter.narrative import PeerGroup, benchmark_statements, load_wording, render_statements
    peers = PeerGroup("all", frozenset(answers))
    found = benchmark_statements(instrument, answers, "baltimore-us", peers)
    render_statements(found, instrument, load_wording("es", instrument), "Baltimore")
"""

from civicmeter.narrative.benchmark_settings import BenchmarkSettings
from civicmeter.narrative.benchmarks import (
    BenchmarkSet,
    Statement,
    benchmark_statements,
    benchmarks_from_tally,
)
from civicmeter.narrative.cases import (
    SHIPPED_CASES,
    CaseEntry,
    CaseLibrary,
    Source,
    filter_cases,
    load_cases,
    search_cases,
)
from civicmeter.narrative.errors import NarrativeError
from civicmeter.narrative.evaluate import (
    Reason,
    RecommendationResult,
    RecommendationSettings,
    Triggered,
    component_shares,
    recommend,
)
from civicmeter.narrative.evidence import Evidence
from civicmeter.narrative.numbers import NumberFormat
from civicmeter.narrative.peers import DEFAULT_BANDS, PeerGroup, band_of, peer_groups
from civicmeter.narrative.rules import SHIPPED_RULES, RecommendationRule, RuleSet, Trigger, load_rules
from civicmeter.narrative.sentences import render_statement, render_statements
from civicmeter.narrative.tally import PeerTally, tally_answers
from civicmeter.narrative.wording import LANGUAGES, Wording, load_wording

__all__ = [
    "DEFAULT_BANDS",
    "LANGUAGES",
    "SHIPPED_CASES",
    "SHIPPED_RULES",
    "BenchmarkSet",
    "BenchmarkSettings",
    "CaseEntry",
    "CaseLibrary",
    "Evidence",
    "NarrativeError",
    "NumberFormat",
    "PeerGroup",
    "PeerTally",
    "Reason",
    "RecommendationRule",
    "RecommendationResult",
    "RecommendationSettings",
    "RuleSet",
    "Source",
    "Statement",
    "Trigger",
    "Triggered",
    "Wording",
    "band_of",
    "benchmark_statements",
    "benchmarks_from_tally",
    "component_shares",
    "filter_cases",
    "load_cases",
    "load_rules",
    "load_wording",
    "peer_groups",
    "recommend",
    "render_statement",
    "render_statements",
    "search_cases",
    "tally_answers",
]
