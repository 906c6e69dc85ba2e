"""Capacity-outcome statistics: do cities with more innovation capacity or data use score better?

Pure Python (pandas, scipy, statsmodels); never imports Django. The entry point is
:func:`civicmeter.analysis.report.analyze`, which runs every comparison and returns an
:class:`~civicmeter.analysis.report.AnalysisReport`; the building blocks are public for notebooks.
See docs/analysis.md for the methods and their caveats.
"""

from civicmeter.analysis.adjusted import adjusted_difference
from civicmeter.analysis.compare import bootstrap_difference, compare_groups, welch_difference
from civicmeter.analysis.errors import AnalysisError, Problem
from civicmeter.analysis.groupings import Sample
from civicmeter.analysis.results import AdjustedRow, ComparisonRow, Provenance, ResultTable

__all__ = [
    "AdjustedRow",
    "AnalysisError",
    "ComparisonRow",
    "Problem",
    "Provenance",
    "ResultTable",
    "Sample",
    "adjusted_difference",
    "bootstrap_difference",
    "compare_groups",
    "welch_difference",
]
