from __future__ import annotations

import pandas as pd
import pytest

from civicmeter.outcomes import (
    OutcomesError,
    check_confirmed,
    match_cities,
    read_confirmed,
    read_outcome_table,
    write_confirmed,
)
from civicmeter.outcomes.names import name_keys


@pytest.fixture
def cities():
    return pd.DataFrame(
        [
            {"slug": "louisville-us", "name": "Louisville", "country": "US", "region": "Kentucky"},
            {"slug": "boise-us", "name": "Boise", "country": "US", "region": "Idaho"},
            {"slug": "new-york-us", "name": "New York", "country": "US", "region": "New York"},
            {
                "slug": "kansas-city-us",
                "name": "Kansas City",
                "country": "US",
                "region": "Missouri",
            },
            {
                "slug": "kansas-city-ks-us",
                "name": "Kansas City",
                "country": "US",
                "region": "Kansas",
            },
            {"slug": "nashville-us", "name": "Nashville", "country": "US", "region": "TN"},
            {"slug": "saint-paul-us", "name": "Saint Paul", "country": "US", "region": "MN"},
            {"slug": "portland-us", "name": "Portland", "country": "US", "region": "Oregon"},
            {"slug": "portland-me-us", "name": "Portland", "country": "US", "region": "Maine"},
            {"slug": "brussels-be", "name": "Brussels", "country": "BE"},
            {"slug": "munich-de", "name": "Munich", "country": "DE"},
            {"slug": "bialystok-pl", "name": "Bialystok", "country": "PL"},
            {"slug": "newcastle-upon-tyne-gb", "name": "Newcastle upon Tyne", "country": "GB"},
            {"slug": "bristol-gb", "name": "Bristol", "country": "GB", "code": "E06000023"},
            {
                "slug": "leeds-gb",
                "name": "Leeds",
                "country": "GB",
                "aliases": "Leodis|City of Leeds",
            },
        ]
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "Louisville/Jefferson County metro government (balance)",
            ("louisville jefferson county", ["louisville"]),
        ),
        ("Boise City city", ("boise city", ["boise"])),
        ("New York City", ("new york", [])),
        ("new york", ("new york", [])),
        ("St. Louis city", ("saint louis", [])),
        ("Bristol, City of", ("bristol", [])),
        ("Białystok", ("bialystok", [])),
        ("Winston-Salem city", ("winston salem", [])),
    ],
)
def test_name_keys(name, expected):
    assert name_keys(name) == expected


def test_real_traps_from_the_acs_file(fixtures, cities):
    table = read_outcome_table(
        fixtures / "us-acs-median-income/acs1y_s1901_median_income_slice.csv",
        indicator="median_household_income",
        country="US",
    )
    report = match_cities(table.city_names(), cities)
    matched = dict(
        zip(
            zip(report.matched["name"], report.matched["region"], strict=False),
            report.matched["city_slug"],
            strict=False,
        )
    )
    assert matched[("Louisville/Jefferson County metro government (balance)", "Kentucky")] == "louisville-us"
    assert matched[("Boise City city", "Idaho")] == "boise-us"
    assert matched[("Kansas City city", "Kansas")] == "kansas-city-ks-us"
    assert matched[("Kansas City city", "Missouri")] == "kansas-city-us"
    assert matched[("Nashville-Davidson metropolitan government (balance)", "Tennessee")] == "nashville-us"
    assert matched[("New York city", "New York")] == "new-york-us"
    assert report.unmatched["name"].tolist() == ["Tempe city"]
    methods = report.matched.set_index("name")["method"]
    assert methods["Boise City city"] == "name variant" and methods["New York city"] == "name"
    assert set(methods["Kansas City city"]) == {"name"}
    assert "check: 'Boise City city' -> boise-us" in report.to_text()


def test_local_language_names_and_conurbations(fixtures, cities):
    table = read_outcome_table(fixtures / "eu-qol-2023/qol2023_city_indicators_long_slice.csv", period=2023)
    report = match_cities(table.city_names(), cities)
    slugs = dict(zip(report.matched["name"], report.matched["city_slug"], strict=False))
    assert slugs == {
        "Brussel": "brussels-be",
        "München": "munich-de",
        "Białystok": "bialystok-pl",
        "Tyneside conurbation": "newcastle-upon-tyne-gb",
    }
    assert set(report.matched["method"]) == {"alias", "name"}
    assert set(report.unmatched["name"]) == {"Antwerpen", "Vienna", "Genève", "Lefkosia"}


