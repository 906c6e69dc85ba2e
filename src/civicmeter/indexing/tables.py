"""Read COINr's two-table layout (iData, iMeta) into a validated :class:`IndexData`.

The layout is COINr's (Becker et al., JRC): ``iData`` has one row per unit (``uCode``, optional
``uName``, ``Time``, ``*_group`` columns, denominators, indicators); ``iMeta`` has one row per
indicator, aggregate, group, denominator or other column. Every problem in the two tables is
reported at once, each naming the file, row and code, so a builder fixes the files in one pass.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from civicmeter.indexing.errors import IndexDataError, ProblemCollector
from civicmeter.indexing.hierarchy import Hierarchy
from civicmeter.params import InstanceOf, validate_params

META_TYPES = ("Indicator", "Aggregate", "Group", "Denominator", "Other")
MAX_CELLS_REPORTED = 5

NOT_NUMERIC = (
    "cell {value!r} is not a number; write a number or leave the cell empty for a missing value"
)


@dataclass(frozen=True)
class IndexData:
    """Validated index input: the unit table, the metadata and the framework built from it."""

    data: pd.DataFrame
    meta: pd.DataFrame
    hierarchy: Hierarchy
    groups: tuple[str, ...]
    denominators: tuple[str, ...]
    source: dict[str, str] = field(default_factory=dict)

    @cached_property
    def is_panel(self) -> bool:
        return "Time" in self.data.columns and self.data["Time"].nunique(dropna=True) > 1

    @cached_property
    def targets(self) -> pd.Series:
        """Indicator targets from iMeta ``Target`` (NaN where absent)."""
        meta = self.meta.set_index("iCode")
        codes = list(self.hierarchy.indicators)
        if "Target" not in meta.columns:
            return pd.Series(np.nan, index=codes, name="Target")
        return pd.to_numeric(meta.loc[codes, "Target"], errors="coerce").rename("Target")

    @cached_property
    def denominated_by(self) -> dict[str, str]:
        """Indicator -> denominator column, from iMeta ``Denominator``."""
        if "Denominator" not in self.meta.columns:
            return {}
        rows = self.meta[self.meta["Type"] == "Indicator"]
        return {
            r.iCode: str(r.Denominator).strip()
            for r in rows.itertuples()
            if isinstance(r.Denominator, str) and r.Denominator.strip()
        }

    def meta_column(self, column: str) -> pd.Series:
        """An optional per-indicator iMeta column (e.g. ``goalpost_lower``), NaN where absent."""
        meta = self.meta.set_index("iCode")
        codes = list(self.hierarchy.indicators)
        if column not in meta.columns:
            return pd.Series(np.nan, index=codes, name=column)
        return pd.to_numeric(meta.loc[codes, column], errors="coerce").rename(column)

    def indicator_frame(self, time: object | None = None) -> pd.DataFrame:
        """Indicator values by ``uCode``; for panels at ``time`` (default: the latest)."""
        table = self.at_time(time)
        return table.set_index("uCode")[list(self.hierarchy.indicators)].astype(float)

    def at_time(self, time: object | None = None) -> pd.DataFrame:
        if not self.is_panel:
            return self.data
        chosen = self.data["Time"].max() if time is None else time
        return self.data[self.data["Time"] == chosen].reset_index(drop=True)


def _read_table(source: str | Path | pd.DataFrame, label: str) -> tuple[pd.DataFrame, str, str]:
    """Return the table, the name used in messages and a sha256 of the file (empty for frames)."""
    if isinstance(source, pd.DataFrame):
        return source.copy(), label, ""
    path = Path(source)
    if not path.exists():
        raise IndexDataError.single(
            "index.E001", str(path), f"{label} file not found; check the path"
        )
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise IndexDataError.single(
            "index.E001",
            str(path),
            f"cannot read the {label} file ({type(exc).__name__}); check the path and its "
            "permissions",
        ) from exc
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            frame = pd.read_excel(path, dtype=object)
        else:
            frame = pd.read_csv(path, dtype=object, keep_default_na=False, na_values=[""])
    except Exception as exc:  # noqa: BLE001 - any parser failure is a user file problem
        raise IndexDataError.single(
            "index.E001",
            str(path),
            f"cannot read the {label} table ({exc}); save it as UTF-8 CSV or XLSX",
        ) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, path.name, digest


def _is_blank(value: object) -> bool:
    return (
        value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == ""
    )


def _meta_row(index: int) -> str:
    return f"row {index + 2}"


def _framework_row(row: pd.Series, place: str, kind: str, problems: ProblemCollector):
    """(level, direction, weight) of one Indicator or Aggregate row, or None after recording why."""
    try:
        level = int(float(row["Level"]))
        if level != float(row["Level"]) or level < 1:
            raise ValueError
    except (TypeError, ValueError):
        problems.add("index.E010", place, f"Level {row['Level']!r} must be a whole number >= 1")
        return None
    if (kind == "Indicator") != (level == 1):
        problems.add(
            "index.E010", place, "indicators must have Level 1 and aggregates Level 2 or more"
        )
        return None
    try:
        direction = int(float(row["Direction"]))
        if direction not in (1, -1):
            raise ValueError
    except (TypeError, ValueError):
        problems.add("index.E010", place, f"Direction {row['Direction']!r} must be 1 or -1")
        return None
    try:
        weight = float(row["Weight"])
        if not np.isfinite(weight) or weight < 0:
            raise ValueError
    except (TypeError, ValueError):
        problems.add("index.E010", place, f"Weight {row['Weight']!r} must be a number >= 0")
        return None
    return level, direction, weight


def _row_code(row: pd.Series, place: str, seen: dict[str, int], problems: ProblemCollector):
    """The row's (iCode, Type) when the code is new and the type known, else None (recorded)."""
    code = "" if _is_blank(row["iCode"]) else str(row["iCode"]).strip()
    kind = "" if _is_blank(row["Type"]) else str(row["Type"]).strip()
    if not code or " " in code:
        problems.add("index.E010", place, f"iCode {code!r} must be non-empty and contain no spaces")
        return None
    if code in seen:
        problems.add(
            "index.E002",
            f"{place} iCode {code}",
            f"duplicate iCode (first on {_meta_row(seen[code])}); codes must be unique",
        )
        return None
    return code, kind


