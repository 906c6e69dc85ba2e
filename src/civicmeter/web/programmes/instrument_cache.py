"""Parsed instruments, loaded once per file hash.

Instrument rows are immutable once used, so the parsed form can be cached by sha256 for the life of
the process; every web request and service call gets the same object.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from civicmeter import instruments

SHIPPED_DIR = Path(instruments.__file__).resolve().parent.parent / "content" / "instruments"


_CACHE_SIZE = 32
_parsed: OrderedDict[str, instruments.Instrument] = OrderedDict()
_lock = threading.Lock()


def instrument_for(instrument_row) -> instruments.Instrument:
    """The parsed instrument behind an ``Instrument`` model row.

    Looked up by the row's sha256 alone: the workbook bytes are read (and parsed) only the first
    time a process meets that hash, so a caller that loads the row with ``defer("content")`` never
    transfers the workbook again.
    """
    key = instrument_row.sha256
    with _lock:
        parsed = _parsed.get(key)
        if parsed is not None:
            _parsed.move_to_end(key)
            return parsed
    parsed = instruments.load_instrument(bytes(instrument_row.content))
    with _lock:
        _parsed[key] = parsed
        while len(_parsed) > _CACHE_SIZE:
            _parsed.popitem(last=False)
    return parsed


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
