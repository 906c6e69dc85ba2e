"""Adjusted estimates: does the capacity gap remain once city size and economy are held fixed?

For each outcome, an ordinary least squares regression (statsmodels ``OLS``)

    outcome = b0 + b1 capacity + b2 log(population) + b3 log(income) [+ country/region effects]

where capacity is the high-class dummy (b1 = adjusted difference in index points, high minus low) or
the index itself (b1 = index points of outcome per index point of capacity), and income is GDP per
capita or median income. Both controls enter as logarithms because city size and income are strongly
right-skewed and act multiplicatively. Standard errors are HC3 (MacKinnon & White 1985, *J.
Econometrics* 29: 305-325), the heteroskedasticity-consistent estimator that behaves best in small
samples (Long & Ervin 2000); intervals and p-values use the t distribution with the residual degrees
of freedom, which is the more cautious choice with a few dozen cities.

Cities lacking a control are dropped and counted on every row. With fixed effects, a country or
region holding a single city is dropped too: its dummy fits that city exactly, leaving it a leverage
of one, where HC3 is undefined (the same rule as Correia's ``reghdfe``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

from civicmeter.analysis.degenerate import (
    constant_outcome,
    constant_within,
    exact_fit,
    leverage_one,
    small_class,
)
from civicmeter.analysis.errors import BAD_CONTROL, Problem, raise_if
from civicmeter.analysis.groupings import DATA_USE_CLASS, PSI_CLASS, Grouping, Sample, split
from civicmeter.analysis.inputs import (
    CAPACITY_COLUMNS,
    CONTROL_COLUMNS,
    ECONOMY_COLUMNS,
    OUTCOME_COLUMNS,
    Controls,
    Prepared,
    check_controls,
    prepare,
)
from civicmeter.analysis.multiplicity import family_table
from civicmeter.analysis.results import AdjustedRow, NoteBook, ResultTable
from civicmeter.analysis.settings import DEFAULT_SETTINGS, ComparisonSettings
from civicmeter.params import NONE, Columns, InstanceOf, Options, validate_params
from civicmeter.provenance import Provenance

CONTROL_LABELS = {
    "log_population": "city size (log population)",
    "log_gdp_per_capita": "economy (log GDP per capita)",
    "log_median_income": "economy (log median income)",
}


@validate_params(
    {
        "capacity": [Columns(*CAPACITY_COLUMNS)],
        "outcomes": [Columns(*OUTCOME_COLUMNS)],
        "controls": [Columns(*CONTROL_COLUMNS)],
        "sample": [Options([s.value for s in Sample])],
        "catalogue": [Columns("code", "name"), NONE],
        "settings": [InstanceOf(ComparisonSettings, "a ComparisonSettings")],
        "provenance": [InstanceOf(Provenance, "a Provenance"), NONE],
    }
)
def adjusted_difference(
    capacity: pd.DataFrame,
    outcomes: pd.DataFrame,
    controls: pd.DataFrame,
    *,
    sample: str = "psi",
    catalogue: pd.DataFrame | None = None,
    settings: ComparisonSettings = DEFAULT_SETTINGS,
    provenance: Provenance | None = None,
) -> ResultTable:
    """The capacity coefficient per outcome from OLS with size and economy controls, HC3 errors.

    ``settings.economy="auto"`` uses ``gdp_per_capita`` when the controls table has any, else
    ``median_income``. Only cities of ``sample`` take part. p-values are corrected across outcomes.
    """
    prepared = prepare(capacity, outcomes, catalogue=catalogue, settings=settings, provenance=provenance)
    checked = check_controls(controls)
    return adjusted_checked(
        prepared,
        checked,
        sample=Sample(sample),
        economy=resolve_economy(checked.frame, settings.economy),
        settings=settings,
    )


def resolve_economy(controls: pd.DataFrame, economy: str) -> str:
    """The economy column to use; ``analysis.E008`` when the controls table has none of it."""
    candidates = ECONOMY_COLUMNS if economy == "auto" else (economy,)
    for column in candidates:
        if column in controls.columns and controls[column].notna().any():
            return column
    raise_if(
        [
            Problem(
                BAD_CONTROL,
                "controls table",
                f"no values for {' or '.join(candidates)}",
                "add GDP per capita or median income per city, or skip the adjusted estimates",
            )
        ]
    )
    raise AssertionError("unreachable")  # pragma: no cover


def adjusted_checked(
    prepared: Prepared,
    controls: Controls,
    *,
    sample: Sample,
    economy: str,
    settings: ComparisonSettings,
) -> ResultTable:
    """:func:`adjusted_difference` on inputs already checked; ``economy`` already resolved."""
    notes = prepared.notebook(sample.label)
    for text in controls.notes:
        notes.add(text)
    grouping = PSI_CLASS if sample is Sample.PSI else DATA_USE_CLASS
    measure, fixed_effects = settings.capacity_measure, settings.fixed_effects
    design = _design(prepared.capacity, controls.frame, grouping, economy, settings, notes)
    labels = [CONTROL_LABELS[c] for c in design.columns if c in CONTROL_LABELS]
    labels += [f"{fixed_effects} fixed effects"] if fixed_effects else []
    model = _Model(design, tuple(labels), grouping, settings)
    outcomes = prepared.outcomes
    rows = []
    for code in prepared.codes:
        values = outcomes[outcomes["indicator"] == code].set_index("city")["value"]
        if code in prepared.unusable:
            nan = {k: np.nan for k in ("estimate", "se", "ci_lower", "ci_upper", "p_value")}
            reason = prepared.unusable[code]
            rows.append(
                AdjustedRow(
                    outcome=code,
                    outcome_name=prepared.names[code],
                    **nan,
                    method="not estimated",
                    controls=model.controls,
                    reason=reason,
                    unit=prepared.units[code],
                )
            )
            continue
        row = _fit(model, code, prepared.names[code], values, notes)
        rows.append(dataclasses.replace(row, unit=prepared.units[code]))
    label = "high minus low class" if measure == "class" else "per index point"
    return family_table(
        rows,
        grouping,
        prepared,
        settings,
        notes,
        name=f"adjusted_{sample.value}_{measure}",
        title=f"Adjusted {sample.label} difference ({label}), controlling for size and economy",
        estimate_label="adjusted difference" if measure == "class" else "per index point",
    )


def _design(
    capacity: pd.DataFrame,
    controls: pd.DataFrame,
    grouping: Grouping,
    economy: str,
    settings: ComparisonSettings,
    notes: NoteBook,
) -> pd.DataFrame:
    """One row per city: capacity, log controls and the fixed-effect label (maybe missing)."""
    high, low = split(capacity, grouping)
    cities = high + low
    fixed_effects = settings.fixed_effects
    if settings.capacity_measure == "class":
        regressor = pd.Series({c: 1.0 for c in high} | {c: 0.0 for c in low}, dtype=float)
        notes.add("Capacity enters as a dummy (1 = high class); the coefficient is high minus low.")
    else:
        index_column = grouping.sample.index_column
        regressor = pd.to_numeric(capacity.loc[cities, index_column], errors="coerce")
        notes.add("Capacity enters as its index; the coefficient is per index point.")
    design = pd.DataFrame({"capacity": regressor.reindex(cities)}, index=cities)
    design["log_population"] = np.log(controls["population"].reindex(cities))
    design[f"log_{economy}"] = np.log(controls[economy].reindex(cities))
    control_text = f"log population and log {economy.replace('_', ' ')}"
    if fixed_effects is not None:
        if fixed_effects not in controls.columns:
            raise_if(
                [
                    Problem(
                        BAD_CONTROL,
                        f"controls table, column {fixed_effects!r}",
                        f"{fixed_effects} fixed effects were asked for but the column is missing",
                        f"add a {fixed_effects} column or leave fixed effects off",
                    )
                ]
            )
        design["fixed_effect"] = controls[fixed_effects].reindex(cities)
        control_text += f", with {fixed_effects} fixed effects"
    notes.add(f"OLS of the outcome on capacity and {control_text}; HC3 standard errors, t intervals.")
    return design


@dataclass(frozen=True)
class _Model:
    """What every outcome's regression in one table shares."""

    design: pd.DataFrame
    controls: tuple[str, ...]
    grouping: Grouping
    settings: ComparisonSettings


