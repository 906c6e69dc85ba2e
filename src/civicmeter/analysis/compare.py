"""Group comparison: mean outcome in the high group minus the low group, with an honest interval.

Two interval methods, chosen per outcome and recorded on every row:

* **Welch** (Welch 1947, *Biometrika* 34): the t interval for a difference in means without assuming
  equal variances, df by the Welch-Satterthwaite formula. Computed by ``scipy.stats.ttest_ind(...,
  equal_var=False)``; its coverage is close to nominal once each group has a couple of dozen cities.
* **Bootstrap** (Efron & Tibshirani 1993, *An Introduction to the Bootstrap*, ch. 13-14): resample
  cities within each group, ``scipy.stats.bootstrap`` with the BCa interval by default (second-order
  accurate; percentile and basic are available). Its p-value comes from a permutation test of the
  same difference (``scipy.stats.permutation_test``, exact when the splits are few), whose null is
  "the two groups share one distribution". Both are seeded, so a report can be reproduced.

``method="auto"`` (the default) uses the bootstrap when either group has fewer than ``small_group``
cities (20 by default) and Welch otherwise; either can be forced. With fewer than
``min_group_size`` cities in a group no difference is estimated at all.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from civicmeter.analysis.degenerate import constant_outcome, constant_within
from civicmeter.analysis.groupings import Grouping, grouping_by_key, split
from civicmeter.analysis.inputs import CAPACITY_COLUMNS, OUTCOME_COLUMNS, Prepared, prepare
from civicmeter.analysis.multiplicity import family_table
from civicmeter.analysis.results import ComparisonRow, NoteBook, ResultTable
from civicmeter.analysis.settings import (
    CONSTRAINTS,
    DEFAULT_SEED,
    DEFAULT_SETTINGS,
    ComparisonSettings,
)
from civicmeter.params import NONE, Columns, InstanceOf, validate_params
from civicmeter.provenance import Provenance


@validate_params(
    {
        "high": [InstanceOf((np.ndarray, list, tuple, pd.Series), "an array of numbers")],
        "low": [InstanceOf((np.ndarray, list, tuple, pd.Series), "an array of numbers")],
        "alpha": CONSTRAINTS["alpha"],
    }
)
def welch_difference(
    high: np.ndarray | list[float], low: np.ndarray | list[float], *, alpha: float = 0.05
) -> dict[str, float]:
    """Difference in means (high - low), Welch's t interval, se, df and two-sided p-value."""
    high, low = np.asarray(high, dtype=float), np.asarray(low, dtype=float)
    result = stats.ttest_ind(high, low, equal_var=False)
    interval = result.confidence_interval(confidence_level=1 - alpha)
    estimate = float(high.mean() - low.mean())
    return {
        "estimate": estimate,
        "se": float(np.sqrt(high.var(ddof=1) / high.size + low.var(ddof=1) / low.size)),
        "ci_lower": float(interval.low),
        "ci_upper": float(interval.high),
        "p_value": float(result.pvalue),
        "df": float(result.df),
    }


