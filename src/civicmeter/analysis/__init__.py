"""Capacity-outcome statistics: do cities with more innovation capacity or data use score better?

Pure Python (pandas, scipy, statsmodels); never imports Django. The entry point is :func:`analyze`,
which runs every comparison and returns an :class:`AnalysisReport`; :func:`render_html` turns it
into one self-contained page. The building blocks are public for notebooks. See docs/analysis.md
for the methods, their defaults and the caveats.
"""

from civicmeter.analysis.adjusted import adjusted_difference
from civicmeter.analysis.compare import bootstrap_difference, compare_groups, welch_difference
from civicmeter.analysis.errors import AnalysisError, Problem
from civicmeter.analysis.groupings import Sample
from civicmeter.analysis.published import published_beside, published_figures
from civicmeter.analysis.report import AnalysisReport, analyze
from civicmeter.analysis.report_html import render_html
from civicmeter.analysis.results import AdjustedRow, ComparisonRow, ResultTable
from civicmeter.analysis.settings import ComparisonSettings
from civicmeter.provenance import Provenance

__all__ = [
    "AdjustedRow",
    "AnalysisError",
    "AnalysisReport",
    "ComparisonRow",
    "ComparisonSettings",
    "Problem",
    "Provenance",
    "ResultTable",
    "Sample",
    "adjusted_difference",
    "analyze",
    "bootstrap_difference",
    "compare_groups",
    "published_beside",
    "published_figures",
    "render_html",
    "welch_difference",
]