def _fit(model: _Model, code: str, name: str, values: pd.Series, notes: NoteBook) -> AdjustedRow:
    data = model.design.assign(outcome=values.reindex(model.design.index))
    data = data.dropna(subset=["outcome"])
    complete = data.dropna()
    dropped = sorted(set(data.index) - set(complete.index))
    cited = []
    if dropped:
        cited.append(notes.add("Cities with a missing control are dropped; see n dropped."))
    if "fixed_effect" in complete.columns:
        sizes = complete["fixed_effect"].map(complete["fixed_effect"].value_counts())
        singletons = sorted(complete.index[sizes == 1])
        if singletons:
            cited.append(
                notes.add(
                    "Cities alone in their fixed-effect group are dropped (their leverage is one, "
                    "where HC3 is undefined); they are counted in n dropped."
                )
            )
            dropped = sorted(dropped + singletons)
            complete = complete.drop(index=singletons)
        effects = pd.get_dummies(complete["fixed_effect"], prefix="fe", drop_first=True, dtype=float)
        complete = pd.concat([complete.drop(columns="fixed_effect"), effects], axis=1)
    exog = sm.add_constant(complete.drop(columns="outcome"), has_constant="add")
    base = {"outcome": code, "outcome_name": name, "n": len(complete), "n_dropped": len(dropped)}
    base |= {"dropped": tuple(dropped), "controls": model.controls, "notes": tuple(cited)}
    reason = _design_reason(model, complete, exog, data)
    if reason is None:
        fit = sm.OLS(complete["outcome"], exog).fit(cov_type="HC3", use_t=True)
        leverage = fit.get_influence().hat_matrix_diag
        reason = leverage_one(leverage, list(complete.index)) or exact_fit(fit.ssr, fit.centered_tss)
    if reason is not None:
        nan = {k: np.nan for k in ("estimate", "se", "ci_lower", "ci_upper", "p_value")}
        return AdjustedRow(**base, **nan, method="not estimated", reason=reason)
    interval = fit.conf_int(alpha=model.settings.alpha).loc["capacity"]
    return AdjustedRow(
        **base,
        estimate=float(fit.params["capacity"]),
        se=float(fit.bse["capacity"]),
        ci_lower=float(interval.iloc[0]),
        ci_upper=float(interval.iloc[1]),
        p_value=float(fit.pvalues["capacity"]),
        method="ols-hc3",
    )


