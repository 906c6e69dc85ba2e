"""Declared parameter constraints and the one error every public function raises for bad arguments.

Borrowed from scikit-learn's ``_param_validation``: each public function states what it accepts once,
as data, with :func:`validate_params`; the decorator checks the call and raises :class:`ParameterError`
with a message that names the parameter, the function, what is allowed and what was received, e.g.
``the 'winsorise_max' parameter of treat_outliers must be an int in [0, 10]; got 15``.
A meta-test walks every decorated public function, so the convention cannot silently erode.
"""

from __future__ import annotations

import functools
import inspect
import numbers
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


class ParameterError(ValueError):
    """A public function was called with an argument outside its declared constraints."""

    def __init__(self, message: str, *, parameter: str | None = None, function: str | None = None):
        super().__init__(message)
        self.parameter = parameter
        self.function = function


class Constraint:
    """One acceptable kind of value. Subclasses describe themselves for the error message."""

    def is_satisfied_by(self, value: Any) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def invalid_examples(self) -> list[Any]:
        """Values this constraint rejects, used by the meta-test to probe every function."""
        return []


@dataclass(frozen=True)
class Interval(Constraint):
    """A real or integral number in a range. ``closed`` is one of both/left/right/neither."""

    kind: type
    low: float | None
    high: float | None
    closed: str = "both"

    def is_satisfied_by(self, value: Any) -> bool:
        if isinstance(value, bool):
            return False
        if self.kind is int and not isinstance(value, numbers.Integral):
            return False
        if self.kind is float and not isinstance(value, numbers.Real):
            return False
        if self.low is not None:
            if value < self.low or (value == self.low and self.closed in ("right", "neither")):
                return False
        if self.high is not None:
            if value > self.high or (value == self.high and self.closed in ("left", "neither")):
                return False
        return value == value  # rejects NaN

    def describe(self) -> str:
        name = "an int" if self.kind is int else "a number"
        left = "[" if self.closed in ("both", "left") else "("
        right = "]" if self.closed in ("both", "right") else ")"
        low = "-inf" if self.low is None else _fmt(self.low)
        high = "inf" if self.high is None else _fmt(self.high)
        return f"{name} in {left}{low}, {high}{right}"

    def invalid_examples(self) -> list[Any]:
        examples: list[Any] = ["not a number"]
        if self.low is not None:
            examples.append(self.kind(self.low - 1) if self.kind is int else self.low - 0.5)
        if self.high is not None:
            examples.append(self.kind(self.high + 1) if self.kind is int else self.high + 0.5)
        return examples


@dataclass(frozen=True)
class Options(Constraint):
    """One of a fixed set of values (strings such as method names)."""

    values: frozenset

    def __init__(self, values: Iterable[Any]):
        object.__setattr__(self, "values", frozenset(values))

    def is_satisfied_by(self, value: Any) -> bool:
        try:
            return value in self.values
        except TypeError:
            return False

    def describe(self) -> str:
        return "one of " + ", ".join(repr(v) for v in sorted(self.values, key=str))

    def invalid_examples(self) -> list[Any]:
        return ["__not_an_option__"]


@dataclass(frozen=True)
class InstanceOf(Constraint):
    """An instance of a type (or tuple of types), described by ``label``."""

    types: type | tuple[type, ...]
    label: str

    def is_satisfied_by(self, value: Any) -> bool:
        return isinstance(value, self.types) and not (
            isinstance(value, bool) and bool not in _as_tuple(self.types)
        )

    def describe(self) -> str:
        return self.label

    def invalid_examples(self) -> list[Any]:
        return [object()]


@dataclass(frozen=True)
class Columns(Constraint):
    """A pandas DataFrame holding at least these columns."""

    required: tuple[str, ...]

    def __init__(self, *required: str):
        object.__setattr__(self, "required", tuple(required))

    def is_satisfied_by(self, value: Any) -> bool:
        import pandas as pd

        return isinstance(value, pd.DataFrame) and all(c in value.columns for c in self.required)

    def describe(self) -> str:
        return "a pandas DataFrame with columns " + ", ".join(repr(c) for c in self.required)

    def invalid_examples(self) -> list[Any]:
        return [[1, 2, 3]]


class _DataFrameConstraint(Constraint):
    """A pandas DataFrame, checked without importing pandas: no frame exists before pandas is
    imported, so a function that also takes a path does not pay pandas' start-up to check one."""

    def is_satisfied_by(self, value: Any) -> bool:
        pandas = sys.modules.get("pandas")
        return pandas is not None and isinstance(value, pandas.DataFrame)

    def describe(self) -> str:
        return "a pandas DataFrame"

    def invalid_examples(self) -> list[Any]:
        return [object()]


DATA_FRAME = _DataFrameConstraint()


class _NoneConstraint(Constraint):
    def is_satisfied_by(self, value: Any) -> bool:
        return value is None

    def describe(self) -> str:
        return "None"


NONE = _NoneConstraint()


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def _as_tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


def describe_constraints(constraints: list[Constraint]) -> str:
    parts = [c.describe() for c in constraints]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


def check_param(name: str, value: Any, constraints: list[Constraint], *, caller: str) -> None:
    """Raise :class:`ParameterError` unless ``value`` satisfies one of ``constraints``."""
    if any(c.is_satisfied_by(value) for c in constraints):
        return
    raise ParameterError(
        f"the {name!r} parameter of {caller} must be {describe_constraints(constraints)}; got {value!r}",
        parameter=name,
        function=caller,
    )


def check_fields(settings: object, constraints: dict[str, list[Constraint]]) -> None:
    """Check each field of a settings object against its constraints (from ``__post_init__``);
    the error names the field and the settings class, as :func:`check_param` does for a call."""
    for name, allowed in constraints.items():
        check_param(name, getattr(settings, name), allowed, caller=type(settings).__name__)


def validate_params(constraints: dict[str, list[Constraint]]) -> Callable:
    """Decorate a public function with its declared constraints (checked on every call).

    The constraints are kept on the wrapper as ``__param_constraints__`` for the meta-test.
    """

    def decorator(func: Callable) -> Callable:
        signature = inspect.signature(func)
        unknown = set(constraints) - set(signature.parameters)
        if unknown:
            raise TypeError(f"{func.__qualname__} declares constraints for unknown parameters {unknown}")

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            for name, allowed in constraints.items():
                check_param(name, bound.arguments[name], allowed, caller=func.__name__)
            return func(*args, **kwargs)

        wrapper.__param_constraints__ = constraints  # type: ignore[attr-defined]
        return wrapper

    return decorator