@validate_params(
    {
        "high": [InstanceOf((np.ndarray, list, tuple, pd.Series), "an array of numbers")],
        "low": [InstanceOf((np.ndarray, list, tuple, pd.Series), "an array of numbers")],
        "alpha": CONSTRAINTS["alpha"],
        "bootstrap_method": CONSTRAINTS["bootstrap_method"],
        "n_resamples": CONSTRAINTS["n_resamples"],
        "seed": CONSTRAINTS["seed"],
    }
)
def bootstrap_difference(
    high: np.ndarray | list[float],
    low: np.ndarray | list[float],
    *,
    alpha: float = 0.05,
    bootstrap_method: str = "BCa",
    n_resamples: int = 9999,
    seed: int = DEFAULT_SEED,
) -> dict[str, float]:
    """Difference in means with a seeded bootstrap interval and a permutation-test p-value.

    The se is the standard deviation of the bootstrap distribution. An interval that cannot be
    formed (e.g. BCa with no variation in either group) comes back as NaN, never as a guess.
    """
    high, low = np.asarray(high, dtype=float), np.asarray(low, dtype=float)

    def difference(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
        return x.mean(axis=axis) - y.mean(axis=axis)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degenerate cases surface as NaN and a note instead
        boot = stats.bootstrap(
            (high, low),
            difference,
            n_resamples=n_resamples,
            confidence_level=1 - alpha,
            method=bootstrap_method,
            rng=np.random.default_rng(seed),
            vectorized=True,
        )
        permutation = stats.permutation_test(
            (high, low),
            difference,
            n_resamples=n_resamples,
            rng=np.random.default_rng(seed),
            vectorized=True,
        )
    return {
        "estimate": float(high.mean() - low.mean()),
        "se": float(boot.standard_error),
        "ci_lower": float(boot.confidence_interval.low),
        "ci_upper": float(boot.confidence_interval.high),
        "p_value": float(permutation.pvalue),
        "df": np.nan,
    }


def mean_interval(values: np.ndarray, alpha: float, group: str) -> dict[str, float]:
    """A group's mean with its t interval (``mean_high``, ``high_ci_lower``, ``high_ci_upper``).

    Shown beside every group mean, so a mean of two cities is never read as exact: with n = 2 the
    t interval (1 degree of freedom) is wide, as it should be; with one city there is none (NaN).
    """
    mean = float(np.mean(values)) if len(values) else np.nan
    lower = upper = np.nan
    if len(values) >= 2:
        half = stats.t.ppf(1 - alpha / 2, len(values) - 1) * stats.sem(values)
        lower, upper = mean - float(half), mean + float(half)
    return {f"mean_{group}": mean, f"{group}_ci_lower": lower, f"{group}_ci_upper": upper}


def not_estimated(reason: str) -> dict[str, object]:
    """Row fields for an outcome left without an estimate, the reason in the number's place."""
    nan = {k: np.nan for k in ("estimate", "se", "ci_lower", "ci_upper", "p_value", "df")}
    return nan | {"method": "not estimated", "reason": reason}


def compare_values(
    high: np.ndarray, low: np.ndarray, settings: ComparisonSettings, notes: NoteBook
) -> dict[str, object]:
    """One difference by the method ``settings`` choose: row fields and cited note numbers."""
    n_high, n_low = len(high), len(low)
    cited = []
    fields: dict[str, object] = {"n_high": n_high, "n_low": n_low}
    fields |= mean_interval(high, settings.alpha, "high") | mean_interval(low, settings.alpha, "low")
    reason = None
    if min(n_high, n_low) < settings.min_group_size:
        reason = (
            f"not estimated: a group has fewer than {settings.min_group_size} cities with this "
            f"outcome (n = {n_high} and {n_low}), too few for any interval"
        )
    else:
        both = np.concatenate([high, low])
        reason = constant_outcome(both) or constant_within([high, low], "group")
    if reason is not None:
        return fields | not_estimated(reason)
    small = min(n_high, n_low) < settings.small_group
    use_bootstrap = settings.method == "bootstrap" or (settings.method == "auto" and small)
    if use_bootstrap:
        estimate = bootstrap_difference(
            high,
            low,
            alpha=settings.alpha,
            bootstrap_method=settings.bootstrap_method,
            n_resamples=settings.n_resamples,
            seed=settings.seed,
        )
        method = f"bootstrap ({settings.bootstrap_method})"
        cited.append(
            notes.add(
                f"Bootstrap: {settings.bootstrap_method} interval from {settings.n_resamples} "
                f"resamples of cities within each group (seed {settings.seed}); p-value from a "
                "permutation test of the same difference."
            )
        )
    else:
        estimate = welch_difference(high, low, alpha=settings.alpha)
        method = "welch"
        cited.append(notes.add("Welch: t interval for a difference in means, unequal variances allowed."))
    if small:
        cited.append(
            notes.add(
                f"Small sample: a group has fewer than {settings.small_group} cities; the interval "
                "is wide and may not reach its nominal coverage."
            )
        )
    if np.isnan(estimate["ci_lower"]):
        cited.append(notes.add("Interval not estimable: the outcome does not vary enough."))
    return fields | estimate | {"method": method, "notes": tuple(cited)}


#: Constraints of the table arguments shared by :func:`compare_groups` and ``analyze``.
INPUT_CONSTRAINTS = {
    "capacity": [Columns(*CAPACITY_COLUMNS)],
    "outcomes": [Columns(*OUTCOME_COLUMNS)],
    "catalogue": [Columns("code", "name"), NONE],
    "settings": [InstanceOf(ComparisonSettings, "a ComparisonSettings")],
    "provenance": [InstanceOf(Provenance, "a Provenance"), NONE],
}


@validate_params({**INPUT_CONSTRAINTS, "grouping": [InstanceOf(str, "a grouping key such as 'psi_class'")]})
def compare_groups(
    capacity: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    grouping: str,
    catalogue: pd.DataFrame | None = None,
    settings: ComparisonSettings = DEFAULT_SETTINGS,
    provenance: Provenance | None = None,
) -> ResultTable:
    """Compare every outcome between the high and low group of one grouping, within its sample.

    ``grouping`` is ``psi_class``, ``data_use_class``, a feature (``dedicated_staff``,
    ``formal_strategy``, ``holistic_approach``) or a ``practice_*`` column of the capacity table.
    Only cities of the grouping's sample take part (see :mod:`civicmeter.analysis.groupings`).
    p-values are corrected across the outcomes of this table (``settings.correction``;
    Benjamini-Hochberg by default) and every row carries the flag.
    """
    prepared = prepare(capacity, outcomes, catalogue=catalogue, settings=settings, provenance=provenance)
    return compare_checked(prepared, grouping_by_key(grouping, prepared.capacity), settings)


def compare_checked(prepared: Prepared, grouping: Grouping, settings: ComparisonSettings) -> ResultTable:
    """:func:`compare_groups` on inputs already checked by :func:`prepare`."""
    notes = prepared.notebook(grouping.sample.label)
    notes.add(
        "Differences are high minus low group means: percentage points for shares of residents, "
        "index points (min-max across the cities) for other indicators. Each mean's interval is "
        "the t interval of that group alone."
    )
    high_cities, low_cities = split(prepared.capacity, grouping)
    outcomes = prepared.outcomes
    rows = []
    for code in prepared.codes:
        values = outcomes[outcomes["indicator"] == code].set_index("city")["value"]
        high = values.reindex(high_cities).dropna().to_numpy()
        low = values.reindex(low_cities).dropna().to_numpy()
        if code in prepared.unusable:
            fields = {"n_high": 0, "n_low": 0} | not_estimated(prepared.unusable[code])
        else:
            fields = compare_values(high, low, settings, notes)
        fields["unit"] = prepared.units[code]
        rows.append(ComparisonRow(outcome=code, outcome_name=prepared.names[code], **fields))
    name, title = f"comparison_{grouping.key}", f"Cities with {grouping.title}"
    return family_table(rows, grouping, prepared, settings, notes, name=name, title=title)
