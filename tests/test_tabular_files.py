"""The shared tabular reader: one set of decisions, the differences between callers in a policy."""

from __future__ import annotations

import io
import zipfile

import pytest

from civicmeter import tabular_files as tf
from civicmeter.instruments.files import RESPONSES
from civicmeter.outcomes.files import OUTCOMES

ACCENTED = "city,mayor\nbilbao-es,Juan María Aburto\n"


def test_a_non_utf8_file_is_refused_for_answers_and_detected_for_outcome_tables():
    data = ACCENTED.encode("cp1252")
    with pytest.raises(tf.NotUtf8Error) as caught:
        tf.choose_encoding(data, RESPONSES)
    assert caught.value.guess == "cp1252"
    assert tf.choose_encoding(data, OUTCOMES) == "cp1252"


@pytest.mark.parametrize("policy", [RESPONSES, OUTCOMES], ids=["responses", "outcomes"])
@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-32", "utf-32")],
)
def test_byte_order_marks_and_utf8_are_read_the_same_under_every_policy(policy, encoding, expected):
    assert tf.choose_encoding(ACCENTED.encode(encoding), policy) == expected


def test_the_sniffer_ignores_delimiters_inside_quotes_and_prefers_the_comma_on_a_tie():
    assert tf.sniff_delimiter('"a;b;c",d\n', RESPONSES) == ","
    assert tf.sniff_delimiter("a;b,c\n", RESPONSES) == ","
    assert tf.sniff_delimiter("city;value\nx;1\n", RESPONSES) == ";"
    # '|' is a delimiter for outcome tables only; the median line outvotes a metadata line.
    text = "Title: pay, by city\ncity|value\nLeeds|1\nYork|2\n"
    assert tf.sniff_delimiter(text, OUTCOMES, lines=50) == "|"
    assert tf.sniff_delimiter(text, RESPONSES, lines=50) == ","


def test_what_a_file_really_is_comes_from_its_first_bytes():
    assert tf.file_kind(b"\x89PNG\r\n\x1a\n") == "a PNG image"
    assert tf.file_kind(b"%PDF-1.7") == "a PDF document"
    assert tf.file_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") == tf.OLD_EXCEL
    assert tf.file_kind(b"city,value") is None
    assert tf.is_binary(b"ab\x00cd") and not tf.is_binary("a,b".encode("utf-16"))
    assert tf.looks_like_text(b"city,value") and not tf.looks_like_text(b"\xff\x00\x81")


def test_the_unpacked_size_limit_is_the_policys_and_read_from_the_zip_directory():
    buffer = io.BytesIO()
    size = RESPONSES.max_unpacked_bytes + 1
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"0" * size)
    facts = tf.archive_facts(buffer.getvalue())
    assert facts.unpacked == size and facts.has_workbook and not facts.has_content_types
    assert facts.too_big(RESPONSES) and not facts.too_big(OUTCOMES)
    with pytest.raises(zipfile.BadZipFile):
        tf.archive_facts(b"city,value\n")


def test_cell_lengths_are_limited_only_where_the_policy_says_so():
    cells = ["ok", 3, "x" * (RESPONSES.max_cell_chars + 1)]
    assert tf.long_cell(cells, RESPONSES) == 2
    assert tf.long_cell(cells, OUTCOMES) is None


@pytest.mark.parametrize("text", ["=1+1", "+3", "@SUM(A1)", "'=x", "''-y", "\tz", "-5", "plain"])
def test_formula_neutralising_is_undone_exactly(text):
    assert tf.restore(tf.neutralise(text)) == text
    assert tf.neutralise("-5") == "-5" and tf.neutralise("=1") == "'=1"
