from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from civicmeter.cli import app

runner = CliRunner()


def test_microdata_prints_estimates_and_cleaning_report_and_writes_csv(fixtures, tmp_path):
    out = tmp_path / "kc.csv"
    result = runner.invoke(
        app,
        [
            "outcomes",
            "microdata",
            str(fixtures / "kcmo-resident-survey/FY2022_RS_slice.csv"),
            "--city",
            "Kansas City",
            "--period-column",
            "quarte",
            "--item",
            "q1_01",
            "--scale",
            "1-5",
            "--missing-codes",
            "9",
            "--statistic",
            "top2",
            "--indicator",
            "kc_place_to_live",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "95% CI lower" in result.output and "Cleaning report" in result.output
    assert "Kansas City 1QSEP2021" in result.output
    written = pd.read_csv(out)
    assert written.loc[0, "n"] == 1026 and written.loc[0, "estimate"] == 753 / 1026
    assert list(written.columns) == [
        "city_name",
        "period",
        "indicator",
        "estimate",
        "se",
        "ci_lower",
        "ci_upper",
        "n",
        "n_eff",
        "method",
        "alpha",
    ]


def test_microdata_share_at_least_by_district(fixtures):
    result = runner.invoke(
        app,
        [
            "outcomes",
            "microdata",
            str(fixtures / "kcmo-resident-survey/FY2022_RS_slice.csv"),
            "--city-column",
            "counci",
            "--item",
            "q3_15",
            "--scale",
            "1-5",
            "--statistic",
            "share-at-least:4",
            "--dont-know-in-denominator",
            "--indicator",
            "kc_public_transportation",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "counted in the denominator as not satisfied" in result.output


def check(path, *flags: str):
    """``civicmeter outcomes check PATH FLAGS...``"""
    return runner.invoke(app, ["outcomes", "check", str(path), *flags])


def test_check_prints_the_import_report(fixtures):
    path = fixtures / "uk-ons-subnational-indicators/Weekly_pay_slice_cp1252.csv"
    result = check(path, "--indicator", "ons_weekly_pay", "--country", "GB")
    assert result.exit_code == 0, result.output
    assert "encoding cp1252" in result.output and "5 metadata line(s) skipped" in result.output
    assert "dropped (missing value marker): 2" in result.output


def test_check_with_a_mapping_of_columns(fixtures):
    path = fixtures / "eu-qol-2023/qol2023_city_indicators_long_slice.csv"
    result = check(path, "--map", "city=name", "--period", "2023")
    assert result.exit_code == 0, result.output
    assert "Rows read: 72; values kept: 72" in result.output


def test_user_errors_exit_2_with_the_coded_message(fixtures):
    result = check(fixtures / "us-city-health-dashboard-subset/features_final_slice.csv")
    assert result.exit_code == 2
    assert "outcomes.E034" in result.output and "Pass --period" in result.output
    bad = runner.invoke(
        app,
        [
            "outcomes",
            "microdata",
            "x.csv",
            "--item",
            "q",
            "--scale",
            "five",
            "--indicator",
            "x",
            "--city",
            "A",
        ],
    )
    assert bad.exit_code == 2 and "expected MIN-MAX" in bad.output


def test_catalogue_lists_codes():
    result = runner.invoke(app, ["outcomes", "catalogue"])
    assert result.exit_code == 0
    assert "kc_place_to_live" in result.output and "ons_anxiety" in result.output


def test_microdata_options_from_a_spec_file_with_flags_winning(tmp_path):
    data = tmp_path / "happy.csv"
    data.write_text("happy\n9\n9\n7.5\n99\n6\n", encoding="utf-8")
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "item: happy\nscale: [0, 10]\nindicator: x\ncity: A\nhalf_points: drop\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        app, ["outcomes", "microdata", str(data), "--spec", str(spec), "--half-points", "keep"]
    )
    assert result.exit_code == 0, result.output
    assert "x: mean of happy" in result.output
    assert " 7.875 " in result.output or "7.875" in result.output  # (9 + 9 + 7.5 + 6) / 4
    refused = CliRunner().invoke(
        app, ["outcomes", "microdata", str(data), "--spec", str(spec), "--missing-codes", "9,99"]
    )
    assert refused.exit_code == 2 and "lie inside the answer scale 0-10" in refused.output


def test_the_progress_bar_only_on_a_terminal(monkeypatch):
    """A log or a pipe gets no bar (and the run no rich import or DuckDB progress tracking)."""
    import io

    from civicmeter.cli import outcomes as command

    monkeypatch.setattr(command.sys, "stderr", io.StringIO())
    with command._progress_bar("Reading x.csv") as progress:
        assert progress is None

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(command.sys, "stderr", Terminal())
    with command._progress_bar("Reading x.csv") as progress:
        progress(50.0)  # before BAR_AFTER: nothing drawn yet
    assert command.sys.stderr.getvalue() == ""
