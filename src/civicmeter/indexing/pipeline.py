"""Run a recipe on index data, stage by stage, optionally starting from a cached earlier result.

Stages: Raw -> Denominated -> Imputed -> Screened -> Treated -> Normalised -> Aggregated (COINr's
order in its documented ASEM build). ``start_at`` with ``reuse`` takes every stage before
``start_at`` from a previous result, so a sensitivity run that only changes weights or aggregation
does not redo imputation and outlier treatment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from civicmeter.indexing.aggregate import NonPositiveValuesError
from civicmeter.indexing.denominate import denominate
from civicmeter.indexing.errors import IndexDataError
from civicmeter.indexing.fit import check_recipe_fits
from civicmeter.indexing.impute import impute
from civicmeter.indexing.normalise import normalise_array
from civicmeter.indexing.recipe import Recipe
from civicmeter.indexing.results import STAGES, IndexResult, index_provenance
from civicmeter.indexing.screen import screen_units
from civicmeter.indexing.specs import NormaliseSpec
from civicmeter.indexing.tables import IndexData
from civicmeter.indexing.treat import treat_outliers, untreated_log
from civicmeter.indexing.tree import aggregate_tree
from civicmeter.indexing.weights import equal_weights, pca_weights, weight_set
from civicmeter.params import NONE, InstanceOf, Options, validate_params


def _denominated(data: IndexData, recipe: Recipe, table: pd.DataFrame) -> pd.DataFrame:
    indexed = table.set_index("uCode")
    values = indexed[list(data.hierarchy.indicators)].astype(float)
    if not recipe.denominate:
        return values
    return denominate(values, indexed[list(data.denominators)], data.denominated_by)


def _imputed(data: IndexData, recipe: Recipe, values: pd.DataFrame) -> pd.DataFrame:
    spec = recipe.impute
    table = data.at_time(recipe.time).set_index("uCode")
    groups = table[spec.group] if spec.group else None
    history = None
    if spec.method == "latest":
        now = table["Time"].iloc[0]
        earlier = data.data[data.data["Time"] <= now]
        history = _denominated(data, recipe, earlier).reset_index()
        history["Time"] = earlier["Time"].to_numpy()
    return impute(
        values,
        method=spec.method,
        groups=groups,
        hierarchy=data.hierarchy,
        group_level=spec.group_level,
        history=history,
    )


@validate_params(
    {
        "values": [InstanceOf(pd.DataFrame, "a pandas DataFrame of treated indicator values")],
        "data": [InstanceOf(IndexData, "an IndexData")],
        "spec": [InstanceOf(NormaliseSpec, "a NormaliseSpec")],
    }
)
def normalise_frame(values: pd.DataFrame, data: IndexData, spec: NormaliseSpec) -> pd.DataFrame:
    """Normalise each indicator with ``spec`` or its override, using iMeta directions, targets
    and goalposts."""
    h = data.hierarchy
    codes = list(values.columns)
    directions = np.array([h.directions[c] for c in codes], dtype=float)
    targets = data.targets.reindex(codes).to_numpy(dtype=float)
    posts = np.vstack(
        [
            data.meta_column("goalpost_lower").reindex(codes),
            data.meta_column("goalpost_upper").reindex(codes),
        ]
    )
    source = values.to_numpy(dtype=float)
    result = np.empty_like(source)
    chosen = {c: spec.overrides.get(c, spec) for c in codes}
    for s in {id(v): v for v in chosen.values()}.values():
        idx = [i for i, c in enumerate(codes) if chosen[c] is s]
        if s.unit is not None and s.unit not in values.index:
            raise IndexDataError.single(
                "index.E015",
                f"reference unit {s.unit}",
                "was removed by screening, so dist2ref has no reference; lower "
                "screen.min_availability or choose another unit",
            )
        reference = None if s.unit is None else int(values.index.get_loc(s.unit))
        result[:, idx] = normalise_array(
            source[:, idx],
            directions[idx],
            s,
            reference=reference,
            targets=targets[idx],
            goalposts=posts[:, idx],
        )
    out = pd.DataFrame(result, index=values.index, columns=codes)
    infinite = [c for c, bad in zip(codes, np.isinf(result).any(axis=0), strict=True) if bad]
    if infinite:
        raise IndexDataError.single(
            "index.E014",
            f"normalised indicator(s) {', '.join(infinite)}",
            "the normalisation divides by zero for these indicators (e.g. fracmax when the "
            "direction-adjusted maximum is 0); choose another method for them under "
            "normalise.overrides",
        )
    return out


def _weights(data: IndexData, recipe: Recipe, normalised: pd.DataFrame) -> dict[str, float]:
    h = data.hierarchy
    if recipe.weights == "equal":
        return equal_weights(h)
    if recipe.weights in recipe.weight_sets:
        return weight_set(h, recipe.weight_sets[recipe.weights])
    if recipe.weights == "original":
        return dict(h.weights)
    weights = dict(h.weights)
    for _ in range(h.n_levels - 1):
        scores = _aggregated(data, recipe, normalised, weights)
        weights = pca_weights(h, scores)
    return weights


def _aggregated(
    data: IndexData, recipe: Recipe, normalised: pd.DataFrame, weights: dict[str, float]
) -> pd.DataFrame:
    h = data.hierarchy
    try:
        scores = aggregate_tree(
            normalised.to_numpy(dtype=float), h, weights=weights, spec=recipe.aggregate
        )
    except NonPositiveValuesError as exc:
        raise IndexDataError.single(
            "index.E013", f"recipe {recipe.source or recipe.name}", str(exc)
        ) from exc
    aggregates = pd.DataFrame(scores, index=normalised.index, columns=list(h.aggregates))
    return pd.concat([normalised, aggregates], axis=1)


@validate_params(
    {
        "data": [InstanceOf(IndexData, "an IndexData")],
        "recipe": [InstanceOf(Recipe, "a Recipe")],
        "reuse": [InstanceOf(IndexResult, "an IndexResult"), NONE],
        "start_at": [Options(STAGES)],
    }
)
def run_pipeline(
    data: IndexData, recipe: Recipe, *, reuse: IndexResult | None = None, start_at: str = "Raw"
) -> IndexResult:
    """Build the index: every stage, the treatment log and provenance, in an :class:`IndexResult`.

    With ``start_at`` other than ``"Raw"``, ``reuse`` must be a result built on the same data; its
    stages before ``start_at`` (and its treatment log and screening table, if they come earlier) are
    reused unchanged and the rest is recomputed with ``recipe``.
    """
    check_recipe_fits(recipe, data)
    start = STAGES.index(start_at)
    if start > 0 and reuse is None:
        raise ValueError(f"start_at={start_at!r} needs a previous result to reuse")
    stages = {s: reuse.stages[s] for s in STAGES[:start]} if reuse is not None else {}
    treatment = reuse.treatment if reuse is not None and start > STAGES.index("Treated") else None
    screening = reuse.screening if reuse is not None and start > STAGES.index("Screened") else None
    table = data.at_time(recipe.time)
    if start <= 0:
        stages["Raw"] = table.set_index("uCode")[list(data.hierarchy.indicators)].astype(float)
    if start <= 1:
        stages["Denominated"] = _denominated(data, recipe, table)
    if start <= 2:
        stages["Imputed"] = _imputed(data, recipe, stages["Denominated"])
    if start <= 3:
        threshold = recipe.screen.min_availability
        screened, screening = screen_units(
            stages["Imputed"], min_availability=0.0 if threshold is None else threshold
        )
        stages["Screened"] = screened
    if start <= 4:
        if recipe.treat.enabled:
            t = recipe.treat
            stages["Treated"], treatment = treat_outliers(
                stages["Screened"],
                winsorise_max=t.winsorise_max,
                skew=t.skew,
                kurtosis=t.kurtosis,
                fallback=t.fallback,
            )
        else:
            stages["Treated"], treatment = (
                stages["Screened"].copy(),
                untreated_log(stages["Screened"]),
            )
    if start <= 5:
        stages["Normalised"] = normalise_frame(stages["Treated"], data, recipe.normalise)
    normalised, treated = stages["Normalised"], stages["Treated"]
    lost_mask = (normalised.isna().to_numpy() & treated.notna().to_numpy()).any(axis=0)
    lost = [c for c, gone in zip(normalised.columns, lost_mask, strict=True) if gone]
    weights = _weights(data, recipe, stages["Normalised"])
    stages["Aggregated"] = _aggregated(data, recipe, stages["Normalised"], weights)
    names = (
        table.set_index("uCode")["uName"] if "uName" in table.columns else pd.Series(dtype=object)
    )
    dropped = screening.loc[~screening["Kept"], "uCode"].tolist()
    notes = (
        (f"{len(dropped)} unit(s) removed by screening: {', '.join(dropped)}",) if dropped else ()
    )
    if lost:
        notes += (
            "normalisation left values missing (zero range, or reference unit at the minimum) "
            f"for: {', '.join(lost)}",
        )
    return IndexResult(
        stages=stages,
        treatment=treatment,
        screening=screening,
        hierarchy=data.hierarchy,
        weights=weights,
        recipe=recipe,
        unit_names=names,
        data_source=dict(data.source),
        notes=notes,
        provenance=index_provenance(recipe, data.source),
    )
