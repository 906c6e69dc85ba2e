"""A command's flags declared once per concern, as a dataclass, and handed to it filled in.

Typer reads a command's options from its Python signature, one parameter per flag. A command with
many options (``outcomes microdata`` has 22) would take them all as parameters and restate each one
when it builds its settings object. Instead the flags of one concern are the fields of a small frozen
dataclass (:func:`flags`), each with its type, default and ``typer.Option`` help, and :func:`expand`
shows Typer one parameter per field while the command itself receives the filled dataclass. The user
sees the same flags and help; the command takes one parameter per concern, and the dataclass is
where the flags become a spec (``ReductionFlags.spec()`` -> ``MicrodataSpec``).

Only the standard library and typer are imported, so ``civicmeter --help`` stays fast.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import typing
from collections.abc import Callable

import typer

_KEYWORD = inspect.Parameter.KEYWORD_ONLY


def input_file(help: str):
    """A required file argument that must exist and not be a folder (Typer checks, before Django)."""
    return typer.Argument(..., exists=True, dir_okay=False, help=help)


def flags(cls: type) -> type:
    """Make ``cls`` a frozen dataclass of flags, spread into a command's options by :func:`expand`."""
    cls = dataclasses.dataclass(frozen=True)(cls)
    cls.__cli_flags__ = True
    return cls


def _field_parameters(group: type) -> list[inspect.Parameter]:
    hints = typing.get_type_hints(group, include_extras=True)
    empty = inspect.Parameter.empty
    return [
        inspect.Parameter(
            field.name,
            _KEYWORD,
            default=empty if field.default is dataclasses.MISSING else field.default,
            annotation=hints[field.name],
        )
        for field in dataclasses.fields(group)
    ]


def expand(func: Callable) -> Callable:
    """Show Typer each field of a :func:`flags` parameter as an option of its own, in field order.

    The command is called with the dataclass built from those options. A flag name used twice (by
    two groups, or a group and a plain parameter) is refused when the module is imported.
    """
    hints = typing.get_type_hints(func, include_extras=True)
    parameters: list[inspect.Parameter] = []
    groups: dict[str, type] = {}
    for name, parameter in inspect.signature(func).parameters.items():
        annotation = hints.get(name, parameter.annotation)
        if getattr(annotation, "__cli_flags__", False):
            groups[name] = annotation
            parameters += _field_parameters(annotation)
        else:
            parameters.append(parameter.replace(kind=_KEYWORD, annotation=annotation))
    names = [p.name for p in parameters]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise TypeError(f"{func.__qualname__}: flag(s) {', '.join(repeated)} declared twice")

    @functools.wraps(func)
    def command(**values):
        taken = {
            name: {f.name: values.pop(f.name) for f in dataclasses.fields(group)}
            for name, group in groups.items()
        }
        built = {name: groups[name](**given) for name, given in taken.items()}
        return func(**values, **built)

    command.__signature__ = inspect.Signature(parameters)
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    return command
