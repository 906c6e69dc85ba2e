import pytest

from civicmeter.instruments import load_instrument
from civicmeter.scoring import DATA_USE_RECIPE, PSI_RECIPE, SHIPPED_RECIPES, load_scoring_recipe

INSTRUMENT_FILE = SHIPPED_RECIPES.parent / "instruments" / "innovation-capacity.xlsx"


@pytest.fixture(scope="session")
def instrument():
    return load_instrument(INSTRUMENT_FILE)


@pytest.fixture(scope="session")
def psi():
    return load_scoring_recipe(PSI_RECIPE)


@pytest.fixture(scope="session")
def data_use():
    return load_scoring_recipe(DATA_USE_RECIPE)