def _missing_controls(model: _Model, with_outcome: pd.DataFrame) -> str:
    """Which control leaves no city in the model, e.g. income recorded only for US cities."""
    if with_outcome.empty:
        return "not estimated: no city of this sample has this outcome"
    lacking = [
        CONTROL_LABELS.get(column, column.replace("_", " "))
        for column in model.design.columns
        if column in CONTROL_LABELS and with_outcome[column].isna().all()
    ]
    what = " or ".join(lacking) if lacking else "every control"
    return f"not estimated: none of the {len(with_outcome)} cities with this outcome has {what}"


def _design_reason(
    model: _Model, complete: pd.DataFrame, exog: pd.DataFrame, with_outcome: pd.DataFrame
) -> str | None:
    """Why this outcome's design cannot give an honest estimate, checked before fitting."""
    outcome = complete["outcome"].to_numpy(dtype=float)
    if len(complete) == 0:
        return _missing_controls(model, with_outcome)
    reason = constant_outcome(outcome)
    if reason is None and model.settings.capacity_measure == "class":
        high = complete["capacity"].to_numpy() == 1.0
        minimum = model.settings.min_group_size
        reason = small_class(int(high.sum()), model.grouping.high_label, minimum) or small_class(
            int((~high).sum()), model.grouping.low_label, minimum
        )
        reason = reason or constant_within([outcome[high], outcome[~high]], "class")
    if reason is None:
        rank = np.linalg.matrix_rank(exog.to_numpy())
        if len(complete) <= exog.shape[1] + 1 or rank < exog.shape[1]:
            reason = (
                f"not estimated: {len(complete)} cities are too few for {exog.shape[1]} terms, or "
                "capacity does not vary once the controls are held fixed"
            )
    return reason
