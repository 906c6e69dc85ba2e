"""Shared fixtures for the engine tests: COINr's ASEM example tables and recipe (copied into the
repo)."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicmeter.indexing import load_recipe, read_index_data, run_pipeline

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "asem"
ASEM_RECIPE = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "civicmeter"
    / "content"
    / "recipes"
    / "examples"
    / "asem.yaml"
)


@pytest.fixture(scope="session")
def asem_data():
    return read_index_data(FIXTURES / "ASEM_iData.csv", FIXTURES / "ASEM_iMeta.csv")


@pytest.fixture(scope="session")
def asem_recipe():
    return load_recipe(ASEM_RECIPE)


@pytest.fixture(scope="session")
def asem_result(asem_data, asem_recipe):
    return run_pipeline(asem_data, asem_recipe)
