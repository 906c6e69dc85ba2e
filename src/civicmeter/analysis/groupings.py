"""Which cities are compared with which: the two capacity samples and the groupings inside each.

The PSI capacity index (0-10, from the innovation-capacity survey) and the data-use index (0-38,
from the data-use assessment) were measured on different city samples, and the OECD (2021,
*Innovation and Data Use in Cities*) warns that they must never be compared with each other.
Civicmeter enforces that here: every grouping belongs to exactly one :class:`Sample`, a comparison
only ever uses the cities of that sample, and a feature value recorded for a city outside its
sample is refused (``analysis.E009``) rather than silently pooled.

Groupings are registered as constants (not free strings) so a misspelt name fails at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from civicmeter.analysis.errors import (
    BAD_CLASS,
    BAD_FEATURE_VALUE,
    MIXED_SAMPLES,
    UNKNOWN_NAME,
    Problem,
    raise_if,
    shown,
)


class Sample(StrEnum):
    """A capacity sample; its class column decides membership."""

    PSI = "psi"
    DATA_USE = "data_use"

    @property
    def class_column(self) -> str:
        return f"{self.value}_class"

    @property
    def index_column(self) -> str:
        return f"{self.value}_index"

    @property
    def label(self) -> str:
        return "PSI innovation capacity" if self is Sample.PSI else "data use"


class Kind(StrEnum):
    """How a grouping column splits cities: high/low class, yes/no feature or practice levels."""

    CLASS = "class"
    BINARY = "binary"
    LEVELS = "levels"


PRACTICE_PREFIX = "practice_"


@dataclass(frozen=True)
class Grouping:
    """A named split of one sample's cities into a "high" group and a "low" group."""

    key: str
    sample: Sample
    column: str
    kind: Kind
    high_label: str
    low_label: str

    @property
    def title(self) -> str:
        return f"{self.high_label} vs {self.low_label}"


PSI_CLASS = Grouping(
    "psi_class", Sample.PSI, "psi_class", Kind.CLASS, "high PSI capacity", "low PSI capacity"
)
DATA_USE_CLASS = Grouping(
    "data_use_class",
    Sample.DATA_USE,
    "data_use_class",
    Kind.CLASS,
    "high data use",
    "low data use",
)
DEDICATED_STAFF = Grouping(
    "dedicated_staff",
    Sample.PSI,
    "dedicated_staff",
    Kind.BINARY,
    "dedicated innovation staff",
    "no dedicated innovation staff",
)
FORMAL_STRATEGY = Grouping(
    "formal_strategy",
    Sample.PSI,
    "formal_strategy",
    Kind.BINARY,
    "a formal innovation strategy",
    "no formal innovation strategy",
)
HOLISTIC_APPROACH = Grouping(
    "holistic_approach",
    Sample.PSI,
    "holistic_approach",
    Kind.BINARY,
    "a holistic approach",
    "a policy-sector approach",
)
CLASS_GROUPINGS = (PSI_CLASS, DATA_USE_CLASS)
FEATURE_GROUPINGS = (DEDICATED_STAFF, FORMAL_STRATEGY, HOLISTIC_APPROACH)

_TRUE = {"1", "true", "yes", "y", "1.0"}
_FALSE = {"0", "false", "no", "n", "0.0"}


def practice_grouping(column: str) -> Grouping:
    """The grouping for a data-use practice column ``practice_<name>`` (highest vs lowest level)."""
    name = column.removeprefix(PRACTICE_PREFIX).replace("_", " ")
    return Grouping(
        column,
        Sample.DATA_USE,
        column,
        Kind.LEVELS,
        f"the highest level of {name} practice",
        f"the lowest level of {name} practice",
    )


def grouping_by_key(key: str, capacity: pd.DataFrame) -> Grouping:
    """Look a grouping up by key; each ``practice_*`` column present is a grouping too."""
    for grouping in CLASS_GROUPINGS + FEATURE_GROUPINGS:
        if grouping.key == key:
            return grouping
    if key.startswith(PRACTICE_PREFIX) and key in capacity.columns:
        return practice_grouping(key)
    known = [g.key for g in CLASS_GROUPINGS + FEATURE_GROUPINGS]
    known += [c for c in capacity.columns if c.startswith(PRACTICE_PREFIX)]
    raise_if(
        [
            Problem(
                UNKNOWN_NAME,
                "grouping",
                f"no grouping called {key!r}",
                "use one of " + ", ".join(known),
            )
        ]
    )
    raise AssertionError("unreachable")  # pragma: no cover


