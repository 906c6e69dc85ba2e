"""Numbers and shares per language."""

import pytest

from civicmeter.narrative import load_wording


@pytest.mark.parametrize(
    ("language", "value", "text"),
    [
        ("en", 1234567, "1,234,567"),
        ("en", 999, "999"),
        ("es", 1234, "1234"),
        ("es", 12345, "12.345"),
        ("fr", 1234, "1\u202f234"),
        ("fr", 611648, "611\u202f648"),
    ],
)
def test_numbers(instrument, language, value, text):
    assert load_wording(language, instrument).numbers.number(value) == text


@pytest.mark.parametrize(
    ("language", "share", "text"),
    [
        ("en", 0.5034, "50%"),
        ("en", 0.125, "13%"),  # half up, not to even
        ("en", 0.004, "0.4%"),  # never a false 0%
        ("en", 0.9996, "99.96%"),  # never a false 100%
        ("en", 1.0, "100%"),
        ("es", 0.004, "0,4 %"),
        ("fr", 0.24, "24\u00a0%"),
    ],
)
def test_shares(instrument, language, share, text):
    assert load_wording(language, instrument).numbers.share(share) == text


def test_plural_forms(instrument):
    assert load_wording("en", instrument).numbers.plural(0) == "other"
    assert load_wording("fr", instrument).numbers.plural(0) == "one"
    assert load_wording("es", instrument).numbers.plural(2) == "other"
