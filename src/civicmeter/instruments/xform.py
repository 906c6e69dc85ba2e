"""Export an instrument as an ODK XForm for ODK Collect, Enketo and KoboToolbox.

pyxform is the reference XLSForm converter those tools use themselves, so we hand it the same
workbook bytes; loading it with :func:`load_instrument` first guarantees we only deploy forms whose
answers we can import back.
"""

from __future__ import annotations

from pathlib import Path

from pyxform.xls2xform import convert

from civicmeter.instruments.loader import load_instrument, read_bytes
from civicmeter.params import InstanceOf, validate_params


@validate_params(
    {"instrument_path": [InstanceOf((str, Path, bytes), "a path or the workbook bytes")]}
)
def to_xform(instrument_path: str | Path | bytes) -> str:
    """The XForm XML of a workbook; raises :class:`InstrumentError` if it does not load."""
    data = read_bytes(instrument_path)
    load_instrument(data)
    return convert(xlsform=data, pretty_print=True, file_type=".xlsx").xform