def available_groupings(capacity: pd.DataFrame) -> list[Grouping]:
    """Every grouping the capacity table supports, classes first, then features, then practices."""
    found = [g for g in CLASS_GROUPINGS + FEATURE_GROUPINGS if g.column in capacity.columns]
    found += [practice_grouping(c) for c in capacity.columns if c.startswith(PRACTICE_PREFIX)]
    return found


def sample_members(capacity: pd.DataFrame, sample: Sample) -> pd.Series:
    """Boolean mask of the cities that belong to ``sample`` (their class is recorded)."""
    if sample.class_column not in capacity.columns:
        return pd.Series(False, index=capacity.index)
    return capacity[sample.class_column].notna()


def split(capacity: pd.DataFrame, grouping: Grouping) -> tuple[list[str], list[str]]:
    """City slugs in the high and in the low group of ``grouping``, from the sample's cities only.

    ``capacity`` is indexed by city slug (see :func:`civicmeter.analysis.inputs.check_capacity`).
    Cities with no value for the grouping column are left out of both groups.
    """
    if grouping.column not in capacity.columns:
        raise_if(
            [
                Problem(
                    UNKNOWN_NAME,
                    f"capacity table, column {grouping.column!r}",
                    f"the grouping {grouping.key!r} needs this column and it is missing",
                    "add the column or leave the grouping out",
                )
            ]
        )
    members = sample_members(capacity, grouping.sample)
    values = capacity[grouping.column]
    outside = values.notna() & ~members
    raise_if(
        [
            Problem(
                MIXED_SAMPLES,
                f"capacity table, city {city!r}, column {grouping.column!r}",
                f"{grouping.key} belongs to the {grouping.sample.label} sample but this city "
                f"has no {grouping.sample.class_column}",
                "the two capacity samples are never pooled: give the city its "
                f"{grouping.sample.class_column} or leave {grouping.column} empty",
            )
            for city in values.index[outside]
        ]
    )
    values = values[members].dropna()
    if grouping.kind is Kind.LEVELS:
        high_mask, low_mask = _levels(values, grouping)
    else:
        high_mask, low_mask = _two_values(values, grouping)
    return list(values.index[high_mask]), list(values.index[low_mask])


def _two_values(values: pd.Series, grouping: Grouping) -> tuple[pd.Series, pd.Series]:
    text = values.map(lambda v: str(v).strip().lower())
    if grouping.kind is Kind.CLASS:
        high, low = {"high"}, {"low"}
        allowed, code = "'high' or 'low'", BAD_CLASS
    else:
        high, low = _TRUE, _FALSE
        allowed, code = "yes/no, true/false or 1/0", BAD_FEATURE_VALUE
    bad = ~text.isin(high | low)
    raise_if(
        [
            Problem(
                code,
                f"capacity table, city {city!r}, column {grouping.column!r}",
                f"{shown(values[city])} is not {allowed}",
                f"write {allowed}, or leave the cell empty if unknown",
            )
            for city in values.index[bad]
        ]
    )
    return text.isin(high), text.isin(low)


def _levels(values: pd.Series, grouping: Grouping) -> tuple[pd.Series, pd.Series]:
    numeric = pd.to_numeric(values, errors="coerce")
    raise_if(
        [
            Problem(
                BAD_FEATURE_VALUE,
                f"capacity table, city {city!r}, column {grouping.column!r}",
                f"{shown(values[city])} is not a number (a practice level or share of criteria met)",
                "write the practice level as a number, or leave the cell empty",
            )
            for city in values.index[numeric.isna()]
        ]
    )
    highest, lowest = numeric.max(), numeric.min()
    # With a single level observed there is no contrast: everyone is "highest", nobody "lowest".
    return numeric == highest, (numeric == lowest) & (lowest != highest)
