"""Reading answer files safely: zip bombs, huge cells, files that are not tables (issue 7, items 7, 9)."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from civicmeter import tabular_files
from civicmeter.instruments import ResponsesImportError, files
from civicmeter.instruments.files import read_table, to_xlsx_bytes

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


def small_workbook() -> bytes:
    return to_xlsx_bytes(pd.DataFrame([["bilbao-es", "Juan"]], columns=["city", "mayor"]))


def edited_sheet(workbook: bytes, old: bytes, new: bytes) -> bytes:
    """The workbook with bytes of its sheet part replaced (openpyxl itself would cut long cells)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert old in data
                data = data.replace(old, new)
            target.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def inflated(workbook: bytes, extra: int) -> bytes:
    """The workbook plus a sheet part that inflates to ``extra`` bytes (a zip bomb's shape)."""
    return edited_sheet(workbook, b"</sheetData>", b"</sheetData><!-- " + b" " * extra + b" -->")


def problem(data: bytes, **kwargs):
    with pytest.raises(ResponsesImportError) as caught:
        read_table(data, **kwargs)
    [found] = caught.value.problems
    return found


def test_a_workbook_that_inflates_past_the_limit_is_refused_before_it_is_parsed(monkeypatch) -> None:
    def never(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    bomb = inflated(small_workbook(), files.MAX_UNPACKED_BYTES)
    assert len(bomb) < files.MAX_UNPACKED_BYTES // 100
    monkeypatch.setattr(tabular_files, "load_workbook", never)  # the shared reader opens workbooks
    found = problem(bomb)
    assert found.code == "import.E016"
    assert "MB when unpacked" in found.message


def test_a_workbook_cell_over_the_cell_limit_is_refused_with_its_place() -> None:
    long = b"x" * (files.MAX_CELL_CHARS + 1)
    data = edited_sheet(small_workbook(), b"Juan", long)
    found = problem(data)
    assert (found.code, found.row, found.column) == ("import.E014", 2, "B")
    assert f"{files.MAX_CELL_CHARS:,}" in found.message


def test_a_csv_cell_over_the_csv_field_limit_names_the_problem() -> None:
    data = b"city,mayor\nbilbao-es," + b"y" * 200_000 + b"\n"
    found = problem(data)
    assert (found.code, found.row) == ("import.E014", 2)
    assert "characters" in found.message


def test_a_png_renamed_xlsx_is_named_as_an_image() -> None:
    found = problem(PNG, name="answers.xlsx")
    assert found.code == "import.E018"
    assert "PNG image" in found.message
    assert "not UTF-8" not in found.message


def test_a_zip_that_is_not_a_workbook_says_so() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    found = problem(out.getvalue(), name="answers.xlsx")
    assert found.code == "import.E018"
    assert "not an Excel workbook" in found.message


def test_an_old_excel_file_is_told_to_save_as_xlsx() -> None:
    found = problem(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), name="answers.xls")
    assert found.code == "import.E018"
    assert ".xls" in found.message


def test_utf16_with_a_byte_order_mark_is_read() -> None:
    frame = read_table("city,mayor\nbilbao-es,Juan María\n".encode("utf-16"))
    assert frame.loc[0, "mayor"] == "Juan María"


def test_the_not_utf8_message_says_where_to_state_the_encoding() -> None:
    found = problem("city,mayor\nbilbao-es,María\n".encode("cp1252"))
    assert "--encoding" in found.message and "Encoding" in found.message
