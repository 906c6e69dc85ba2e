"""Parsed instruments, loaded once per file hash.

Instrument rows are immutable once used, so the parsed form can be cached by sha256 for the life of
the process; every web request and service call gets the same object.
"""

from __future__ import annotations

import functools
from pathlib import Path

from civicmeter import instruments

SHIPPED_DIR = Path(instruments.__file__).resolve().parent.parent / "content" / "instruments"


@functools.lru_cache(maxsize=32)
def _parse(sha256: str, content: bytes) -> instruments.Instrument:
    return instruments.load_instrument(content)


def instrument_for(instrument_row) -> instruments.Instrument:
    """The parsed instrument behind an ``Instrument`` model row."""
    return _parse(instrument_row.sha256, bytes(instrument_row.content))


def shipped_instrument_files() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("*.xlsx"))


def shipped_instrument_problems() -> list[tuple[str, str]]:
    problems = []
    for path in shipped_instrument_files():
        try:
            instruments.load_instrument(path.read_bytes())
        except instruments.InstrumentError as exc:
            problems.append((path.name, str(exc)))
    return problems