def _check_parents(
    codes: list[str], levels: dict, parents: dict, seen: dict, name: str, problems: ProblemCollector
) -> None:
    """Every code's parent is an aggregate one level up, or the code is at the top level."""
    top_level = max(levels.values())
    for code in codes:
        place = f"{name} {_meta_row(seen[code])} iCode {code}"
        parent = parents[code]
        if parent is None:
            if levels[code] != top_level:
                problems.add(
                    "index.E003",
                    place,
                    f"has no Parent but is not at the top level {top_level}; name its parent "
                    "aggregate",
                )
            continue
        if parent not in levels:
            problems.add(
                "index.E003",
                place,
                f"Parent {parent!r} is not an Aggregate row of iMeta; add it or fix the Parent",
            )
        elif levels[parent] != levels[code] + 1:
            problems.add(
                "index.E012",
                place,
                f"Parent {parent!r} is at level {levels[parent]}, expected {levels[code] + 1}; a "
                "parent sits one level above its children",
            )


def _check_meta(meta: pd.DataFrame, name: str, problems: ProblemCollector) -> Hierarchy | None:
    """The framework of iMeta's Indicator and Aggregate rows, or None when it cannot be built."""
    required = ("iCode", "Type", "Level", "Direction", "Weight", "Parent")
    missing = [c for c in required if c not in meta.columns]
    if missing:
        problems.add(
            "index.E001",
            name,
            f"missing column(s) {', '.join(missing)}; iMeta needs {', '.join(required)}",
        )
        return None
    codes, levels, parents, weights, directions, names = [], {}, {}, {}, {}, {}
    seen: dict[str, int] = {}
    for i, row in meta.iterrows():
        place = f"{name} {_meta_row(i)}"
        found = _row_code(row, place, seen, problems)
        if found is None:
            continue
        code, kind = found
        seen[code] = i
        if kind not in META_TYPES:
            problems.add(
                "index.E010",
                f"{place} iCode {code}",
                f"Type {kind!r} must be one of {', '.join(META_TYPES)}",
            )
            continue
        if kind not in ("Indicator", "Aggregate"):
            continue
        parsed = _framework_row(row, f"{place} iCode {code}", kind, problems)
        if parsed is None:
            continue
        codes.append(code)
        levels[code], directions[code], weights[code] = parsed
        parents[code] = None if _is_blank(row["Parent"]) else str(row["Parent"]).strip()
        names[code] = (
            code if "iName" not in meta.columns or _is_blank(row["iName"]) else str(row["iName"])
        )
    if not codes:
        problems.add("index.E010", name, "no Indicator or Aggregate rows; add the framework rows")
        return None
    _check_parents(codes, levels, parents, seen, name, problems)
    _check_cycles(codes, parents, seen, name, problems)
    for code in codes:
        if levels[code] > 1 and not any(parents[c] == code for c in codes):
            problems.add(
                "index.E003",
                f"{name} {_meta_row(seen[code])} iCode {code}",
                "aggregate has no children; remove it or assign children",
            )
    return Hierarchy(tuple(codes), levels, parents, weights, directions, names)


