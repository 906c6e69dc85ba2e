"""The HTML report's wide table can be scrolled with the keyboard (axe: scrollable-region-focusable)."""

from __future__ import annotations

import re

from civicmeter.analysis import ComparisonSettings, analyze
from civicmeter.analysis.report_html import render_html


def test_the_published_figures_table_scrolls_in_a_focusable_labelled_region(make_inputs):
    data = make_inputs(n=60, n_data_use=20, indicators=("satis_city", "walkability"))
    html = render_html(
        analyze(
            data["capacity"],
            data["outcomes"],
            controls=data["controls"],
            settings=ComparisonSettings(n_resamples=99),
        )
    )
    section = html[html.index("Published OECD figures beside ours") :]
    region = re.search(r'<div class="wide"([^>]*)>\s*<table><caption>([^<]*)</caption>', section)
    assert region, "the published figures table is not wrapped in a scroll region"
    attributes, caption = region.groups()
    assert 'role="region"' in attributes
    assert 'tabindex="0"' in attributes
    assert f'aria-label="{caption}"' in attributes
    assert re.search(r"\.wide\b[^{]*\{[^}]*overflow-x: auto", html)
