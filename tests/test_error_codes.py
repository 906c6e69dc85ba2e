"""Every error and check ID used in the code is listed in docs/reference/errors.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = re.compile(
    r"""["'`]((?:civicmeter|instrument|import|index|recipe|sensitivity|audit|outcomes|analysis|scoring|wellbeing|review|wave|narrative|goals|agenda)\.[EW]\d{3})["'`]"""
)


def test_every_error_code_in_the_source_is_documented():
    documented = set(re.findall(r"`([a-z]+\.[EW]\d{3})`", (ROOT / "docs/reference/errors.md").read_text()))
    used = set()
    for source in (ROOT / "src" / "civicmeter").rglob("*.py"):
        used |= set(CODE.findall(source.read_text(encoding="utf-8")))
    assert len(used) > 10
    assert sorted(used - documented) == []
