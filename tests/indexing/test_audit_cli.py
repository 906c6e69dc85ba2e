"""Smoke tests of ``civicmeter index audit`` and ``index sensitivity`` on the ASEM fixtures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from civicmeter.cli import app

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "asem"
RECIPE = ROOT / "src" / "civicmeter" / "content" / "recipes" / "examples" / "asem.yaml"
INPUTS = [
    "--data", str(FIXTURES / "ASEM_iData.csv"),
    "--meta", str(FIXTURES / "ASEM_iMeta.csv"),
    "--recipe", str(RECIPE),
]  # fmt: skip
SPEC = """seed: 1
inputs:
  winsorise_max: {values: [1, 3, 5]}
  weights: {perturb: 0.25, levels: [2, 3]}
  aggregate: {values: [{method: arithmetic}, {method: geometric, shift: 1}]}
"""


def test_audit_writes_tables_and_report(tmp_path):
    result = CliRunner().invoke(app, ["index", "audit", *INPUTS, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "audited 49 indicators" in result.output
    for name in ("stats", "correlations", "cronbach", "pca", "flags"):
        assert len(pd.read_csv(tmp_path / f"{name}.csv")) > 0
    assert "<h1>Index audit</h1>" in (tmp_path / "report.html").read_text(encoding="utf-8")
    cronbach = pd.read_csv(tmp_path / "cronbach.csv")
    assert list(cronbach["aggregate"])[:2] == ["Physical", "ConEcFin"]


def test_sensitivity_writes_intervals_indices_and_runs(tmp_path):
    spec = tmp_path / "sa.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    args = ["index", "sensitivity", *INPUTS, "--spec", str(spec), "--runs", "50"]
    result = CliRunner().invoke(app, [*args, "--n-boot", "20", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "50 runs of Index over winsorise_max, weights, aggregate" in result.output
    intervals = pd.read_csv(tmp_path / "out" / "rank_intervals.csv")
    assert len(intervals) == 51 and {"p05", "p95", "median"} <= set(intervals.columns)
    assert len(pd.read_csv(tmp_path / "out" / "runs.csv")) == 50
    assert len(pd.read_csv(tmp_path / "out" / "sensitivity.csv")) == 3 * 52


def test_invalid_spec_is_one_line_error(tmp_path):
    spec = tmp_path / "sa.yaml"
    spec.write_text("inputs:\n  screen: {values: [0.5]}\n", encoding="utf-8")
    args = ["index", "sensitivity", *INPUTS, "--spec", str(spec), "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "[sensitivity.E002]" in result.output and "inputs.screen" in result.output
    assert not (tmp_path / "o").exists()
