"""One reader for the YAML files that carry methodology: index recipes, scoring recipes and
sensitivity specs.

Why one reader: the three formats had grown their own file handling and key checks, and they had
drifted (one caught only a missing file, so a directory or an unreadable file ended in a traceback).
Here a file is read one way (:func:`read_yaml_mapping`: any ``OSError``, bad YAML or bad UTF-8 and a
non-mapping each become the format's ``E001`` problem) and a mapping is walked one way
(:class:`MappingReader`: every problem is recorded under its key path and reading goes on, so a user
sees all problems of a file at once). Each format keeps its own codes and message texts, stated as
data (:class:`FileMessages`, :class:`MappingReader` class attributes), because tests and users rely
on them.

Value checks reuse :mod:`civicmeter.params` (:class:`~civicmeter.params.Interval`), the same
constraints that guard the public functions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

import yaml

from civicmeter.params import Interval

UNKNOWN_KEY = "unknown key; allowed keys here are {allowed}"


class Problems(Protocol):
    """Where a reader records problems (``civicmeter.indexing.errors.ProblemCollector``)."""

    def add(self, code: str, place: str, message: str) -> None: ...


@dataclass(frozen=True)
class FileMessages:
    """How one format reports a file it cannot read, all under one ``code``.

    ``unreadable`` gets ``{detail}`` = the ``OSError`` type (``missing`` replaces it when the file does
    not exist); ``syntax`` gets ``{detail}`` = the first line of the YAML or UTF-8 error and
    ``{error}`` = all of it; ``error`` builds the exception from (code, place, message).
    """

    error: Callable[[str, str, str], Exception]
    code: str
    unreadable: str
    syntax: str
    not_mapping: str
    missing: str | None = None


def read_yaml_mapping(path: str | Path, messages: FileMessages) -> tuple[dict, str]:
    """The YAML mapping in ``path`` and the sha256 of the file's bytes; raise the format's error."""
    path = Path(path)
    place = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        missing = isinstance(exc, FileNotFoundError) and messages.missing is not None
        template = messages.missing if missing else messages.unreadable
        raise messages.error(
            messages.code, place, template.format(detail=type(exc).__name__)
        ) from exc
    try:
        content = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise messages.error(
            messages.code, place, messages.syntax.format(detail=first, error=exc)
        ) from exc
    if not isinstance(content, dict):
        raise messages.error(messages.code, place, messages.not_mapping)
    return content, hashlib.sha256(raw).hexdigest()


def content_sha256(content: dict) -> str:
    """A stable hash of a parsed mapping (its canonical YAML), for content given without a file."""
    return hashlib.sha256(yaml.safe_dump(content, sort_keys=True).encode()).hexdigest()


def recipe_provenance(name: str, version: str, sha256: str, source: str) -> dict[str, str]:
    """The provenance keys every result computed from a recipe carries, whatever its format."""
    return {
        "recipe": name,
        "recipe_version": version,
        "recipe_sha256": sha256,
        "recipe_source": source,
    }


def is_number(value: Any) -> bool:
    """A real number as YAML gives it: not a bool, not NaN."""
    return Interval(float, None, None).is_satisfied_by(value)


def is_whole(value: Any, low: int | None = None) -> bool:
    """A whole number (not a bool) >= ``low`` when given."""
    return Interval(int, low, None).is_satisfied_by(value)


class MappingReader:
    """Read one mapping found at key ``path`` of the file ``source``, recording problems there.

    Subclasses set the format's codes and add typed accessors. A value that is not a mapping is
    recorded as ``NOT_MAPPING_CODE`` and read as empty, so the rest of the file is still checked.
    """

    UNKNOWN_CODE: ClassVar[str]
    NOT_MAPPING_CODE: ClassVar[str]
    NOT_MAPPING: ClassVar[str] = "must be a mapping, got {value!r}"
    #: Whether an empty value (``key:`` with nothing after it) reads as an empty mapping.
    NONE_IS_EMPTY: ClassVar[bool] = False

    def __init__(self, content: Any, source: str, path: str, problems: Problems):
        self.source, self.path, self.problems = source, path, problems
        if content is None and self.NONE_IS_EMPTY:
            content = {}
        self.is_mapping = isinstance(content, dict)
        if not self.is_mapping:
            self.problem("", self.NOT_MAPPING_CODE, self.NOT_MAPPING.format(value=content))
            content = {}
        self.content = content

    def at(self, key: str) -> str:
        """The key path of ``key`` in this mapping (``<root>`` for the file itself)."""
        return f"{self.path}.{key}" if self.path and key else (self.path or key or "<root>")

    def place(self, key: str = "") -> str:
        """Where ``key`` is, as problems name it: ``<source> key <path>``."""
        return f"{self.source} key {self.at(key)}"

    def problem(self, key: str, code: str, message: str) -> None:
        self.problems.add(code, self.place(key), message)

    def only(self, allowed: tuple[str, ...]) -> None:
        """Record every key not in ``allowed``."""
        for key in self.content:
            if key not in allowed:
                self.problem(
                    str(key), self.UNKNOWN_CODE, UNKNOWN_KEY.format(allowed=", ".join(allowed))
                )

    def nested(self, content: Any, key: str) -> MappingReader:
        """A reader of the same format for ``content``, found under ``key`` of this mapping."""
        return type(self)(content, self.source, self.at(key), self.problems)
