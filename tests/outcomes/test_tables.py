from __future__ import annotations

import pandas as pd
import pytest

from civicmeter.outcomes import TIDY_COLUMNS, OutcomesError, read_outcome_table
from civicmeter.outcomes.layouts import E031_UNKNOWN_INDICATOR
from civicmeter.outcomes.tables import E034_NO_PERIOD
from civicmeter.params import ParameterError


def test_eu_qol_long_file(fixtures):
    path = fixtures / "eu-qol-2023/qol2023_city_indicators_long_slice.csv"
    table = read_outcome_table(path, period=2023)
    data = table.data
    assert list(data.columns) == TIDY_COLUMNS
    assert table.report.layout == "long" and table.report.clean
    assert len(data) == 72 and data["period"].unique().tolist() == ["2023"]
    assert set(data["indicator"]) == {
        "satis_city",
        "satis_transport",
        "satis_school",
        "satis_healthcare",
        "satis_greenspaces",
        "satis_sports",
        "satis_culture",
        "satis_publicspaces",
        "satis_housing",
    }
    assert data["value"].between(0, 1).all() and (data["unit"] == "share").all()
    assert {"Brussel", "Białystok", "Tyneside conurbation"} <= set(data["city_name"])
    assert table.report.ignored_columns == ["mean"]


def test_a_table_without_period_says_how_to_give_one(fixtures):
    path = fixtures / "eu-qol-2023/qol2023_city_indicators_long_slice.csv"
    with pytest.raises(OutcomesError) as caught:
        read_outcome_table(path)
    assert caught.value.problems[0].message == E034_NO_PERIOD.format(path=path)


def test_acs_median_income_with_census_names(fixtures):
    table = read_outcome_table(
        fixtures / "us-acs-median-income/acs1y_s1901_median_income_slice.csv",
        indicator="median_household_income",
        country="US",
    )
    data = table.data
    assert table.report.columns == {"city": "City", "region": "State", "period": "Year"}
    assert table.report.value_columns == {"Median_Income": "median_household_income"}
    kc = data[(data["city_name"] == "Kansas City city") & (data["period"] == "2023")]
    assert sorted(zip(kc["region"], kc["value"], strict=False)) == [
        ("Kansas", 60739.0),
        ("Missouri", 65225.0),
    ]
    assert (data["country"] == "US").all() and (data["unit"] == "usd").all()


def test_city_health_dashboard_wide_file_takes_every_catalogue_column(fixtures):
    path = fixtures / "us-city-health-dashboard-subset/features_final_slice.csv"
    table = read_outcome_table(path, period="2019", country="US")
    assert table.report.layout == "wide-measures"
    assert table.report.value_columns["Uninsured"] == "chd_uninsured"
    assert len(table.report.value_columns) == 6
    assert table.report.ignored_columns == ["Racial/ethnic diversity", "no_of_crimes"]
    louisville = table.data.query("city_name == 'Louisville'").set_index("indicator")["value"]
    assert louisville["life_expectancy"] == 76.6 and louisville["chd_income_inequality"] == -17.7
    assert (table.data.query("city_name == 'Louisville'")["region"] == "KY").all()


def test_one_measure_picked_from_a_wide_file(fixtures):
    path = fixtures / "us-city-health-dashboard-subset/features_final_slice.csv"
    table = read_outcome_table(path, indicator="chd_uninsured", value_column="Uninsured", period="2019")
    assert table.data["indicator"].unique().tolist() == ["chd_uninsured"]
    assert table.data.set_index("city_name").loc["West New York", "value"] == 24.1


def test_ons_file_with_metadata_notes_and_suppressed_values(fixtures):
    path = fixtures / "uk-ons-subnational-indicators/Life_satisfaction_slice.csv"
    table = read_outcome_table(path, indicator="ons_life_satisfaction", country="GB")
    report = table.report
    assert report.skip_rows == 5 and report.rows_read == 11 and report.rows_kept == 9
    assert report.dropped == {"missing value marker": 2}
    assert table.data["period"].unique().tolist() == ["04/2020-03/2021"]
    assert "taken from the file's 'Date:' line" in report.notes[0]
    assert table.data.set_index("city_name").loc["Daventry", "row"] == 15
    assert table.data.set_index("city_name").loc["Bristol, City of", "city_code"] == "E06000023"


def test_ons_cp1252_file_with_pound_sign(fixtures):
    path = fixtures / "uk-ons-subnational-indicators/Weekly_pay_slice_cp1252.csv"
    table = read_outcome_table(path, indicator="ons_weekly_pay", country="GB", period="2021")
    assert table.report.encoding == "cp1252"
    assert table.report.value_columns == {"Median weekly pay (£)": "ons_weekly_pay"}
    assert table.data.set_index("city_name")["value"].to_dict()["Hartlepool"] == 487.4
    assert "Isles of Scilly" not in set(table.data["city_name"])


def test_non_numeric_values_and_unknown_indicators_are_reported_with_rows(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "city,year,indicator,value\n"
        "Leeds,2022,satis_city,0.81\n"
        "York,2022,satis_city,about 0.8\n"
        "Leeds,2022,satis_trams,0.5\n"
        'Hull,2022,life_expectancy,"1,234.5"\n'
        "Hull,2022,satis_city,85\n",
        encoding="utf-8",
    )
    table = read_outcome_table(path)
    report = table.report
    assert report.non_numeric == [(3, "value", "about 0.8")]
    assert report.unknown_indicators == {"satis_trams": 1}
    assert report.dropped["value outside the unit's range"] == 1
    assert "rows 6" in report.notes[0]
    assert not report.clean
    assert table.data["value"].tolist() == [0.81, 1234.5]
    text = report.to_text()
    assert "row 3, column 'value': 'about 0.8'" in text and "'satis_trams' (1)" in text


