"""The settings of one microdata reduction, declared once and checked once.

The ~15 choices of a reduction (which item, which scale, which codes mean "don't know", weights,
statistic, interval...) used to be restated as keyword arguments in the domain function, the
storage service and two CLI commands. :class:`MicrodataSpec` holds them instead: it is built once
(from CLI options, a stored run's options or a YAML mapping), validated on construction with the
:mod:`civicmeter.params` constraints, and passed whole. Adding an option is one field plus one
entry in :data:`FIELDS`; the CLI flag and the form field are its only other edits.
"""

from __future__ import annotations

import numbers
from dataclasses import MISSING, asdict, dataclass, fields

from civicmeter.params import NONE, InstanceOf, Interval, Options, ParameterError, check_fields

STATISTICS = ("mean", "top2", "share_at_least")
SHARE_INTERVALS = ("wilson", "logit", "wald")
HALF_POINTS = ("drop", "keep")
#: Codes that commonly mean "don't know" / "no answer"; applied only where they lie outside the scale.
DEFAULT_MISSING_CODES = (9.0, 99.0)

_TEXT = InstanceOf(str, "a column name")
FIELDS = {
    "item": [_TEXT],
    "scale": [InstanceOf(tuple, "a (min, max) tuple of numbers")],
    "indicator": [InstanceOf(str, "an indicator code")],
    "statistic": [Options(STATISTICS)],
    "threshold": [Interval(float, None, None), NONE],
    "city": [InstanceOf(str, "a city name"), NONE],
    "city_column": [_TEXT, NONE],
    "period": [InstanceOf(str, "a period label"), NONE],
    "period_column": [_TEXT, NONE],
    "missing_codes": [InstanceOf(tuple, "a tuple of codes (numbers or texts)"), NONE],
    "weight_column": [_TEXT, NONE],
    "dont_know_in_denominator": [InstanceOf(bool, "a bool")],
    "half_points": [Options(HALF_POINTS)],
    "alpha": [Interval(float, 0, 1, closed="neither")],
    "interval": [Options(SHARE_INTERVALS)],
    "encoding": [InstanceOf(str, "an encoding name"), NONE],
}


def _refuse(parameter: str, message: str) -> None:
    raise ParameterError(message, parameter=parameter, function="MicrodataSpec")


def _code_text(code: float | str) -> str:
    return code if isinstance(code, str) else f"{code:g}"


