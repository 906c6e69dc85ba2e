"""Where a result comes from: one ``Provenance`` shape for every kind of result.

Scores, index results, microdata estimates and analysis tables all answer the same questions: which
wave and instrument, which recipe or method (and its version), which data sources and periods, which
code (version and git commit) and when. One frozen dataclass holds the answers so every result
renders and exports them the same way. Pure Python: any package may import it.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import subprocess  # noqa: S404 - only to read the git commit of a checkout
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import civicmeter

#: Set by a deployment built without its .git directory, so results still name their commit.
COMMIT_VARIABLE = "CIVICMETER_COMMIT"


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """``civicmeter.__version__`` plus the git commit (``0.1.0+1a2b3c4d5e6f``) when known.

    The commit comes from ``$CIVICMETER_COMMIT`` when set, else from the checkout the package runs
    from; an installed copy without either reports the version alone.
    """
    commit = os.environ.get(COMMIT_VARIABLE, "").strip()[:12]
    if not commit:
        try:
            commit = subprocess.run(  # noqa: S603
                ["git", "rev-parse", "--short=12", "HEAD"],  # noqa: S607
                cwd=Path(civicmeter.__file__).resolve().parent,
                capture_output=True,
                text=True,
                timeout=5,
                check=True,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            commit = ""
    return f"{civicmeter.__version__}+{commit}" if commit else civicmeter.__version__


def now() -> str:
    """The current time in UTC, to the second, ISO 8601 (``2026-12-01T16:40:00Z``)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Provenance:
    """Where the numbers come from; the caller fills what it knows, the rest says "not recorded".

    ``recipe_version`` names the recipe or method and its version; ``sources`` the data files or
    publications; ``periods`` the data periods used (e.g. ``"satis_city 2023"``).
    """

    wave: str | None = None
    instrument_version: str | None = None
    recipe_version: str | None = None
    sources: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    code_version: str = field(default_factory=code_version)
    run_at: str = field(default_factory=now)

    def items(self) -> list[tuple[str, str]]:
        """(field, text) pairs for tables and pages; empty fields read "not recorded"."""
        return [(f.name, _text(getattr(self, f.name))) for f in dataclasses.fields(self)]


def _text(value: object) -> str:
    if isinstance(value, tuple):
        return "; ".join(value) if value else "not recorded"
    return "not recorded" if value is None else str(value)
