"""Reading iData/iMeta: every problem in the files is reported at once, with code, place and fix."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from civicmeter.indexing import IndexDataError, read_index_data

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "asem"

META = pd.DataFrame(
    [
        [1, "a", "A", 1, 1, "P", "Indicator", None],
        [1, "b", "B", -1, 1, "P", "Indicator", "pop"],
        [1, "c", "C", 1, 2, "Q", "Indicator", None],
        [2, "P", "Pillar P", 1, 1, "I", "Aggregate", None],
        [2, "Q", "Pillar Q", 1, 1, "I", "Aggregate", None],
        [3, "I", "Index", 1, 1, None, "Aggregate", None],
        [None, "pop", "Population", None, None, None, "Denominator", None],
        [None, "region_group", "Region", None, None, None, "Group", None],
    ],
    columns=["Level", "iCode", "iName", "Direction", "Weight", "Parent", "Type", "Denominator"],
)
DATA = pd.DataFrame(
    {
        "uCode": ["u1", "u2", "u3", "u4"],
        "region_group": ["x", "x", "y", "y"],
        "pop": [10, 20, 30, 40],
        "a": [1, 2, 3, 4],
        "b": [4, 1, None, 2],
        "c": [0.5, 0.1, 0.2, 0.9],
    }
)


def problems(data: pd.DataFrame, meta: pd.DataFrame) -> list[tuple[str, str]]:
    with pytest.raises(IndexDataError) as info:
        read_index_data(data, meta)
    return [(p.code, p.place) for p in info.value.problems]


def test_valid_tables_build_the_hierarchy():
    data = read_index_data(DATA, META)
    h = data.hierarchy
    assert h.indicators == ("a", "b", "c") and h.top == ("I",) and h.n_levels == 3
    assert h.children("P") == ("a", "b")
    assert data.groups == ("region_group",) and data.denominators == ("pop",)
    assert data.denominated_by == {"b": "pop"}
    assert h.effective_weights()["c"] == pytest.approx(0.5)
    assert h.effective_weights()["a"] == pytest.approx(0.25)


def test_asem_files_read_from_csv():
    data = read_index_data(FIXTURES / "ASEM_iData.csv", FIXTURES / "ASEM_iMeta.csv")
    assert len(data.hierarchy.indicators) == 49 and data.hierarchy.n_levels == 4
    assert len(data.source["iData"]) == 64


def test_xlsx_is_read_like_csv(tmp_path):
    path = tmp_path / "tables.xlsx"
    with pd.ExcelWriter(path) as writer:
        DATA.to_excel(writer, index=False)
    meta_path = tmp_path / "meta.xlsx"
    META.to_excel(meta_path, index=False)
    assert read_index_data(path, meta_path).hierarchy.indicators == ("a", "b", "c")


def test_duplicate_codes_in_meta_and_data():
    meta = pd.concat([META, META.iloc[[0]]], ignore_index=True)
    data = pd.concat([DATA, DATA.iloc[[1]]], ignore_index=True)
    found = problems(data, meta)
    assert ("index.E002", "iMeta row 10 iCode a") in found
    assert any(c == "index.E002" and p == "iData row 6" for c, p in found)


def test_orphan_and_level_mismatch_and_childless_aggregate():
    meta = META.copy()
    meta.loc[2, "Parent"] = "Nowhere"
    meta.loc[0, "Parent"] = "I"
    codes = [c for c, _ in problems(DATA, meta)]
    assert "index.E003" in codes  # orphan c and childless Q
    assert "index.E012" in codes  # a's parent I is two levels up


def test_cycle_is_reported():
    meta = META.copy()
    meta.loc[3, "Parent"] = "Q"
    meta.loc[4, "Parent"] = "P"
    meta.loc[4, "Level"] = 2
    found = problems(DATA, meta)
    assert any(c == "index.E004" for c, _ in found)


def test_aggregate_in_data_non_numeric_missing_denominator_all_missing_and_constant():
    data = DATA.copy()
    data["P"] = 1.0
    data["a"] = ["1", "two", "3", "4"]
    data["c"] = [None, None, None, None]
    data = data.drop(columns=["pop"])
    found = problems(data, META)
    codes = {c for c, _ in found}
    assert {"index.E005", "index.E006", "index.E007", "index.E011"} <= codes
    assert ("index.E006", "iData row 3 column a") in found
    constant = DATA.copy()
    constant["c"] = 5.0
    assert ("index.E008", "iData column c") in problems(constant, META)


def test_error_message_names_place_and_fix():
    data = DATA.copy()
    data["a"] = ["1", "two", "3", "4"]
    with pytest.raises(IndexDataError) as info:
        read_index_data(data, META)
    assert str(info.value) == (
        "[index.E006] iData row 3 column a: cell 'two' is not a number; write a number or leave "
        "the cell "
        "empty for a missing value"
    )


def test_missing_indicator_column_and_bad_meta_values():
    meta = META.copy()
    meta.loc[0, "Direction"] = 2
    meta.loc[1, "Weight"] = -1
    data = DATA.drop(columns=["c"])
    codes = [c for c, _ in problems(data, meta)]
    assert codes.count("index.E010") == 2 and "index.E009" in codes


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(IndexDataError, match=r"index\.E001"):
        read_index_data(tmp_path / "nope.csv", META)


def test_an_unreadable_file_is_reported_not_raised(tmp_path):
    with pytest.raises(IndexDataError) as info:
        read_index_data(tmp_path, META)
    assert str(info.value) == (
        f"[index.E001] {tmp_path}: cannot read the iData file (IsADirectoryError); "
        "check the path and its permissions"
    )