def _check_cycles(
    codes: list[str], parents: dict, seen: dict, name: str, problems: ProblemCollector
) -> None:
    reported: set[str] = set()
    for code in codes:
        path, current = [], code
        while current is not None and current in parents and current not in path:
            path.append(current)
            current = parents[current]
        if current is not None and current in path and current not in reported:
            cycle = path[path.index(current) :]
            reported.update(cycle)
            problems.add(
                "index.E004",
                f"{name} {_meta_row(seen[current])} iCode {current}",
                "cycle in the hierarchy: "
                + " -> ".join(cycle + [current])
                + "; each code needs a parent one level up",
            )


def _check_numeric(
    data: pd.DataFrame, column: str, name: str, problems: ProblemCollector
) -> pd.Series:
    raw = data[column]
    values = pd.to_numeric(raw, errors="coerce")
    bad = values.isna() & ~raw.map(_is_blank)
    for shown, i in enumerate(np.flatnonzero(bad.to_numpy())):
        if shown == MAX_CELLS_REPORTED:
            problems.add(
                "index.E006",
                f"{name} column {column}",
                f"and {int(bad.sum()) - shown} more non-numeric cells",
            )
            break
        problems.add(
            "index.E006",
            f"{name} row {i + 2} column {column}",
            NOT_NUMERIC.format(value=raw.iloc[i]),
        )
    return values.astype(float)


def _check_units(frame: pd.DataFrame, name: str, problems: ProblemCollector) -> None:
    """Clean uCode (and a numeric Time), and record duplicate and empty unit codes."""
    frame["uCode"] = frame["uCode"].map(lambda v: "" if _is_blank(v) else str(v).strip())
    if "uName" not in frame.columns:
        frame.insert(0, "uName", frame["uCode"])
    keys = ["uCode", "Time"] if "Time" in frame.columns else ["uCode"]
    if "Time" in frame.columns:
        numeric_time = pd.to_numeric(frame["Time"], errors="coerce")
        if numeric_time.notna().all():
            frame["Time"] = numeric_time
    for i in np.flatnonzero(frame.duplicated(keys, keep="first").to_numpy()):
        problems.add(
            "index.E002",
            f"{name} row {i + 2}",
            f"duplicate {'/'.join(keys)} {frame.iloc[i]['uCode']!r}; each unit appears once "
            "per time point",
        )
    for i in np.flatnonzero((frame["uCode"] == "").to_numpy()):
        problems.add("index.E010", f"{name} row {i + 2}", "empty uCode; give every unit a code")


