"""Typed reading of one recipe mapping, recording problems (with key paths) instead of failing.

Each accessor returns a usable default when the value is wrong, so parsing continues and the user
sees every problem of the file at once. The walking itself (key paths, unknown keys, nesting) is the
shared :class:`civicmeter.yaml_schema.MappingReader`; this module adds the recipe's value types.
"""

from __future__ import annotations

from typing import Any

from civicmeter.yaml_schema import UNKNOWN_KEY, MappingReader, is_number, is_whole

__all__ = ["UNKNOWN_KEY", "FieldReader"]


class FieldReader(MappingReader):
    """Read values from ``content`` (a mapping found at ``path`` in the recipe file ``source``)."""

    UNKNOWN_CODE = "recipe.E002"
    NOT_MAPPING_CODE = "recipe.E003"
    NOT_MAPPING = "must be a mapping of options, got {value!r}"
    NONE_IS_EMPTY = True

    def child(self, key: str, shorthand: str | None = None) -> FieldReader:
        value = self.content.get(key)
        if isinstance(value, str) and shorthand is not None:
            value = {shorthand: value}
        return self.nested(value, key)

    def mapping(self, key: str, integer_keys: bool = False) -> dict[Any, FieldReader]:
        value = self.content.get(key) or {}
        if not isinstance(value, dict):
            self.problem(key, "recipe.E003", "must be a mapping")
            return {}
        out = {}
        for sub_key, sub_value in value.items():
            name = sub_key
            if integer_keys:
                try:
                    name = int(sub_key)
                except (TypeError, ValueError):
                    self.problem(
                        f"{key}.{sub_key}",
                        "recipe.E003",
                        "level keys must be whole numbers (2 = first aggregate level)",
                    )
                    continue
            out[name] = self.nested(sub_value, f"{key}.{sub_key}")
        return out

    def option(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.content.get(key, default)
        if value not in allowed:
            self.problem(
                key, "recipe.E003", f"{value!r} is not allowed; use one of {', '.join(allowed)}"
            )
            return default
        return value

    def text(self, key: str, default: str | None) -> str | None:
        value = self.content.get(key, default)
        if value is not None and not isinstance(value, (str, int)):
            self.problem(key, "recipe.E003", f"must be text, got {value!r}")
            return default
        return None if value is None else str(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self.content.get(key, default)
        if not isinstance(value, bool):
            self.problem(key, "recipe.E003", f"must be true or false, got {value!r}")
            return default
        return value

    def number(
        self,
        key: str,
        default: float | None,
        *,
        low: float | None = None,
        high: float | None = None,
        strict: bool = False,
    ) -> float | None:
        value = self.content.get(key, default)
        if value is None:
            return None
        if not is_number(value):
            self.problem(key, "recipe.E003", f"must be a number, got {value!r}")
            return default
        too_low = low is not None and (value < low or (strict and value == low))
        too_high = high is not None and value > high
        if too_low or too_high:
            bounds = f"{'>' if strict else '>='} {low}" if high is None else f"in [{low}, {high}]"
            self.problem(key, "recipe.E003", f"must be {bounds}, got {value!r}")
            return default
        return float(value)

    def integer(self, key: str, default: int, *, low: int | None = None) -> int:
        value = self.content.get(key, default)
        if not is_whole(value, low):
            self.problem(
                key,
                "recipe.E003",
                f"must be a whole number{'' if low is None else f' >= {low}'}, got {value!r}",
            )
            return default
        return value

    def pair(self, key: str, default: tuple[float, float]) -> tuple[float, float]:
        value = self.content.get(key, list(default))
        ok = (
            isinstance(value, (list, tuple))
            and len(value) == 2
            and all(is_number(v) for v in value)
        )
        if not ok:
            self.problem(
                key, "recipe.E003", f"must be a list of two numbers [lower, upper], got {value!r}"
            )
            return default
        return float(value[0]), float(value[1])

    def weights(self) -> dict[str, float]:
        out = {}
        for code, value in self.content.items():
            if not is_number(value) or value < 0:
                self.problem(
                    str(code), "recipe.E003", f"weight must be a number >= 0, got {value!r}"
                )
                continue
            out[str(code)] = float(value)
        return out
