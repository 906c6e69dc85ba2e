import pandas as pd
from typer.testing import CliRunner

from civicmeter.cli import app


def _write(tmp_path, make_inputs):
    data = make_inputs(n=60, indicators=("satis_city", "walkability"))
    paths = {}
    for name in ("capacity", "outcomes", "controls"):
        paths[name] = tmp_path / f"{name}.csv"
        data[name].to_csv(paths[name], index=False)
    return paths


def _analyze(paths, out, *flags: str):
    """``civicmeter analyze-files`` on the written capacity and outcome tables, then ``flags``."""
    inputs = ["--capacity", str(paths["capacity"]), "--outcomes", str(paths["outcomes"])]
    return CliRunner().invoke(app, ["analyze-files", *inputs, *flags, "--out", str(out)])


def test_analyze_files_writes_tables_and_report(tmp_path, make_inputs):
    paths = _write(tmp_path, make_inputs)
    out = tmp_path / "out"
    controls = ["--controls", str(paths["controls"])]
    flags = "--groupings psi_class,dedicated_staff --resamples 199 --wave w-2026".split()
    result = _analyze(paths, out, *controls, *flags)
    assert result.exit_code == 0, result.output
    written = {p.name for p in out.iterdir()}
    assert {"comparison_psi_class.csv", "adjusted_psi_class.csv", "report.html"} <= written
    table = pd.read_csv(out / "comparison_psi_class.csv")
    assert list(table["outcome"]) == ["satis_city", "walkability"]
    assert table.loc[0, "outcome_name"] == "Satisfied with the city as a place to live"
    settings = pd.read_csv(out / "settings.csv").set_index("key")["value"]
    assert settings["provenance.wave"] == "w-2026"
    assert "comparison_psi_class: 2 outcomes" in result.output


def test_analyze_files_reports_data_errors_without_traceback(tmp_path, make_inputs):
    paths = _write(tmp_path, make_inputs)
    out = tmp_path / "out"
    result = _analyze(paths, out, "--outcomes-filter", "satis_city,unknown_code")
    assert result.exit_code == 2
    assert "analysis.E006" in result.output and "Traceback" not in result.output
    assert not out.exists()