def test_spellings_of_one_city_and_places_that_collide(cities):
    names = pd.DataFrame(
        [
            {"name": "New York City", "country": "US"},
            {"name": "new york", "country": "US"},
            {"name": "Kansas City", "country": "US"},
            {"name": "Portland", "country": "US", "region": "OR"},
        ]
    )
    report = match_cities(names, cities)
    assert report.matched[["name", "city_slug"]].values.tolist() == [
        ["New York City", "new-york-us"],
        ["new york", "new-york-us"],
        ["Portland", "portland-us"],
    ]
    assert report.ambiguous.iloc[0]["candidates"] == ["kansas-city-us", "kansas-city-ks-us"]
    assert "2 spellings matched new-york-us" in report.notes[0]


def test_two_places_on_one_city_become_ambiguous():
    candidates = pd.DataFrame([{"slug": "kansas-city-us", "name": "Kansas City", "country": "US"}])
    names = pd.DataFrame(
        [
            {"name": "Kansas City city", "country": "US", "region": "Kansas"},
            {"name": "Kansas City city", "country": "US", "region": "Missouri"},
        ]
    )
    report = match_cities(names, candidates)
    assert report.matched.empty and len(report.ambiguous) == 2
    assert "confirm which one is meant" in report.notes[0]
    confirmed = {("Kansas City city, Missouri", "US"): "kansas-city-us"}
    again = match_cities(names, candidates, confirmed=confirmed)
    assert again.matched[["region", "method"]].values.tolist() == [["Missouri", "confirmed"]]
    assert again.ambiguous["region"].tolist() == ["Kansas"]


def test_codes_aliases_and_no_fuzzy_guess(cities):
    names = pd.DataFrame(
        [
            {"name": "Bristol, City of", "country": "GB", "code": "E06000023"},
            {"name": "Leodis", "country": "GB"},
            {"name": "Saint-Paul", "country": "US", "region": "Minnesota"},
            {"name": "Portlnd", "country": "US"},
            {"name": "Munich", "country": "FR"},
        ]
    )
    report = match_cities(names, cities)
    assert report.matched[["name", "method"]].values.tolist() == [
        ["Bristol, City of", "code"],
        ["Leodis", "alias"],
        ["Saint-Paul", "name"],
    ]
    unmatched = report.unmatched.set_index("name")
    assert unmatched.loc["Portlnd", "suggestions"] == ["portland-us", "portland-me-us"]
    assert unmatched.loc["Munich", "suggestions"] == []
    assert not report.complete


def test_assign_adds_slugs_to_an_outcome_table(fixtures, cities):
    table = read_outcome_table(
        fixtures / "us-acs-median-income/acs1y_s1901_median_income_slice.csv",
        indicator="median_household_income",
        country="US",
    )
    report = match_cities(table.city_names(), cities)
    assigned = report.assign(table.data)
    assert set(assigned.loc[assigned["city_name"] == "Tempe city", "city_slug"]) == {""}
    assert set(assigned.loc[assigned["region"] == "Idaho", "city_slug"]) == {"boise-us"}


def test_confirmed_mapping_round_trip(tmp_path, cities):
    path = tmp_path / "confirmed.csv"
    assert read_confirmed(path) == {}
    write_confirmed(path, {("Tempe city", "US"): "tempe-us"})
    write_confirmed(path, {("Antwerpen", ""): "antwerp-be"})
    assert path.read_text().splitlines() == [
        "source_name,country,city_slug",
        "Antwerpen,,antwerp-be",
        "Tempe city,US,tempe-us",
    ]
    confirmed = read_confirmed(path)
    with pytest.raises(OutcomesError) as caught:
        check_confirmed(confirmed, cities, path=str(path))
    assert caught.value.codes == ["outcomes.E041", "outcomes.E041"]
    assert f"{path}, row 2: 'Antwerpen' is confirmed as 'antwerp-be'" in str(caught.value)
    path.write_text("name,slug\nX,y\n")
    with pytest.raises(OutcomesError, match="outcomes.E040"):
        read_confirmed(path)
