"""Result objects: every number with its interval, n, method, alpha, provenance and numbered notes.

Modelled on statsmodels' results (``RegressionResults.summary``, ``summary_frame``): a table of
estimates that renders as text, HTML and CSV, and ``to_frame()`` with tidy columns ``estimate``,
``se``, ``ci_lower``, ``ci_upper``, ``n`` and friends. Interval headers are built from ``alpha``, so
a 90% interval is never labelled 95%.
"""

from __future__ import annotations

import dataclasses
import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from civicmeter.analysis.groupings import Sample
from civicmeter.provenance import Provenance
from civicmeter.results_protocol import SUMMARY_COLUMNS


class NoteBook:
    """Collects notes once each and hands out their numbers, so rows can cite them compactly."""

    def __init__(self) -> None:
        self._notes: list[str] = []

    def add(self, text: str) -> int:
        if text not in self._notes:
            self._notes.append(text)
        return self._notes.index(text) + 1

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(self._notes)


@dataclass(frozen=True)
class Row:
    """One estimate for one outcome; subclasses add their method-specific fields."""

    outcome: str
    outcome_name: str
    estimate: float
    se: float
    ci_lower: float
    ci_upper: float
    p_value: float
    method: str
    p_adjusted: float = np.nan
    reject: bool | None = None
    notes: tuple[int, ...] = ()
    #: Why no estimate was made (e.g. "not estimated: all values equal"), shown in its place.
    reason: str = ""
    #: "percentage points" for a share indicator, "index points" for a min-max rescaled one.
    unit: str = "index points"


@dataclass(frozen=True)
class ComparisonRow(Row):
    """High minus low group mean, in index points."""

    mean_high: float = np.nan
    mean_low: float = np.nan
    n_high: int = 0
    n_low: int = 0
    df: float = np.nan
    #: t intervals of each group's mean (NaN with fewer than two cities).
    high_ci_lower: float = np.nan
    high_ci_upper: float = np.nan
    low_ci_lower: float = np.nan
    low_ci_upper: float = np.nan

    @property
    def n(self) -> int:
        return self.n_high + self.n_low


@dataclass(frozen=True)
class AdjustedRow(Row):
    """The capacity coefficient of an OLS with controls; ``dropped`` lists cities left out."""

    n: int = 0
    n_dropped: int = 0
    dropped: tuple[str, ...] = ()
    controls: tuple[str, ...] = ()
    fixed_effects: str | None = None


