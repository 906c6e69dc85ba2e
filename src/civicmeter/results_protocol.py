"""One result shape: what every result object (scores, index results, microdata, analysis) offers.

Modelled on statsmodels, where every fitted model answers ``summary()`` and ``summary_frame()`` the
same way: a reader, a notebook or an export can take any Civicmeter result without knowing which
package made it. A result has

* ``provenance``: one :class:`~civicmeter.provenance.Provenance`;
* ``summary_frame()``: one row per estimate, indexed by what identifies it (city, unit, outcome,
  period), whose first columns are :data:`SUMMARY_COLUMNS`; more columns may follow (ranks, rank
  intervals). Where a method gives no standard error or interval for the estimate (a score computed
  from answers rather than estimated from a sample), those cells are NaN and a ``reason`` column
  says why;
* ``to_csv(path_or_buffer=None)``: the summary frame plus one ``provenance.<field>`` column per
  provenance field (:func:`write_csv`), so a CSV read back alone still says where it came from;
* ``__str__``: a plain-text summary.

Pure Python: any package may import it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from civicmeter.provenance import Provenance

if TYPE_CHECKING:
    import pandas as pd

#: The tidy columns every ``summary_frame()`` starts with, in this order.
SUMMARY_COLUMNS = ("estimate", "se", "ci_lower", "ci_upper", "n")
#: Prefix of the provenance columns in every result's CSV (``provenance.code_version``).
PROVENANCE_PREFIX = "provenance."


@runtime_checkable
class Result(Protocol):
    """What every result object offers (see the module docstring)."""

    provenance: Provenance

    def summary_frame(self) -> pd.DataFrame: ...

    def to_csv(self, path_or_buffer=None) -> str | None: ...


def with_provenance(frame: pd.DataFrame, provenance: Provenance) -> pd.DataFrame:
    """``frame`` with one ``provenance.<field>`` column per provenance field, same text in each row."""
    return frame.assign(**{PROVENANCE_PREFIX + key: text for key, text in provenance.items()})


def write_csv(frame: pd.DataFrame, provenance: Provenance, path_or_buffer=None) -> str | None:
    """The result CSV: ``frame`` (its index written as the leading columns) plus the provenance.

    Like pandas, returns the text when ``path_or_buffer`` is None and writes to it otherwise.
    """
    index = frame.index.names != [None]
    return with_provenance(frame, provenance).to_csv(path_or_buffer, index=index)


def text_summary(headline: str, provenance: Provenance, notes: tuple[str, ...] = ()) -> str:
    """The usual ``str()`` of a result: its headline, the provenance on one line, numbered notes."""
    lines = [headline, "; ".join(f"{key}: {text}" for key, text in provenance.items())]
    lines += [f"note {k}: {note}" for k, note in enumerate(notes, 1)]
    return "\n".join(lines)
