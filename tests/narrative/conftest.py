import pytest

from civicmeter.demo.answers import known_cities
from civicmeter.instruments import load_instrument
from civicmeter.scoring import SHIPPED_RECIPES

INSTRUMENT_FILE = SHIPPED_RECIPES.parent / "instruments" / "innovation-capacity.xlsx"


@pytest.fixture(scope="session")
def instrument():
    return load_instrument(INSTRUMENT_FILE)


@pytest.fixture(scope="session")
def baltimore():
    """Baltimore's published answers (OECD City Innovation Snapshot facts in the demo content)."""
    return dict(known_cities()["cities"]["baltimore-us"]["answers"])
