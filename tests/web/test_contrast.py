"""Non-text contrast (WCAG 2.1 1.4.11, AA): the focus ring, field borders and chart marks must
measure at least 3:1 against every background they are drawn on.

The colours are read from the custom properties in the stylesheet itself, so a palette change that
falls under 3:1 fails here before anyone has to notice it on screen.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import civicmeter

CSS = Path(civicmeter.__file__).parent / "web/core/static/civicmeter/civicmeter.css"
MINIMUM = 3.0

# (foreground, background, where the pair appears)
PAIRS = [
    ("--focus", "--bg", "focus ring on the page"),
    ("--focus", "--panel", "focus ring on the header, table headings and messages"),
    ("--focus", "--warn-bg", "focus ring beside an answer conflict"),
    ("--field-border", "--bg", "text-field and select borders on the page"),
    ("--field-border", "--panel", "field borders on the header's language menu"),
    ("--chart-mark", "--bg", "progress bars on the page"),
    ("--chart-mark", "--panel", "progress bars in the dashboard's cards"),
    ("--accent-ink", "--chart-mark", "progress of the current survey section (light on accent)"),
]


def custom_properties(css: str) -> dict[str, str]:
    """The ``:root`` block's ``--name: value`` pairs, ``var(--other)`` resolved."""
    root = re.search(r":root\s*\{(.*?)\}", css, re.S)
    assert root, f"{CSS}: no :root block"
    raw = dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", re.sub(r"/\*.*?\*/", "", root.group(1), flags=re.S)))

    def resolve(name: str, seen: tuple[str, ...] = ()) -> str:
        value = raw[name].strip()
        reference = re.fullmatch(r"var\((--[\w-]+)\)", value)
        if reference:
            assert reference.group(1) not in seen, f"{CSS}: {name} refers to itself"
            return resolve(reference.group(1), (*seen, name))
        return value

    return {name: resolve(name) for name in raw}


def relative_luminance(colour: str) -> float:
    match = re.fullmatch(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})", colour)
    assert match, f"{colour!r} is not a #rgb or #rrggbb colour; write the palette in hex"
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_formula_matches_published_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#f2b705", "#ffffff") == pytest.approx(1.82, abs=0.01)  # the old focus ring


def test_var_references_are_followed():
    css = ":root { --a: #ffffff; --b: var(--a); /* --c: #000; */ }"
    assert custom_properties(css) == {"--a": "#ffffff", "--b": "#ffffff"}


@pytest.mark.parametrize(("foreground", "background", "where"), PAIRS, ids=[p[2] for p in PAIRS])
def test_non_text_colours_reach_three_to_one(foreground, background, where):
    palette = custom_properties(CSS.read_text(encoding="utf-8"))
    ratio = contrast(palette[foreground], palette[background])
    assert ratio >= MINIMUM, (
        f"{where}: {foreground} {palette[foreground]} on {background} {palette[background]} measures "
        f"{ratio:.2f}:1, under {MINIMUM}:1; darken {foreground} in {CSS.name}"
    )


def test_no_colour_literal_bypasses_the_checked_properties():
    """Focus outlines and field borders must use the checked properties, not a hex literal."""
    css = CSS.read_text(encoding="utf-8")
    outline = re.search(r":focus-visible\s*\{([^}]*)\}", css)
    assert outline and "var(--focus)" in outline.group(1), "the focus ring must use var(--focus)"
    fields = re.search(r"input\[type=text\][^{]*\{([^}]*)\}", css)
    assert fields and "var(--field-border)" in fields.group(1), "field borders must use var(--field-border)"
