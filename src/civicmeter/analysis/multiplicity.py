"""Correcting for testing many outcomes at once.

A table compares one grouping across many outcomes, so it is one family of tests. By default the
p-values of the family are adjusted by Benjamini & Hochberg (1995, *JRSS B* 57: 289-300), which
controls the expected share of false discoveries among the flagged outcomes at ``alpha`` when the
tests are independent or positively dependent; outcomes such as satisfaction with the city and with
life are positively correlated, the case the method covers. Holm (family-wise error) and Bonferroni
are available for readers who want a stricter guarantee; ``"none"`` reports raw p-values only and
flags nothing. The computation is statsmodels' ``multipletests``.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np
from statsmodels.stats.multitest import multipletests

from civicmeter.analysis.results import NoteBook, ResultTable, Row

if TYPE_CHECKING:
    from civicmeter.analysis.groupings import Grouping
    from civicmeter.analysis.inputs import Prepared
    from civicmeter.analysis.settings import ComparisonSettings

CORRECTIONS = ("fdr_bh", "holm", "bonferroni", "none")

_DESCRIPTIONS = {
    "fdr_bh": "Benjamini-Hochberg false discovery rate",
    "holm": "Holm family-wise error rate",
    "bonferroni": "Bonferroni family-wise error rate",
}


def adjust_rows(rows: list[Row], *, correction: str, alpha: float, notes: NoteBook) -> list[Row]:
    """Rows with ``p_adjusted`` and ``reject`` set across the family (NaN p-values skipped)."""
    p_values = np.array([row.p_value for row in rows], dtype=float)
    tested = ~np.isnan(p_values)
    if correction == "none" or not tested.any():
        if correction == "none":
            notes.add("No multiple-comparison correction: each p-value stands alone.")
        return rows
    reject, adjusted, _, _ = multipletests(p_values[tested], alpha=alpha, method=correction)
    notes.add(
        f"Flag: {_DESCRIPTIONS[correction]} controlled at {alpha:g} across the {int(tested.sum())} "
        "outcomes of this table."
    )
    out, position = [], 0
    for row, was_tested in zip(rows, tested, strict=True):
        if was_tested:
            row = dataclasses.replace(
                row, p_adjusted=float(adjusted[position]), reject=bool(reject[position])
            )
            position += 1
        out.append(row)
    return out


def family_table(
    rows: list[Row],
    grouping: Grouping,
    prepared: Prepared,
    settings: ComparisonSettings,
    notes: NoteBook,
    **heading: str,
) -> ResultTable:
    """One grouping's rows as one table: corrected as a family (:func:`adjust_rows`), with the
    sample and labels of ``grouping``, the settings' alpha and correction and the inputs'
    provenance. ``heading`` holds ``name`` and ``title`` (and ``estimate_label`` where it differs)."""
    rows = adjust_rows(rows, correction=settings.correction, alpha=settings.alpha, notes=notes)
    return ResultTable(
        sample=grouping.sample.value,
        alpha=settings.alpha,
        correction=settings.correction,
        rows=tuple(rows),
        notes=notes.notes,
        provenance=prepared.provenance,
        high_label=grouping.high_label,
        low_label=grouping.low_label,
        **heading,
    )