def _column_roles(meta: pd.DataFrame, data: pd.DataFrame) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """iData's group columns (typed Group in iMeta, or named ``*_group``) and denominators."""
    types = dict(
        zip(
            meta.get("iCode", pd.Series(dtype=object)).astype(str).str.strip(),
            meta.get("Type", pd.Series(dtype=object)),
            strict=True,
        )
    )
    groups = tuple(c for c, t in types.items() if t == "Group" and c in data.columns)
    groups += tuple(c for c in data.columns if c.endswith("_group") and c not in groups)
    denominators = tuple(c for c, t in types.items() if t == "Denominator" and c in data.columns)
    return groups, denominators


def _check_indicators(
    data: pd.DataFrame, hierarchy: Hierarchy, name: str, problems: ProblemCollector
) -> None:
    """Indicator columns exist, are numeric (converted in place) and vary; no aggregate column."""
    for code in hierarchy.aggregates:
        if code in data.columns:
            problems.add(
                "index.E005",
                f"{name} column {code}",
                "is an aggregate in iMeta; aggregates are computed, remove the column from iData",
            )
    for code in hierarchy.indicators:
        if code not in data.columns:
            problems.add(
                "index.E009",
                f"{name}",
                f"indicator {code} from iMeta has no column; add it or remove the iMeta row",
            )
            continue
        values = _check_numeric(data, code, name, problems)
        data[code] = values
        present = values.dropna()
        if present.empty:
            problems.add(
                "index.E007",
                f"{name} column {code}",
                "indicator has no values; supply data or remove it from iMeta",
            )
        elif present.nunique() == 1:
            problems.add(
                "index.E008",
                f"{name} column {code}",
                f"indicator is constant ({present.iloc[0]!r}) and cannot discriminate units; "
                "remove it",
            )


def _referenced_denominators(
    meta: pd.DataFrame, data: pd.DataFrame, meta_name: str, problems: ProblemCollector
) -> set[str]:
    """Columns iMeta's ``Denominator`` cells name; record cells naming no iData column."""
    if "Denominator" not in meta.columns:
        return set()
    for i, row in meta.iterrows():
        denom = row["Denominator"]
        if _is_blank(denom) or str(row.get("Type", "")).strip() != "Indicator":
            continue
        if str(denom).strip() not in data.columns:
            problems.add(
                "index.E011",
                f"{meta_name} row {i + 2} iCode {row['iCode']}",
                f"Denominator {denom!r} is not a column of iData; add the column or clear the cell",
            )
    return {str(d).strip() for d in meta["Denominator"] if not _is_blank(d)}


@validate_params(
    {
        "data": [InstanceOf((str, Path, pd.DataFrame), "a path or a pandas DataFrame")],
        "meta": [InstanceOf((str, Path, pd.DataFrame), "a path or a pandas DataFrame")],
    }
)
def read_index_data(data: str | Path | pd.DataFrame, meta: str | Path | pd.DataFrame) -> IndexData:
    """Read and validate iData and iMeta (CSV, XLSX or DataFrames); raise :class:`IndexDataError`
    listing every problem."""
    data_frame, data_name, data_hash = _read_table(data, "iData")
    meta_frame, meta_name, meta_hash = _read_table(meta, "iMeta")
    problems = ProblemCollector(IndexDataError)
    hierarchy = _check_meta(meta_frame, meta_name, problems)
    if "uCode" not in data_frame.columns:
        problems.add("index.E001", data_name, "missing column uCode; add one unit code per row")
        problems.raise_if_any()
    _check_units(data_frame, data_name, problems)
    groups, denominators = _column_roles(meta_frame, data_frame)
    if hierarchy is not None:
        _check_indicators(data_frame, hierarchy, data_name, problems)
        referenced = _referenced_denominators(meta_frame, data_frame, meta_name, problems)
        denominators += tuple(
            sorted(c for c in referenced if c in data_frame.columns and c not in denominators)
        )
        for column in denominators:
            data_frame[column] = _check_numeric(data_frame, column, data_name, problems)
    problems.raise_if_any()
    assert hierarchy is not None  # noqa: S101 - problems.raise_if_any() guarantees it
    return IndexData(
        data=data_frame,
        meta=meta_frame,
        hierarchy=hierarchy,
        groups=groups,
        denominators=denominators,
        source={"iData": data_hash, "iMeta": meta_hash},
    )
