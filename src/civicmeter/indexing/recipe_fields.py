"""Typed reading of one recipe mapping, recording problems (with key paths) instead of failing.

Each accessor returns a usable default when the value is wrong, so parsing continues and the user
sees every problem of the file at once.
"""

from __future__ import annotations

import math
from typing import Any

from civicmeter.indexing.errors import ProblemCollector

UNKNOWN_KEY = "unknown key; allowed keys here are {allowed}"


class FieldReader:
    """Read values from ``content`` (a mapping found at ``path`` in the recipe file ``source``)."""

    def __init__(self, content: Any, source: str, path: str, problems: ProblemCollector):
        self.source = source
        self.path = path
        self.problems = problems
        if content is None:
            content = {}
        if not isinstance(content, dict):
            self.problem("", "recipe.E003", f"must be a mapping of options, got {content!r}")
            content = {}
        self.content = content

    def _key(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path and key else (self.path or key)

    def problem(self, key: str, code: str, message: str) -> None:
        self.problems.add(code, f"{self.source} key {self._key(key) or '<root>'}", message)

    def only(self, allowed: tuple[str, ...]) -> None:
        for key in self.content:
            if key not in allowed:
                self.problem(
                    str(key), "recipe.E002", UNKNOWN_KEY.format(allowed=", ".join(allowed))
                )

    def child(self, key: str, shorthand: str | None = None) -> FieldReader:
        value = self.content.get(key)
        if isinstance(value, str) and shorthand is not None:
            value = {shorthand: value}
        return FieldReader(value, self.source, self._key(key), self.problems)

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
            out[name] = FieldReader(
                sub_value, self.source, self._key(f"{key}.{sub_key}"), self.problems
            )
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
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
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
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or (low is not None and value < low)
        ):
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
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
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
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                self.problem(
                    str(code), "recipe.E003", f"weight must be a number >= 0, got {value!r}"
                )
                continue
            out[str(code)] = float(value)
        return out
