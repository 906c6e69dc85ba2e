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


@pytest.fixture(scope="session")
def recipes():
    from civicmeter.scoring import DATA_USE_RECIPE, PSI_RECIPE, load_scoring_recipe

    return (load_scoring_recipe(PSI_RECIPE), load_scoring_recipe(DATA_USE_RECIPE))


@pytest.fixture(scope="session")
def rules(instrument, recipes):
    from civicmeter.narrative import SHIPPED_RULES, load_rules

    return load_rules(SHIPPED_RULES, instrument, recipes)


@pytest.fixture(scope="session")
def cases(rules, instrument):
    from civicmeter.narrative import load_cases

    return load_cases(rules, instrument)
