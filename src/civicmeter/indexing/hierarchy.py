"""The index framework as a tree: which code feeds which, with weights and directions.

Kept separate from the data so that the same tree can be reused across thousands of replications:
:meth:`Hierarchy.membership` gives each level's child-to-parent matrix, which turns aggregation of a
whole level (and of many runs at once) into a matrix product.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Hierarchy:
    """A validated framework. Codes keep iMeta order; level 1 holds the indicators.

    ``weights`` are the iMeta weights, relative within each parent (they need not sum to one).
    """

    codes: tuple[str, ...]
    levels: dict[str, int]
    parents: dict[str, str | None]
    weights: dict[str, float]
    directions: dict[str, int]
    names: dict[str, str] = field(default_factory=dict)

    @cached_property
    def n_levels(self) -> int:
        return max(self.levels.values())

    @cached_property
    def indicators(self) -> tuple[str, ...]:
        return self.codes_at(1)

    @cached_property
    def aggregates(self) -> tuple[str, ...]:
        return tuple(c for c in self.codes if self.levels[c] > 1)

    @cached_property
    def top(self) -> tuple[str, ...]:
        """Codes with no parent (normally the single index)."""
        return tuple(c for c in self.codes if self.parents[c] is None)

    def codes_at(self, level: int) -> tuple[str, ...]:
        return tuple(c for c in self.codes if self.levels[c] == level)

    def children(self, code: str) -> tuple[str, ...]:
        return tuple(c for c in self.codes if self.parents[c] == code)

    def membership(self, level: int) -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray]:
        """Children (level - 1), parents (``level``) and their 0/1 (children, parents) matrix."""
        parents = self.codes_at(level)
        children = self.codes_at(level - 1)
        position = {p: j for j, p in enumerate(parents)}
        matrix = np.zeros((len(children), len(parents)))
        for i, child in enumerate(children):
            parent = self.parents[child]
            if parent is not None:
                matrix[i, position[parent]] = 1.0
        return children, parents, matrix

    def direction_vector(self, codes: tuple[str, ...] | None = None) -> np.ndarray:
        """Directions (+1 / -1) of ``codes`` (default: the indicators), for
        :func:`normalise_array`."""
        return np.array([float(self.directions[c]) for c in (codes or self.indicators)])

    def lineage(self) -> pd.DataFrame:
        """One row per indicator, one column per level: the indicator's ancestor at that level."""
        rows = []
        for code in self.indicators:
            row = [code]
            current = code
            for _ in range(2, self.n_levels + 1):
                current = self.parents[current] if current is not None else None
                row.append(current)
            rows.append(row)
        return pd.DataFrame(rows, columns=[f"Level{i}" for i in range(1, self.n_levels + 1)])

    def effective_weights(self, weights: dict[str, float] | None = None) -> pd.Series:
        """Each code's share of the index: weights normalised within parent, multiplied down.

        Follows COINr's ``get_eff_weights``: a top code has effective weight 1.
        """
        source = self.weights if weights is None else weights
        effective: dict[str, float] = {}
        for level in range(self.n_levels, 0, -1):
            for code in self.codes_at(level):
                parent = self.parents[code]
                if parent is None:
                    effective[code] = 1.0
                    continue
                siblings = self.children(parent)
                total = sum(float(source[s]) for s in siblings)
                share = float(source[code]) / total if total > 0 else 0.0
                effective[code] = effective[parent] * share
        return pd.Series({c: effective[c] for c in self.codes}, name="EffectiveWeight")
