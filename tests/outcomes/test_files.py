from __future__ import annotations

import codecs
import zipfile

import pandas as pd
import pytest

from civicmeter.outcomes import OutcomesError, detect_encoding, read_table, wide_years_to_long
from civicmeter.outcomes.files import E010_NOT_FOUND, MAX_UNPACKED_BYTES, check_workbook


def test_encodings_of_the_real_files(fixtures):
    assert detect_encoding(fixtures / "uk-ons-subnational-indicators/Life_satisfaction_slice.csv") == "utf-8"
    assert detect_encoding(fixtures / "uk-ons-subnational-indicators/Weekly_pay_slice_cp1252.csv") == "cp1252"
    # Santa Monica's comments fit cp1250 equally well; the tie must go to cp1252 (ñ, not ń).
    path = fixtures / "santa-monica-wellbeing/2014_open-ended-responses_slice.csv"
    assert detect_encoding(path) == "cp1252"
    text = read_table(path).frame["Fullstring"].str.cat()
    assert "ñ" in text and "’" in text and "ń" not in text


def test_bom_and_declared_encodings(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + "city,value\nMünchen,1\n".encode())
    assert detect_encoding(path) == "utf-8-sig"
    assert list(read_table(path).frame.columns) == ["city", "value"]
    assert detect_encoding(path, "latin-1") == "iso8859-1"
    with pytest.raises(OutcomesError, match="outcomes.E011"):
        detect_encoding(path, "no-such-encoding")


def test_ons_metadata_lines_are_skipped_and_kept(fixtures):
    table = read_table(fixtures / "uk-ons-subnational-indicators/Life_satisfaction_slice.csv")
    assert table.skip_rows == 5
    assert table.metadata["Date"] == "04/2020-03/2021"
    assert list(table.frame.columns)[:2] == ["Area Code", "Area"]
    corby = table.frame.index[table.frame["Area"] == "Corby"][0]
    assert table.frame.loc[corby, "Notes"].startswith("Obsolete code since 2021")
    assert table.spreadsheet_row(0) == 7


def test_explicit_skip_rows_wins(fixtures):
    table = read_table(fixtures / "uk-ons-subnational-indicators/Weekly_pay_slice_cp1252.csv", skip_rows=5)
    assert "Median weekly pay (£)" in table.frame.columns


def test_semicolon_files_are_sniffed(tmp_path):
    path = tmp_path / "eu.csv"
    path.write_text(
        "Titel der Tabelle\n\nStadt;Jahr;Wert\nWien;2023;0,91\nGraz;2023;0,88\n", encoding="cp1252"
    )
    table = read_table(path)
    assert table.delimiter == ";" and table.skip_rows == 2
    assert table.frame["Wert"].tolist() == ["0,91", "0,88"]


def test_xlsx_with_a_title_row(tmp_path):
    path = tmp_path / "cities.xlsx"
    grid = pd.DataFrame([["Outcome table", None], [None, None], ["City", "2021"], ["Leeds", 7.1]])
    grid.to_excel(path, header=False, index=False)
    table = read_table(path)
    assert table.skip_rows == 2 and table.encoding is None
    assert table.frame.to_dict("records") == [{"City": "Leeds", "2021": "7.1"}]


def test_missing_file(tmp_path):
    with pytest.raises(OutcomesError) as caught:
        read_table(tmp_path / "nope.csv")
    assert str(caught.value) == "[outcomes.E010] " + E010_NOT_FOUND.format(path=tmp_path / "nope.csv")


def test_wide_by_year_to_long_keeps_source_rows():
    frame = pd.DataFrame({"City": ["A", "B"], "2019": ["1", "2"], "2020.0": ["3", ""]}, index=[0, 1])
    long = wide_years_to_long(frame)
    assert long[["City", "period", "value"]].values.tolist() == [
        ["A", "2019", "1"],
        ["B", "2019", "2"],
        ["A", "2020", "3"],
        ["B", "2020", ""],
    ]
    assert long.index.tolist() == [0, 1, 0, 1]


def test_xlsx_blank_and_repeated_headers_are_made_unique(tmp_path):
    path = tmp_path / "wide.xlsx"
    grid = pd.DataFrame([["Area", None, "2019", "2019"], ["Leeds", "x", 1, 2]])
    grid.to_excel(path, header=False, index=False)
    assert list(read_table(path).frame.columns) == ["Area", "Unnamed: 1", "2019", "2019.1"]


def test_workbook_checks_name_what_the_file_really_is(tmp_path):
    png = tmp_path / "chart.xlsx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.raises(OutcomesError) as caught:
        read_table(png)
    assert caught.value.codes == ["outcomes.E014"] and "a PNG image" in str(caught.value)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (MAX_UNPACKED_BYTES + 1))
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(OutcomesError) as caught:
        check_workbook(bomb)
    assert caught.value.codes == ["outcomes.E016"]


def test_utf16_and_utf32_byte_order_marks_are_detected(tmp_path):
    for encoding, expected in (("utf-16", "utf-16"), ("utf-32", "utf-32")):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes("City,Value\nZürich,1\n".encode(encoding))
        assert detect_encoding(path) == expected
        assert read_table(path).frame["City"].tolist() == ["Zürich"]