@dataclass(frozen=True)
class ResultTable:
    """A family of estimates (one per outcome) sharing a grouping, method settings and notes.

    ``name`` is stable and file-name friendly (``comparison_psi_class``); ``title`` is for readers.
    """

    name: str
    title: str
    sample: str
    alpha: float
    correction: str
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)
    high_label: str = "high"
    low_label: str = "low"
    estimate_label: str = "difference"

    @property
    def interval_label(self) -> str:
        return interval_label(self.alpha)

    @property
    def sample_label(self) -> str:
        return Sample(self.sample).label

    def to_frame(self) -> pd.DataFrame:
        """Tidy rows: outcome, estimate, se, ci_lower, ci_upper, n, ..., p_adjusted, reject."""
        records = []
        for row in self.rows:
            record = dataclasses.asdict(row)
            record["n"] = row.n
            record["notes"] = " ".join(str(n) for n in row.notes)
            if isinstance(row, AdjustedRow):
                record["dropped"] = "; ".join(row.dropped)
                record["controls"] = "; ".join(row.controls)
            records.append(record)
        frame = pd.DataFrame.from_records(records)
        if frame.empty:
            return frame
        leading = ["outcome", "outcome_name", "estimate", "se", "ci_lower", "ci_upper", "n"]
        leading += [c for c in ("n_high", "n_low") if c in frame.columns]
        frame = frame[leading + [c for c in frame.columns if c not in leading]]
        frame.insert(0, "table", self.name)
        frame.insert(1, "sample", self.sample)
        frame["alpha"] = self.alpha
        frame["correction"] = self.correction
        for key, value in self.provenance.items():
            frame[f"provenance.{key}"] = value
        return frame

    def summary_frame(self) -> pd.DataFrame:
        """The shared result shape: one row per outcome (the index), columns ``estimate``, ``se``,
        ``ci_lower``, ``ci_upper`` and ``n``; NaN where no estimate was made."""
        frame = pd.DataFrame(
            [(r.outcome, r.estimate, r.se, r.ci_lower, r.ci_upper, r.n) for r in self.rows],
            columns=["outcome", *SUMMARY_COLUMNS],
        )
        return frame.set_index("outcome")

    def to_csv(self, path_or_buffer=None) -> str | None:
        """Every column of :meth:`to_frame`, provenance included; the text when no path is given."""
        return self.to_frame().to_csv(path_or_buffer, index=False)

    def display_frame(self) -> pd.DataFrame:
        """What a reader needs, formatted as text, with interval headers built from ``alpha``."""
        frame = self.to_frame()
        if frame.empty:
            return frame
        lower, upper = interval_headers(self.alpha)
        out = pd.DataFrame({"outcome": frame["outcome_name"]})
        if "mean_high" in frame.columns:
            for group, label in (("high", self.high_label), ("low", self.low_label)):
                out[f"{label}: mean ({self.interval_label})"] = [
                    group_mean(*values)
                    for values in zip(
                        frame[f"mean_{group}"],
                        frame[f"{group}_ci_lower"],
                        frame[f"{group}_ci_upper"],
                        frame[f"n_{group}"],
                        strict=True,
                    )
                ]
                out[f"n ({label})"] = frame[f"n_{group}"]
        else:
            out["n used"] = frame["n"]
            out["n dropped"] = frame["n_dropped"]
        signed = "{:+.2f}" if self.estimate_label == "per index point" else "{:+.1f}"
        for column, header in (
            ("estimate", self.estimate_label),
            ("ci_lower", lower),
            ("ci_upper", upper),
        ):
            out[header] = frame[column].map(lambda v: "–" if np.isnan(v) else signed.format(v))
        reasons = frame["reason"].astype(str)
        out[self.estimate_label] = out[self.estimate_label].where(reasons == "", reasons)
        out["p"] = frame["p_value"].map(_p_value)
        out[f"p ({self.correction})"] = frame["p_adjusted"].map(_p_value)
        out["flag"] = frame["reject"].map(_flag)
        out["method"] = frame["method"]
        out["notes"] = frame["notes"]
        return out

    def summary(self) -> str:
        """Plain-text rendering: title, interval, provenance, the table and the numbered notes."""
        lines = [self.title, "=" * len(self.title)]
        lines.append(f"sample: {self.sample}; {self.interval_label}; correction: {self.correction}")
        lines.append("; ".join(f"{k}: {v}" for k, v in self.provenance.items()))
        lines.append(self.display_frame().to_string(index=False))
        lines += [f"[{i}] {text}" for i, text in enumerate(self.notes, start=1)]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_html(self) -> str:
        """An HTML table with caption, escaped text and the numbered notes beneath it."""
        return frame_to_html(self.display_frame(), caption=self.title) + notes_to_html(self.notes)


def group_mean(mean: float, lower: float, upper: float, n: int) -> str:
    """A group mean with its interval ("75.6 (70.1 to 81.1)"), or why it has none."""
    if np.isnan(mean):
        return "–"
    if n < 2:
        return f"{mean:.1f} (one city: no interval)"
    if np.isnan(lower) or lower == upper:
        return f"{mean:.1f} (all equal: no interval)"
    return f"{mean:.1f} ({lower:.1f} to {upper:.1f})"


def interval_label(alpha: float) -> str:
    """ "95% CI" for alpha 0.05; keeps decimals only when needed (e.g. "97.5% CI")."""
    level = 100 * (1 - alpha)
    return f"{level:g}% CI"


def interval_headers(alpha: float) -> tuple[str, str]:
    label = interval_label(alpha)
    return f"{label} lower", f"{label} upper"


def frame_to_html(frame: pd.DataFrame, *, caption: str) -> str:
    """A small, escaped HTML table (pandas' own to_html does not escape captions)."""
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    body = []
    for record in frame.itertuples(index=False):
        cells = "".join(f"<td>{html.escape(_cell(v))}</td>" for v in record)
        body.append(f"<tr>{cells}</tr>")
    return (
        f"<table><caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def notes_to_html(notes: tuple[str, ...]) -> str:
    if not notes:
        return ""
    items = "".join(f"<li>{html.escape(text)}</li>" for text in notes)
    return f'<ol class="notes">{items}</ol>'


def _cell(value: object) -> str:
    if isinstance(value, float | np.floating):
        return _number(float(value))
    return "" if value is None else str(value)


def _number(value: float) -> str:
    return "–" if np.isnan(value) else f"{value:.4g}"


def _points(value: float) -> str:
    return "–" if np.isnan(value) else f"{value:.1f}"


def _p_value(value: float) -> str:
    if np.isnan(value):
        return "–"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _flag(reject: object) -> str:
    if reject is None or (isinstance(reject, float) and np.isnan(reject)):
        return "not tested"
    return "significant" if reject else "not significant"