@dataclass(frozen=True)
class MicrodataSpec:
    """What to reduce and how: one item on one scale, per city (and period), into one indicator.

    ``missing_codes=None`` means "the usual codes 9 and 99, wherever they are not valid answers":
    on a 1-5 scale both apply, on a 0-10 scale only 99 does (9 is a valid answer there). Codes given
    explicitly that fall inside the scale are refused, since they would drop valid answers.
    ``half_points="keep"`` counts answers such as 7.5 on a whole-number scale as they are;
    the default drops them and says how many.
    """

    item: str
    scale: tuple[float, float]
    indicator: str
    statistic: str = "mean"
    threshold: float | None = None
    city: str | None = None
    city_column: str | None = None
    period: str | None = None
    period_column: str | None = None
    missing_codes: tuple[float | str, ...] | None = None
    weight_column: str | None = None
    dont_know_in_denominator: bool = False
    half_points: str = "drop"
    alpha: float = 0.05
    interval: str = "wilson"
    encoding: str | None = None

    def __post_init__(self) -> None:
        check_fields(self, FIELDS)
        self._check_scale()
        self._check_grouping()
        self._check_statistic()
        self._check_codes()

    def _check_scale(self) -> None:
        scale = self.scale
        if len(scale) != 2 or not all(isinstance(v, numbers.Real) for v in scale) or scale[0] >= scale[1]:
            _refuse(
                "scale",
                f"the 'scale' parameter of MicrodataSpec must be (min, max) with min < max; got {scale!r}",
            )

    def _check_grouping(self) -> None:
        if self.period is not None and self.period_column is not None:
            _refuse(
                "period", "MicrodataSpec takes 'period' (one label for the file) or 'period_column', not both"
            )
        if (self.city is None) == (self.city_column is None):
            _refuse(
                "city",
                "MicrodataSpec needs exactly one of 'city' (a name for the whole file) or 'city_column'",
            )

    def _check_statistic(self) -> None:
        low, high = self.scale
        if self.statistic == "share_at_least" and (
            self.threshold is None or not low < self.threshold <= high
        ):
            _refuse(
                "threshold",
                f"the 'threshold' parameter of MicrodataSpec must be a number in ({low:g}, {high:g}] "
                f"for statistic 'share_at_least'; got {self.threshold!r}",
            )
        if self.dont_know_in_denominator and self.statistic == "mean":
            _refuse(
                "dont_know_in_denominator",
                "the 'dont_know_in_denominator' parameter of MicrodataSpec applies to shares "
                "('top2', 'share_at_least'), not to 'mean'; got True",
            )

    def _check_codes(self) -> None:
        """A code inside the scale would silently drop valid answers: refuse and name the fix."""
        if self.missing_codes is None:
            return
        low, high = self.scale
        clashes = [c for c in self.missing_codes if not isinstance(c, str) and low <= c <= high]
        if clashes:
            listed = ", ".join(_code_text(c) for c in clashes)
            _refuse(
                "missing_codes",
                f"missing code(s) {listed} lie inside the answer scale {low:g}-{high:g}, so valid "
                f'answers {listed} would be dropped as "don\'t know". Give only codes outside the '
                "scale (e.g. --missing-codes 99,DK) or correct --scale.",
            )

    @property
    def codes(self) -> tuple[float | str, ...]:
        """The missing codes applied: the given ones, or the defaults that lie outside the scale."""
        if self.missing_codes is not None:
            return self.missing_codes
        low, high = self.scale
        return tuple(c for c in DEFAULT_MISSING_CODES if not low <= c <= high)

    @property
    def unused_defaults(self) -> tuple[float, ...]:
        """Default codes left out because they are valid answers on this scale (said in the notes)."""
        if self.missing_codes is not None:
            return ()
        return tuple(c for c in DEFAULT_MISSING_CODES if c not in self.codes)

    @property
    def is_share(self) -> bool:
        return self.statistic != "mean"

    def columns(self) -> dict[str, str]:
        """Role -> column of every column the reduction reads."""
        roles = {
            "item": self.item,
            "city_column": self.city_column,
            "period_column": self.period_column,
            "weight": self.weight_column,
        }
        return {role: column for role, column in roles.items() if column is not None}

    def to_mapping(self) -> dict:
        """JSON-ready options (lists for tuples), as stored with an import run."""
        data = asdict(self)
        data["scale"] = list(self.scale)
        if self.missing_codes is not None:
            data["missing_codes"] = list(self.missing_codes)
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_mapping(cls, data: dict) -> MicrodataSpec:
        """Build from a mapping such as a YAML block or stored run options (lists become tuples).

        Unknown keys are refused by name, so a misspelt option never passes unnoticed.
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            _refuse(
                unknown[0], f"MicrodataSpec has no option {unknown[0]!r}; options: {', '.join(sorted(known))}"
            )
        required = [f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING]
        missing = [name for name in required if data.get(name) is None]
        if missing:
            _refuse(
                missing[0],
                f"MicrodataSpec needs a value for {' and '.join(missing)} (required: {', '.join(required)})",
            )
        values = dict(data)
        for key in ("scale", "missing_codes"):
            if isinstance(values.get(key), list):
                values[key] = tuple(values[key])
        if isinstance(values.get("scale"), tuple):
            values["scale"] = tuple(float(v) if isinstance(v, numbers.Real) else v for v in values["scale"])
        return cls(**values)
