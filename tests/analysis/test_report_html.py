import re
from html.parser import HTMLParser

import pytest

from civicmeter.analysis import ComparisonSettings, Provenance, analyze
from civicmeter.analysis.chart import difference_chart
from civicmeter.analysis.report_html import render_html

EVIL = '<script>alert("x")</script>'


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture
def page(make_inputs):
    data = make_inputs(n=80, n_data_use=30, indicators=("satis_city", "walkability", "noise"))
    catalogue = data["catalogue"]
    catalogue.loc[2, "name"] = EVIL
    report = analyze(
        data["capacity"],
        data["outcomes"],
        controls=data["controls"],
        catalogue=catalogue,
        settings=ComparisonSettings(n_resamples=199),
        provenance=Provenance(wave=EVIL, recipe_version="<img src=x onerror=alert(1)>"),
    )
    return report, render_html(report)


def test_malicious_names_are_escaped(page):
    _, html = page
    assert EVIL not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    assert "<img" not in html


def test_page_is_self_contained(page):
    _, html = page
    parser = _Collector()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in {"script", "link", "img", "iframe"}
        for name in ("src", "href"):
            assert not attrs.get(name, "").startswith(("http", "//")), (tag, attrs)
    assert "@import" not in html and "url(" not in html


def test_chart_has_one_whisker_per_outcome_and_a_panel_per_sample(page):
    report, html = page
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    class_tables = [
        t
        for t in report.comparisons
        if t.name in {"comparison_psi_class", "comparison_data_use_class"}
    ]
    assert svg.count('class="panel"') == 2
    estimated = sum(1 for t in class_tables for r in t.rows if r.ci_lower == r.ci_lower)
    assert svg.count('class="whisker"') == estimated == 6
    assert svg.count('class="zero"') == 2
    assert '<title id="differences-title">' in svg and '<desc id="differences-desc">' in svg


def test_accessible_structure(page):
    _, html = page
    assert html.count("<caption>") >= len(page[0].tables)
    assert '<html lang="en">' in html
    assert "<figure>" in html and "<figcaption>" in html
    assert 'role="img"' in html


def test_published_figures_and_provenance_shown(page):
    _, html = page
    assert "Published OECD figures beside ours" in html
    assert "86%" in html and "82%" in html
    assert "Provenance" in html and "code_version" in html


def test_chart_marks_unestimated_rows_without_whisker(make_inputs):
    data = make_inputs(n=40)
    capacity = data["capacity"].assign(psi_class="low")
    capacity.loc[0, "psi_class"] = "high"
    report = analyze(capacity, data["outcomes"], settings=ComparisonSettings(groupings=("psi_class",)))
    svg = difference_chart(list(report.comparisons))
    assert 'class="whisker"' not in svg
    assert svg.count(">not estimated<title>not estimated: a group has fewer than 3 cities") == 3
