"""One Provenance shape: code version with the commit, run time, sources and periods."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import civicmeter
from civicmeter.provenance import Provenance, code_version


def test_the_code_version_names_the_commit_of_the_checkout():
    code_version.cache_clear()
    head = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"],
        cwd=Path(civicmeter.__file__).parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert code_version() == f"{civicmeter.__version__}+{head}"


def test_a_deployment_names_its_commit_through_the_environment(monkeypatch):
    monkeypatch.setenv("CIVICMETER_COMMIT", "0123456789abcdef0123")
    code_version.cache_clear()
    try:
        assert code_version() == f"{civicmeter.__version__}+0123456789ab"
    finally:
        code_version.cache_clear()


def test_every_provenance_records_its_run_time_and_renders_plainly():
    provenance = Provenance(wave="2026 spring", sources=("eu-qol-2023.csv", "Gallup"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", provenance.run_at)
    shown = dict(provenance.items())
    assert shown["sources"] == "eu-qol-2023.csv; Gallup"
    assert shown["periods"] == "not recorded" and shown["instrument_version"] == "not recorded"
    assert list(shown) == [
        "wave",
        "instrument_version",
        "recipe_version",
        "sources",
        "periods",
        "code_version",
        "run_at",
    ]