def test_unknown_indicator_code_suggests_a_close_one(fixtures):
    path = fixtures / "us-acs-median-income/acs1y_s1901_median_income_slice.csv"
    with pytest.raises(OutcomesError) as caught:
        read_outcome_table(path, indicator="median_household_incom")
    assert caught.value.problems[0].message == E031_UNKNOWN_INDICATOR.format(
        path=path, code="median_household_incom", hint=" Did you mean 'median_household_income'?"
    )


def test_conflicting_duplicates_stop_the_import(tmp_path):
    path = tmp_path / "dups.csv"
    path.write_text(
        "city,year,indicator,value\nLeeds,2022,satis_city,0.8\nLeeds,2022,satis_city,0.7\n"
        "York,2022,satis_city,0.6\nYork,2022,satis_city,0.6\n",
        encoding="utf-8",
    )
    with pytest.raises(OutcomesError) as caught:
        read_outcome_table(path)
    assert caught.value.codes == ["outcomes.E035"]
    assert "(rows 2, 3)" in str(caught.value)


def test_mapping_names_columns_and_reports_missing_ones(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Gemeinde;Jahr;Zufriedenheit\nWien;2023;91%\nGraz;2023;88,5%\n", encoding="cp1252")
    table = read_outcome_table(
        path,
        mapping={"city": "Gemeinde", "period": "Jahr"},
        indicator="rent_below_25pct",
        value_column="Zufriedenheit",
        country="at",
    )
    assert table.data[["city_name", "country", "value"]].values.tolist() == [
        ["Wien", "AT", 91.0],
        ["Graz", "AT", 88.5],
    ]
    with pytest.raises(OutcomesError, match=r"no column 'Gemeinda' for city\. Did you mean 'Gemeinde'\?"):
        read_outcome_table(path, mapping={"city": "Gemeinda"}, indicator="rent_below_25pct", period="2023")
    with pytest.raises(ParameterError, match="'mapping' parameter of read_outcome_table"):
        read_outcome_table(path, mapping={"town": "Gemeinde"})


def test_city_names_for_matching(fixtures):
    table = read_outcome_table(
        fixtures / "us-acs-median-income/acs1y_s1901_median_income_slice.csv",
        indicator="median_household_income",
        country="US",
    )
    names = table.city_names()
    assert list(names.columns) == ["name", "country", "region", "code"]
    assert len(names) == 7


def test_country_names_are_read_as_codes_and_unknown_ones_get_a_note(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text(
        "Country,City,Year,Life_expectancy\nAustralia,Sydney,2014,82.2\nGermany,Munich,2014,81.5\n"
        "DEU,Berlin,2014,80.9\nAtlantis,Poseidonia,2014,90\n",
        encoding="utf-8",
    )
    table = read_outcome_table(path)
    assert table.data["indicator"].unique().tolist() == ["life_expectancy"]
    assert table.data["country"].tolist() == ["AU", "DE", "DE", "Atlantis"]
    assert "neither ISO 3166 alpha-2 codes nor country names (e.g. 'Atlantis')" in table.report.notes[0]


def test_wide_by_year_xlsx_with_n_and_se(tmp_path):
    path = tmp_path / "income.xlsx"
    pd.DataFrame(
        {"City": ["Leeds", "York"], "n": [800, 650], "2019": [31000, 29500], "2020": ["..", 30100]}
    ).to_excel(path, index=False)
    table = read_outcome_table(path, indicator="median_household_income", country="GB")
    assert table.report.layout == "wide-years"
    data = table.data.sort_values(["city_name", "period"])
    assert data[["city_name", "period", "value", "n"]].values.tolist() == [
        ["Leeds", "2019", 31000.0, 800.0],
        ["York", "2019", 29500.0, 650.0],
        ["York", "2020", 30100.0, 650.0],
    ]
    assert table.report.dropped == {"missing value marker": 1}
    assert table.report.encoding is None


def test_mapping_several_value_columns_and_n_se_columns(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("town,wave,happy,transit,n,se\nLeeds,2022,0.8,0.55,812,0.014\n", encoding="utf-8")
    table = read_outcome_table(
        path,
        mapping={
            "city": "town",
            "period": "wave",
            "indicators": {"happy": "satis_city", "transit": "satis_transport"},
        },
    )
    assert table.report.layout == "wide-measures"
    rows = table.data.set_index("indicator")
    assert rows.loc["satis_transport", "value"] == 0.55
    assert rows.loc["satis_city", "n"] == 812 and rows.loc["satis_city", "se"] == 0.014


def test_mapped_value_column_that_does_not_exist(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("city,year,happy\nLeeds,2022,0.8\n", encoding="utf-8")
    with pytest.raises(OutcomesError) as caught:
        read_outcome_table(path, mapping={"indicators": {"hapy": "satis_city"}})
    assert caught.value.codes == ["outcomes.E030"]
    assert "no column 'hapy' for indicator satis_city. Did you mean 'happy'?" in str(caught.value)


def test_row_numbers_survive_blank_lines(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text(
        "city,year,indicator,value\nLeeds,2022,satis_city,0.8\n,,,\n\nYork,2022,satis_city,high\n",
        encoding="utf-8",
    )
    table = read_outcome_table(path)
    assert table.report.non_numeric == [(5, "value", "high")]
    assert table.data["row"].tolist() == [2]
