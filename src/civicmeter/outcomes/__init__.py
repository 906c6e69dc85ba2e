"""Well-being outcomes: the indicator catalogue, importers for city tables and survey microdata,
city-name matching and rescaling to 0-100 index points. Pure Python (no Django): the web services
store what these functions return.

Names are imported on first use (PEP 562), so a command that needs one function (say
``summarise_microdata``) does not load every reader: the Excel reader, the matcher and the catalogue
each cost start-up time (see ``benchmarks/bench_outcomes.py``).
"""

from __future__ import annotations

import importlib

#: public name -> the module of this package that defines it
_WHERE = {
    "Catalogue": "catalogue",
    "Dimension": "catalogue",
    "Indicator": "catalogue",
    "RescaleRule": "catalogue",
    "load_catalogue": "catalogue",
    "OutcomesError": "errors",
    "Problem": "errors",
    "RawTable": "files",
    "detect_encoding": "files",
    "read_table": "files",
    "wide_years_to_long": "files",
    "ImportSpec": "import_spec",
    "MatchReport": "matching",
    "check_confirmed": "matching",
    "match_cities": "matching",
    "read_confirmed": "matching",
    "write_confirmed": "matching",
    "MicrodataResult": "microdata",
    "summarise_microdata": "microdata",
    "MicrodataSpec": "microdata_spec",
    "TIDY_COLUMNS": "outcome_table",
    "ImportReport": "outcome_table",
    "OutcomeTable": "outcome_table",
    "rescale_to_index": "rescale",
    "read_outcome_table": "tables",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
