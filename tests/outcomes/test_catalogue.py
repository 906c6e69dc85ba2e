from __future__ import annotations

import pytest

from civicmeter.outcomes import Dimension, OutcomesError, RescaleRule, load_catalogue
from civicmeter.outcomes.catalogue import E002_SHAPE, E005_DUPLICATE


def write(tmp_path, text, name="programme.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_catalogue_covers_the_oecd_indicators_and_the_shared_data():
    catalogue = load_catalogue()
    for code in [
        "satis_city",
        "life_satisfaction_share",
        "satis_transport",
        "walkability",
        "rent_below_25pct",
        "life_expectancy",
        "median_household_income",
        "satis_housing",
        "chd_high_school_completion",
        "chd_income_inequality",
        "chd_unemployment",
        "chd_uninsured",
        "ons_life_satisfaction",
        "ons_happiness",
        "ons_anxiety",
        "ons_weekly_pay",
        "kc_place_to_live",
    ]:
        assert code in catalogue
    assert {i.dimension for i in catalogue} <= set(Dimension)
    assert catalogue["ons_anxiety"].direction == -1
    assert catalogue["satis_city"].rescale is RescaleRule.SHARE


def test_aliases_resolve_source_column_names():
    catalogue = load_catalogue()
    assert catalogue.resolve("High School Completion") == "chd_high_school_completion"
    assert catalogue.resolve("Unemployment - annual, neighborhood-level") == "chd_unemployment"
    assert catalogue.resolve("Median_Income") == "median_household_income"
    assert catalogue.resolve("Racial/ethnic diversity") is None


def test_programme_catalogue_merges_with_the_default(tmp_path):
    path = write(
        tmp_path,
        """
indicators:
  - {code: bristol_green_space, name: Satisfied with parks, dimension: environment, unit: percent,
     direction: 1, source: Bristol Quality of Life survey, rescale: share}
""",
    )
    catalogue = load_catalogue([path])
    assert "bristol_green_space" in catalogue and "satis_city" in catalogue
    assert catalogue["bristol_green_space"].origin == str(path)


def test_duplicate_code_or_alias_is_rejected_with_its_place(tmp_path):
    path = write(
        tmp_path,
        """
indicators:
  - {code: satis_city, name: Mine, dimension: community, unit: share, direction: 1, source: me,
     rescale: share}
  - {code: my_income, name: Income, dimension: income, unit: usd, direction: 1, source: me,
     rescale: minmax, aliases: [Median_Income]}
""",
    )
    with pytest.raises(OutcomesError) as caught:
        load_catalogue([path])
    assert caught.value.codes == ["outcomes.E005", "outcomes.E005"]
    assert caught.value.problems[0].message == E005_DUPLICATE.format(
        path=path,
        code="satis_city",
        name="satis_city",
        other="civicmeter/content/outcomes/catalogue.yaml",
    )


def test_every_problem_in_every_entry_is_reported_at_once(tmp_path):
    path = write(
        tmp_path,
        """
indicators:
  - {code: a_thing, name: A, dimension: happiness, unit: share, direction: 2, source: s,
     rescale: share}
  - {code: b_thing, name: B, dimension: income, direction: 1, source: s, rescale: minmax}
  - {code: c_thing, name: C, dimension: income, unit: usd, direction: 1, source: s, rescale: share}
""",
    )
    with pytest.raises(OutcomesError) as caught:
        load_catalogue([path], include_default=False)
    assert caught.value.codes == [
        "outcomes.E004",
        "outcomes.E004",
        "outcomes.E003",
        "outcomes.E004",
    ]
    assert "'dimension' is 'happiness'" in str(caught.value)
    assert "missing field 'unit'" in str(caught.value)


def test_unreadable_and_misshapen_files(tmp_path):
    broken = write(tmp_path, "indicators: [", "broken.yaml")
    shape = write(tmp_path, "- just a list", "shape.yaml")
    with pytest.raises(OutcomesError) as caught:
        load_catalogue([broken, shape, tmp_path / "absent.yaml"], include_default=False)
    assert caught.value.codes == ["outcomes.E001", "outcomes.E001", "outcomes.E002"]
    assert caught.value.problems[2].message == E002_SHAPE.format(path=shape)
