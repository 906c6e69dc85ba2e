"""The layers hold, read from the import graph, and docs/architecture.md is a true map of the tree.

The layer rule (domain packages never reach Django, the web or the CLI) is checked on the graph of
every import statement in ``src/civicmeter`` read with ``ast``: ``import x``, ``from x import y``,
relative imports, ``importlib.import_module("...")`` and ``__import__("...")`` with a literal, at any
depth (a lazy import inside a function counts too), followed transitively through civicmeter's own
modules. A regex on the text missed ``from civicmeter.web ...`` and ``importlib``.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
PACKAGE = SRC / "civicmeter"
DOC = ROOT / "docs" / "architecture.md"

#: Pure packages and modules: usable from a notebook, never touching Django, the web or the CLI.
DOMAIN = (
    "civicmeter.instruments",
    "civicmeter.indexing",
    "civicmeter.scoring",
    "civicmeter.outcomes",
    "civicmeter.analysis",
    "civicmeter.demo",
    "civicmeter.narrative",
    "civicmeter.charts",
    "civicmeter.performance",
    "civicmeter.params",
    "civicmeter.provenance",
    "civicmeter.results_protocol",
    "civicmeter.tabular_files",
    "civicmeter.yaml_schema",
)
FORBIDDEN = ("django", "civicmeter.web", "civicmeter.cli")
#: What the ``civicmeter`` command may not load just to start (``--help`` stays fast).
HEAVY = ("pandas", "numpy", "statsmodels", "scipy", "pyxform", "django")


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _literal_import(node: ast.Call) -> str | None:
    """The module named by ``importlib.import_module("x")`` / ``import_module("x")`` /
    ``__import__("x")`` with a string literal, else None."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in ("import_module", "__import__") or not node.args:
        return None
    first = node.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def imports_of(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module name ``source`` (the text of ``module``) imports, in any form, at any depth.

    For ``from x import y`` both ``x`` and ``x.y`` are returned, since ``y`` may be a submodule.
    """
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base = ".".join(base_parts[: len(base_parts) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names if alias.name != "*")
        elif isinstance(node, ast.Call):
            name = _literal_import(node)
            if name is not None:
                if name.startswith("."):
                    level = len(name) - len(name.lstrip("."))
                    base_parts = package.split(".")
                    base = ".".join(base_parts[: len(base_parts) - level + 1])
                    rest = name.lstrip(".")
                    name = f"{base}.{rest}" if rest else base
                found.add(name)
    return found


@cache
def import_graph() -> dict[str, set[str]]:
    """civicmeter module -> every module it imports (civicmeter's own resolved to real modules)."""
    sources = {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}
    graph: dict[str, set[str]] = {}
    for name, path in sources.items():
        raw = imports_of(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")
        edges = set()
        for target in raw:
            if not target.startswith("civicmeter"):
                edges.add(target)
                continue
            # importing a.b.c runs a/__init__ and a/b/__init__ too
            parts = target.split(".")
            edges.update(
                ".".join(parts[:k]) for k in range(1, len(parts) + 1) if ".".join(parts[:k]) in sources
            )
        graph[name] = edges - {name}
    return graph


def forbidden_paths(start: str, graph: dict[str, set[str]]) -> list[list[str]]:
    """Import chains from ``start`` to a forbidden module, through civicmeter's modules."""
    chains, seen, stack = [], {start}, [[start]]
    while stack:
        chain = stack.pop()
        for target in sorted(graph.get(chain[-1], ())):
            if _within(target, FORBIDDEN):
                chains.append([*chain, target])
            elif target in graph and target not in seen:
                seen.add(target)
                stack.append([*chain, target])
    return chains


def test_the_import_reader_sees_every_form():
    source = """
import django.db
from civicmeter.web.results import models
from . import sibling
from ..web import views
import importlib
def later():
    importlib.import_module("civicmeter.cli.index")
    __import__("django.conf")
    from civicmeter.indexing.tree import aggregate_tree
"""
    found = imports_of(source, "civicmeter.scoring.engine")
    assert {
        "django.db",
        "civicmeter.web.results",
        "civicmeter.web.results.models",
        "civicmeter.scoring",
        "civicmeter.scoring.sibling",
        "civicmeter.web.views",
        "civicmeter.cli.index",
        "django.conf",
        "civicmeter.indexing.tree",
    } <= found
    assert "civicmeter.scoring.sub" in imports_of("from .sub import x", "civicmeter.scoring", True)


def test_a_transitive_import_of_django_is_found():
    graph = {"civicmeter.a": {"civicmeter.b"}, "civicmeter.b": {"django.db"}}
    assert forbidden_paths("civicmeter.a", graph) == [["civicmeter.a", "civicmeter.b", "django.db"]]


def test_domain_packages_never_reach_django_the_web_or_the_cli():
    graph = import_graph()
    domain = [m for m in graph if _within(m, DOMAIN)]
    assert len(domain) > 60
    offending = {m: forbidden_paths(m, graph) for m in domain}
    assert {m: chains for m, chains in offending.items() if chains} == {}


def test_starting_the_cli_imports_no_heavy_library():
    """``civicmeter --help`` must answer fast: commands import the domain when they run."""
    code = (
        "import sys, civicmeter.cli\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"


def test_every_command_answers_help_without_loading_the_domain():
    """Each command's options are readable (no annotation needs a lazily imported name) and showing
    its help still loads no heavy library."""
    code = (
        "import sys, typer.main, civicmeter.cli\n"
        "def walk(cmd, ctx):\n"
        "    yield ctx.command_path\n"
        "    cmd.get_help(ctx)\n"
        "    for name, sub in sorted(getattr(cmd, 'commands', {}).items()):\n"
        "        yield from walk(sub, sub.make_context(name, [], parent=ctx, resilient_parsing=True))\n"
        "root = typer.main.get_command(civicmeter.cli.app)\n"
        "paths = list(walk(root, root.make_context('civicmeter', [], resilient_parsing=True)))\n"
        f"print(len(paths), sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    count, heavy = result.stdout.strip().splitlines()[-1].split(" ", 1)  # after the help texts
    assert int(count) > 20 and heavy == "[]"


#: Domain classes still named like a Django model; this list may only shrink (issue 9, names).
SHARED_NAMES_TO_RENAME: set[str] = set()


def _class_names(paths) -> set[str]:
    return {
        node.name
        for path in paths
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.ClassDef)
    }


def test_a_domain_class_and_a_model_never_share_a_name():
    sources = {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}
    domain = _class_names(p for m, p in sources.items() if _within(m, DOMAIN))
    models = _class_names((PACKAGE / "web").glob("*/models.py"))
    assert len(models) > 10
    assert domain & models == SHARED_NAMES_TO_RENAME


# --- the architecture doc ------------------------------------------------------------------------


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_path_in_the_architecture_doc_exists():
    paths = {p for p in re.findall(r"`([^`\s]+)`", _doc()) if "/" in p and not p.startswith("/")}
    assert len(paths) > 20
    missing = sorted(p for p in paths if not (ROOT / p.rstrip("/")).exists())
    assert missing == []


def named_modules(text: str) -> set[str]:
    """Module paths the doc names: a full path in backticks, a bare ``name.py`` in a table row whose
    first cell is a folder (meaning that folder's module), or a web app's Django role module listed
    in the "Each app keeps" convention (meaning that module in every app)."""
    named = {p for p in re.findall(r"`(src/[^`\s]+\.py)`", text)}
    for line in text.splitlines():
        row = re.match(r"\|\s*`(src/civicmeter/[^`]+/)`\s*\|", line)
        if row:
            named.update(row.group(1) + n for n in re.findall(r"`([\w]+\.py)`", line))
    convention = re.search(r"^Each app keeps.*?(?:\n\n|\Z)", text, re.S | re.M)
    roles = set(re.findall(r"`([\w]+\.py)`", convention.group(0))) if convention else set()
    for app in (PACKAGE / "web").iterdir():
        if (app / "apps.py").exists():
            named.update(f"src/civicmeter/web/{app.name}/{role}" for role in roles)
    return named


def test_the_doc_reader_understands_rows_and_the_web_convention():
    text = (
        "| `src/civicmeter/indexing/` | steps (`tree.py`) |\n\n"
        "Each app keeps `models.py` and\n`urls.py`.\n"
    )
    named = named_modules(text)
    assert "src/civicmeter/indexing/tree.py" in named
    assert "src/civicmeter/web/results/urls.py" in named
    assert "src/civicmeter/indexing/fit.py" not in named


def test_the_architecture_doc_names_every_module():
    modules = {
        p.relative_to(ROOT).as_posix()
        for p in PACKAGE.rglob("*.py")
        if "migrations" not in p.parts and p.name != "__init__.py"
    }
    assert len(modules) > 100
    assert sorted(modules - named_modules(_doc())) == []
