"""``civicmeter index build`` writes every stage and reproduces COINr's ASEM results."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

pytest.importorskip("civicmeter.cli.platform", reason="the CLI root needs its platform module")
from civicmeter.cli import app  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "asem"
RECIPE = ROOT / "src" / "civicmeter" / "content" / "recipes" / "examples" / "asem.yaml"


def build(out: Path, recipe: Path = RECIPE):
    return CliRunner().invoke(
        app,
        [
            "index",
            "build",
            "--data",
            str(FIXTURES / "ASEM_iData.csv"),
            "--meta",
            str(FIXTURES / "ASEM_iMeta.csv"),
            "--recipe",
            str(recipe),
            "--out",
            str(out),
        ],
    )


def test_build_writes_stages_and_results(tmp_path):
    result = build(tmp_path)
    assert result.exit_code == 0, result.output
    for name in (
        "Raw",
        "Denominated",
        "Imputed",
        "Screened",
        "Treated",
        "Normalised",
        "Aggregated",
        "results",
        "treatment",
    ):
        assert (tmp_path / f"{name}.csv").exists()
    table = pd.read_csv(tmp_path / "results.csv").set_index("uCode")
    assert table.loc["CHE", "Rank"] == 1 and round(table.loc["CHE", "Index"], 2) == 68.38
    assert table.loc["IND", "Rank"] == 45 and round(table.loc["IND", "Index"], 2) == 39.79


def test_invalid_recipe_is_a_one_line_error_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("normalise: {method: softmax}\n")
    out = tmp_path / "out"
    result = build(out, bad)
    assert result.exit_code == 2
    assert "recipe.E003" in result.output and "normalise.method" in result.output
    assert not out.exists()


def test_an_output_path_that_cannot_be_written_is_an_error_line(tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("a file where the output folder should go", encoding="utf-8")
    result = build(blocker)
    assert result.exit_code == 2
    assert "error:" in result.output and str(blocker) in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
