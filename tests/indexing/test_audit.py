"""Audit statistics against scipy/numpy and hand computations, on a hand-built tree."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from civicmeter.indexing.audit import audit_index
from civicmeter.indexing.audit_report import render_audit_html
from civicmeter.indexing.audit_stats import indicator_stats, stat_flags
from civicmeter.indexing.audit_structure import (
    cronbach_alpha,
    cronbach_by_aggregate,
    pca_by_aggregate,
    structure_correlations,
)
from civicmeter.indexing.hierarchy import Hierarchy
from civicmeter.params import ParameterError
from civicmeter.provenance import Provenance


def make_tree() -> Hierarchy:
    parents = {"a": "P", "b": "P", "c": "P", "d": "Q", "e": "Q", "P": "I", "Q": "I", "I": None}
    levels = {c: 1 for c in "abcde"} | {"P": 2, "Q": 2, "I": 3}
    return Hierarchy(
        codes=tuple(parents),
        levels=levels,
        parents=parents,
        weights={c: 1.0 for c in parents},
        directions={c: 1 for c in parents},
    )


@pytest.fixture
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(4)
    n = 40
    base = rng.normal(size=n)
    raw = pd.DataFrame(
        {
            "a": base + rng.normal(scale=0.3, size=n),
            "b": base * 2 + rng.normal(scale=0.05, size=n),
            "c": np.exp(rng.normal(size=n) * 1.5),
            "d": rng.normal(size=n),
            "e": np.where(np.arange(n) < 36, 1.0, rng.normal(size=n)),
        },
        index=[f"U{i}" for i in range(n)],
    )
    raw.iloc[[1, 5], 0] = np.nan
    scores = raw.copy()
    scores["P"] = scores[["a", "b", "c"]].mean(axis=1)
    scores["Q"] = scores[["d", "e"]].mean(axis=1)
    scores["I"] = scores[["P", "Q"]].mean(axis=1)
    return raw, scores


def test_stats_match_numpy_and_scipy(frames):
    raw, _ = frames
    table = indicator_stats(raw).set_index("iCode")
    a = raw["a"].dropna().to_numpy()
    row = table.loc["a"]
    assert row["n"] == 40 and row["n_available"] == 38 and row["availability"] == 38 / 40
    assert row["mean"] == pytest.approx(a.mean())
    assert row["median"] == pytest.approx(np.median(a))
    assert row["sd"] == pytest.approx(np.std(a, ddof=1))
    assert row["min"] == a.min() and row["max"] == a.max()
    assert row["skew"] == pytest.approx(sps.skew(a, bias=False))
    assert row["kurtosis"] == pytest.approx(sps.kurtosis(a, bias=False, fisher=True))
    assert table.loc["e", "share_mode"] == pytest.approx(36 / 40)


def test_stat_flags_follow_coinr_thresholds(frames):
    raw, _ = frames
    flags = stat_flags(indicator_stats(raw))
    # e is 1.0 in 36 of 40 rows: few unique values, near constant, and its 4 others are outliers
    assert set(flags.loc[flags["iCode"] == "e", "flag"]) == {
        "few_unique",
        "near_constant",
        "skew_kurtosis",
    }
    assert not flags["iCode"].isin(["a", "b", "d"]).any()
    sparse = pd.DataFrame({"x": [1.0, np.nan, np.nan, 4.0]})
    assert list(stat_flags(indicator_stats(sparse))["flag"]) == ["low_availability"]


def test_correlations_match_scipy_on_pairwise_complete_rows(frames):
    _, scores = frames
    table = structure_correlations(scores, make_tree())
    row = table[(table["iCode"] == "a") & (table["other"] == "b")].iloc[0]
    both = scores[["a", "b"]].dropna()
    assert row["relation"] == "sibling" and row["n"] == 38 and row["aggregate"] == "P"
    assert row["pearson"] == pytest.approx(sps.pearsonr(both["a"], both["b"])[0])
    assert row["spearman"] == pytest.approx(sps.spearmanr(both["a"], both["b"])[0])
    kinds = table[table["iCode"] == "a"].set_index("other")["relation"].to_dict()
    assert kinds == {"b": "sibling", "c": "sibling", "P": "parent", "I": "ancestor"}


def test_cronbach_alpha_matches_hand_computation():
    data = pd.DataFrame({"x": [1.0, 2, 3, 4, 5], "y": [2.0, 2, 4, 5, 4], "z": [1.0, 3, 3, 5, 6]})
    k = 3
    item_var = data.var(ddof=1).sum()
    total_var = data.sum(axis=1).var(ddof=1)
    assert cronbach_alpha(data) == pytest.approx(k / (k - 1) * (1 - item_var / total_var))


def test_cronbach_by_aggregate_lists_every_aggregate(frames):
    _, scores = frames
    table = cronbach_by_aggregate(scores, make_tree()).set_index("aggregate")
    assert list(table.index) == ["P", "Q", "I"]
    assert table.loc["P", "k"] == 3 and table.loc["P", "n"] == 38
    assert table.loc["P", "alpha"] == pytest.approx(cronbach_alpha(scores[["a", "b", "c"]]))


def test_pca_matches_svd_of_standardised_complete_cases(frames):
    _, scores = frames
    table = pca_by_aggregate(scores, make_tree())
    block = scores[["a", "b", "c"]].dropna()
    z = (block - block.mean()) / block.std(ddof=1)
    singular = np.linalg.svd(z.to_numpy(), compute_uv=False)
    share = singular[0] ** 2 / np.sum(singular**2)
    rows = table[table["aggregate"] == "P"]
    assert rows["variance_explained"].iloc[0] == pytest.approx(share)
    assert rows["n"].iloc[0] == 38
    assert np.sum(rows["loading"] ** 2) == pytest.approx(1.0)
    assert rows["loading"].sum() > 0


def test_audit_flags_collinear_and_negative_pairs(frames):
    raw, scores = frames
    scores = scores.assign(d=-scores["e"] + 0.01 * np.arange(40))
    given = Provenance(recipe_version="test v1")
    result = audit_index(raw, scores, make_tree(), provenance=given)
    collinear = result.flags[result.flags["flag"] == "collinear"]
    assert set(collinear["iCode"]) == {"a", "b", "d", "e"}  # |r| counts: d is almost -e
    assert {"d", "e"} <= set(
        result.flags.loc[result.flags["flag"] == "negative_with_sibling", "iCode"]
    )
    assert result.n == 40 and result.provenance is given
    assert "PCA uses complete cases only: P n=38" in result.notes[0]


def test_report_is_self_contained_and_escapes_text(frames, tmp_path):
    raw, scores = frames
    raw = raw.rename(columns={"a": "<b>a"})
    tree = make_tree()
    result = audit_index(raw.rename(columns={"<b>a": "a"}), scores, tree)
    result = type(result)(**{**result.__dict__, "notes": ("<script>x</script>",)})
    page = render_audit_html(result)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "http" not in page
    written = result.write(tmp_path / "out")
    assert sorted(p.name for p in written) == [
        "correlations.csv",
        "cronbach.csv",
        "flags.csv",
        "pca.csv",
        "report.html",
        "stats.csv",
    ]


def test_audit_rejects_bad_arguments(frames):
    raw, scores = frames
    with pytest.raises(ParameterError, match="'t_collinear' parameter of audit_index"):
        audit_index(raw, scores, make_tree(), t_collinear=2.0)
