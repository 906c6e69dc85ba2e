import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicmeter.analysis.multiplicity import adjust_rows
from civicmeter.analysis.results import NoteBook, Row

# Benjamini & Hochberg (1995), section 4: fifteen p-values from a clinical trial; at q = 0.05 the
# step-up procedure rejects the four smallest (Bonferroni would reject three).
BH_1995 = [
    0.0001,
    0.0004,
    0.0019,
    0.0095,
    0.0201,
    0.0278,
    0.0298,
    0.0344,
    0.0459,
    0.3240,
    0.4262,
    0.5719,
    0.6528,
    0.7590,
    1.0000,
]


def _rows(p_values):
    return [
        Row(
            outcome=f"o{i}",
            outcome_name=f"o{i}",
            estimate=0.0,
            se=1.0,
            ci_lower=-1.0,
            ci_upper=1.0,
            p_value=p,
            method="welch",
        )
        for i, p in enumerate(p_values)
    ]


def _hand_bh(p_values):
    p = np.asarray(p_values)
    m = len(p)
    order = np.argsort(p)
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(scaled[::-1])[::-1].clip(max=1)
    out = np.empty(m)
    out[order] = adjusted
    return out


def test_benjamini_hochberg_1995_example():
    rows = adjust_rows(_rows(BH_1995), correction="fdr_bh", alpha=0.05, notes=NoteBook())
    assert [row.reject for row in rows] == [True] * 4 + [False] * 11
    assert [row.p_adjusted for row in rows] == pytest.approx(list(_hand_bh(BH_1995)))
    bonferroni = adjust_rows(_rows(BH_1995), correction="bonferroni", alpha=0.05, notes=NoteBook())
    assert sum(row.reject for row in bonferroni) == 3


def test_untested_rows_are_skipped_and_not_counted():
    notes = NoteBook()
    rows = adjust_rows(_rows([0.01, np.nan, 0.04]), correction="fdr_bh", alpha=0.05, notes=notes)
    assert rows[1].reject is None and np.isnan(rows[1].p_adjusted)
    assert rows[2].p_adjusted == pytest.approx(0.04)
    assert "across the 2 outcomes" in notes.notes[0]


def test_no_correction_flags_nothing():
    notes = NoteBook()
    rows = adjust_rows(_rows([0.01, 0.5]), correction="none", alpha=0.05, notes=notes)
    assert all(row.reject is None for row in rows)
    assert notes.notes == ("No multiple-comparison correction: each p-value stands alone.",)


@given(st.lists(st.floats(0, 1), min_size=1, max_size=30))
def test_adjusted_p_values_are_at_least_raw_and_keep_their_order(p_values):
    rows = adjust_rows(_rows(p_values), correction="fdr_bh", alpha=0.05, notes=NoteBook())
    adjusted = np.array([row.p_adjusted for row in rows])
    raw = np.array(p_values)
    assert np.all(adjusted >= raw - 1e-12)
    order = np.argsort(raw, kind="stable")
    assert np.all(np.diff(adjusted[order]) >= -1e-12)
