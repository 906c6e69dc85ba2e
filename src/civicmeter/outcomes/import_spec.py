"""The settings of one outcome-table import, declared once and checked once.

The same options (column mapping, single indicator, period, country, source, encoding, metadata
lines, sheet) are chosen on the command line, in the upload form, or stored with a run so a refused
import can run again. :class:`ImportSpec` holds them, validated on construction with the
:mod:`civicmeter.params` constraints, and is passed whole from the interface through the service
to :func:`~civicmeter.outcomes.read_outcome_table` (see ``MicrodataSpec`` for the same shape).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from civicmeter.params import NONE, InstanceOf, Interval, ParameterError, check_fields

FIELDS = {
    "mapping": [InstanceOf(dict, "a dict of role -> column"), NONE],
    "indicator": [InstanceOf(str, "an indicator code"), NONE],
    "value_column": [InstanceOf(str, "a column name"), NONE],
    "period": [InstanceOf((str, int), "a period such as 2023"), NONE],
    "country": [InstanceOf(str, "an ISO 3166 alpha-2 code such as 'GB'"), NONE],
    "source": [InstanceOf(str, "a source description"), NONE],
    "encoding": [InstanceOf(str, "an encoding name"), NONE],
    "skip_rows": [Interval(int, 0, None), NONE],
    "sheet": [InstanceOf((str, int), "a sheet name or index"), NONE],
}


@dataclass(frozen=True)
class ImportSpec:
    """How to read one outcome table; every field may stay None (found in the file or detected).

    ``mapping`` maps roles to columns; ``indicator`` + ``value_column`` pick one measure;
    ``period``, ``country`` and ``source`` fill a column the file lacks.
    """

    mapping: dict | None = None
    indicator: str | None = None
    value_column: str | None = None
    period: str | int | None = None
    country: str | None = None
    source: str | None = None
    encoding: str | None = None
    skip_rows: int | None = None
    sheet: str | int | None = None

    def __post_init__(self) -> None:
        check_fields(self, FIELDS)

    def to_mapping(self) -> dict:
        """JSON-ready options without the unset ones, as stored with an import run."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_mapping(cls, data: dict) -> ImportSpec:
        """Build from stored run options or a YAML block; unknown keys are refused by name."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ParameterError(
                f"ImportSpec has no option {unknown[0]!r}; options: {', '.join(sorted(known))}",
                parameter=unknown[0],
                function="ImportSpec",
            )
        return cls(**data)
