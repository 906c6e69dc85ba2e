"""KPI values files: every bad cell reported with its row and column; a written file reads back."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from civicmeter.performance import ValuesFileError, read_values, write_values
from civicmeter.performance.periods import Period

EMPTY = "the cell is empty; every row needs an indicator, a period and a value"
KNOWN = "indicator, period, value, note, name, unit"
FREQUENCIES = {"311-on-time": "month", "pothole-days": "week"}


def problems(content: bytes) -> list[str]:
    with pytest.raises(ValuesFileError) as info:
        read_values(content, FREQUENCIES)
    return [str(p) for p in info.value.problems]


def test_good_rows_are_read_with_their_periods():
    rows = read_values(
        b"indicator;period;value;note\n311-on-time;2024-03;87.5;late data\npothole-days;2024-W02;4\n",
        FREQUENCIES,
    )
    assert [(r.indicator, r.period.start, r.value, r.note) for r in rows] == [
        ("311-on-time", date(2024, 3, 1), 87.5, "late data"),
        ("pothole-days", date(2024, 1, 8), 4.0, ""),
    ]


def test_every_bad_cell_is_reported_with_row_and_column():
    content = (
        b"indicator,period,value\n"
        b"311-on-time,2024-13,87\n"
        b"potholes,2024-W02,4\n"
        b"311-on-time,2024-02,87,5\n"
        b"pothole-days,,\n"
        b"311-on-time,2024-02-10,88\n"
    )
    assert problems(content) == [
        "[goals.E008] row 2, column period: '2024-13' is not a month; write it as 2024-03 or as a date "
        "(YYYY-MM-DD)",
        "[goals.E007] row 3, column indicator: 'potholes' is not an indicator of this city's goals; "
        "use one of 311-on-time, pothole-days",
        f"[goals.E006] row 5, column period: {EMPTY}",
        f"[goals.E006] row 5, column value: {EMPTY}",
        "[goals.E010] row 6, column period: 311-on-time 2024-02 is also on row 4; keep one row per "
        "indicator and period",
    ]


def test_numbers_with_units_or_decimal_commas_are_refused():
    assert problems(b'indicator,period,value\n311-on-time,2024-01,87%\n311-on-time,2024-02,"87,5"\n') == [
        "[goals.E009] row 2, column value: '87%' is not a number; write digits with a point as decimal mark "
        "(e.g. 87.5), no unit",
        "[goals.E009] row 3, column value: '87,5' is not a number; write digits with a point as decimal mark "
        "(e.g. 87.5), no unit",
    ]


def test_columns_are_checked_before_rows():
    assert problems(b"indicator,when,value,colour\nx,1,2,3\n") == [
        "[goals.E003] there is no 'period' column; the columns are indicator, period, value and "
        "optionally note",
        f"[goals.E004] column 'when' is not one of {KNOWN}; rename or remove it",
        f"[goals.E004] column 'colour' is not one of {KNOWN}; rename or remove it",
    ]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"\x89PNG\r\n\x1a\n....", "goals.E001"),
        (b"PK\x03\x04not really a zip", "goals.E001"),
        (b"", "goals.E011"),
        (b"indicator,period,value\n", "goals.E005"),
    ],
)
def test_files_that_are_no_table_are_refused_whole(content, code):
    with pytest.raises(ValuesFileError) as info:
        read_values(content, FREQUENCIES)
    assert info.value.codes == (code,)


def test_a_cp1252_file_from_excel_is_read():
    rows = read_values(
        "indicator,period,value,note\n311-on-time,2024-01,80,réunion\n".encode("cp1252"), FREQUENCIES
    )
    assert rows[0].note == "réunion"


def test_xlsx_values_are_read():
    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "period", "value"])
    sheet.append(["311-on-time", "2024-01", 80])
    buffer = io.BytesIO()
    book.save(buffer)
    (row,) = read_values(buffer.getvalue(), FREQUENCIES)
    assert (row.indicator, row.value) == ("311-on-time", 80.0)


def test_written_values_read_back_the_same_including_formula_like_notes():
    rows = [
        {
            "indicator": "311-on-time",
            "name": "On time",
            "unit": "%",
            "period": Period(date(2024, 1, 1), "month"),
            "value": 87.25,
            "note": "=SUM(A1)",
        },
        {
            "indicator": "pothole-days",
            "name": "Days",
            "unit": "days",
            "period": Period(date(2024, 1, 8), "week"),
            "value": 4.0,
            "note": "",
        },
    ]
    read = read_values(write_values(rows).encode(), FREQUENCIES)
    assert [(r.indicator, r.period, r.value, r.note) for r in read] == [
        (r["indicator"], r["period"], r["value"], r["note"]) for r in rows
    ]
