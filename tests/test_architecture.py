"""docs/architecture.md is a map of the tree: every path it names in backticks must exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_path_in_the_architecture_doc_exists():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    paths = {p for p in re.findall(r"`([^`\s]+)`", text) if "/" in p and not p.startswith("/")}
    assert len(paths) > 20
    missing = sorted(p for p in paths if not (ROOT / p.rstrip("/")).exists())
    assert missing == []


def test_domain_packages_never_import_django():
    for package in ("instruments", "indexing", "scoring", "outcomes", "analysis", "demo"):
        for source in (ROOT / "src" / "civicmeter" / package).rglob("*.py"):
            text = source.read_text(encoding="utf-8")
            assert not re.search(r"^\s*(from|import) django", text, re.M), source
