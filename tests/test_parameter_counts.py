"""No public function, method or Typer command takes more than 8 parameters (issue 9.1).

Many options travel as one settings object (``MicrodataSpec``, ``ComparisonSettings``...), and a
command's many flags as flag dataclasses (``civicmeter.cli._flags``). The walk reads every module
under ``src/civicmeter`` (migrations aside) with ``ast``, so a function is counted as written,
whatever decorates it; ``self`` and ``cls`` are not counted. The commands are also checked as Typer
registers them: the function behind each command, under its ``@expand``.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
import typer

from civicmeter.cli import app

LIMIT = 8
SRC = Path(__file__).resolve().parents[1] / "src" / "civicmeter"


def _count(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    args = node.args
    names = [a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]]
    return len(names) - (1 if names[:1] in (["self"], ["cls"]) else 0)


def _public_functions():
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_"):
                yield f"{path.relative_to(SRC).as_posix()}:{node.name}", _count(node)


def test_no_public_function_takes_more_than_eight_parameters():
    found = dict(_public_functions())
    assert len(found) > 500, "the walk found too few functions to mean anything"
    over = {name: n for name, n in found.items() if n > LIMIT}
    assert not over, f"functions over {LIMIT} parameters (pass a settings object or flag dataclass): {over}"


def _commands(group: typer.Typer, prefix: str = ""):
    for info in group.registered_commands:
        yield f"{prefix}{info.name or info.callback.__name__}", info.callback
    for sub in group.registered_groups:
        yield from _commands(sub.typer_instance, f"{prefix}{sub.name} ")


@pytest.mark.parametrize("name,callback", list(_commands(app)), ids=lambda v: v if isinstance(v, str) else "")
def test_each_command_function_takes_at_most_eight_parameters(name, callback):
    written = inspect.unwrap(callback)
    assert len(inspect.signature(written).parameters) <= LIMIT, name


def test_the_walk_counts_what_it_should():
    tree = ast.parse("def f(self, a, /, b, *c, d, **e): pass\nclass K:\n    def g(cls, a): pass")
    counts = [_count(n) for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    assert counts == [3, 1]
