"""``civicmeter instrument validate|xform`` and the XForm export."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import typer
from typer.testing import CliRunner

from civicmeter.cli.instrument import register
from civicmeter.instruments import InstrumentError
from civicmeter.instruments.xform import to_xform


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # keeps 'instrument' a named group
    return app


def test_validate_prints_a_summary(cli, shipped_path) -> None:
    result = CliRunner().invoke(cli, ["instrument", "validate", str(shipped_path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "innovation-capacity.xlsx: form innovation_capacity version 2020.1, 6 sections, "
        "87 questions, languages en, es, fr (default en)"
    )


def test_validate_lists_every_problem_and_exits_2(cli, tmp_path, workbook, with_row) -> None:
    bad = tmp_path / "bad.xlsx"
    rows = with_row(["geopoint", "where", "Where", "Dónde", "", "today() = 1", "", "", ""])
    bad.write_bytes(workbook(rows))
    result = CliRunner().invoke(cli, ["instrument", "validate", str(bad)])
    assert result.exit_code == 2
    assert "2 problems in the instrument workbook" in result.output
    assert "[instrument.E006] sheet 'survey', row 4, column 'relevant'" in result.output
    assert "[instrument.E004] sheet 'survey', row 4, column 'type'" in result.output


def test_xform_export(cli, shipped_path, tmp_path) -> None:
    out = tmp_path / "form.xml"
    result = CliRunner().invoke(cli, ["instrument", "xform", str(shipped_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    xf = "{http://www.w3.org/2002/xforms}"
    binds = {b.get("nodeset"): b for b in root.iter(f"{xf}bind")}
    size = binds["/data/s2/s2_team_size"]
    assert size.get("type") == "int"
    assert size.get("constraint") == ". >= 1 and . <= 10000"
    assert "/data/s2/s2_team" in size.get("relevant")
    instance = next(i for i in root.iter(f"{xf}instance") if i.get("id") is None)
    assert instance[0].get("id") == "innovation_capacity"
    assert instance[0].get("version") == "2020.1"
    languages = {t.get("lang") for t in root.iter(f"{xf}translation")}
    assert languages == {"English (en)", "Español (es)", "Français (fr)"}


def test_xform_refuses_workbooks_outside_the_subset(workbook, with_row) -> None:
    with pytest.raises(InstrumentError, match="instrument.E004"):
        to_xform(workbook(with_row(["geopoint", "where", "W", "D", "", "", "", "", ""])))
