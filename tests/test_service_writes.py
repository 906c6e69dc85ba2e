"""Every write to the database goes through a service (issue 9.3), read from the syntax tree.

Services (``web/<app>/services.py`` or a module inside a ``services/`` package) check permissions,
hold the transaction and write the audit record; a write anywhere else skips all three. This test
reads every module of ``src/civicmeter`` with ``ast`` and flags, outside services, migrations and
``civicmeter/testing.py`` (the shipped test helpers), every call that writes a model:

* ``bulk_create``, ``bulk_update``, ``get_or_create``, ``update_or_create``, ``create_user`` and
  ``create_superuser``: these names belong to Django managers and querysets only, so any call counts;
* ``.create(...)``, ``.update(...)`` and ``.delete(...)`` when the receiver chain goes through
  ``.objects`` or a queryset method (``X.objects.create``, ``X.objects.filter(...).update``,
  ``qs.select_for_update().delete``), and also when called with keyword arguments only on an
  attribute (``wave.invitations.create(city=...)``, ``response.answers.update(value="")``: a related
  manager). A dict's or a set's ``update`` on a plain name (``row.update(x=1)``, ``seen.update(s)``)
  and a progress bar's ``update(task, advance=1)`` or ``update("text")`` are not flagged;
* ``.save()`` and ``.delete()`` with no positional argument: a model instance's save and delete
  take keywords only (``save(update_fields=[...])``), while a workbook's ``save(buffer)`` or a
  storage's ``delete(name)`` take a positional one.

A module that still writes outside services must be listed in ``PENDING`` with the reason; the list
may only shrink (an entry that no longer writes fails until it is removed).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "civicmeter"

#: Names only Django's managers and querysets have: every call is a write.
ALWAYS = frozenset(
    {"bulk_create", "bulk_update", "get_or_create", "update_or_create", "create_user", "create_superuser"}
)
#: Names shared with other types: a write when the receiver is a manager or queryset (see docstring).
CHAINED = frozenset({"create", "update", "delete"})
#: Receiver names that mark a manager or a queryset.
QUERYSET = frozenset(
    {
        "objects",
        "filter",
        "exclude",
        "all",
        "select_for_update",
        "select_related",
        "prefetch_related",
        "order_by",
        "distinct",
        "using",
        "none",
        "annotate",
    }
)

#: Modules that still write outside a service, each with the reason and the issue that moves it.
PENDING: dict[str, str] = {}


def allowed(path: Path) -> bool:
    relative = path.relative_to(PACKAGE)
    return (
        path.name == "services.py"
        or "services" in relative.parts[:-1]
        or "migrations" in relative.parts
        or relative.as_posix() == "testing.py"
    )


def _receiver_names(node: ast.expr) -> list[str]:
    """The attribute and call names along a receiver chain: ``A.objects.filter(x)`` gives
    ``["filter", "objects", "A"]``."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            if isinstance(node, ast.Name):
                names.append(node.id)
            return names


def is_write(call: ast.Call) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    name = func.attr
    if name in ALWAYS:
        return True
    if name in ("save", "delete") and not call.args:
        return True
    if name in CHAINED:
        if QUERYSET & set(_receiver_names(func.value)):
            return True
        return bool(call.keywords) and not call.args and isinstance(func.value, ast.Attribute)
    return False


def writes_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        f"{path.relative_to(PACKAGE)}:{node.lineno}: .{node.func.attr}(...)"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and is_write(node)
    ]


def test_no_module_outside_services_writes_a_model():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if allowed(path) or path.relative_to(PACKAGE).as_posix() in PENDING:
            continue
        found += writes_in(path)
    assert not found, (
        "These write models outside a service; move each write into the app's services module "
        "(or a module of its services/ package), which checks permissions and holds the "
        "transaction:\n" + "\n".join(found)
    )


def test_pending_modules_still_write_so_the_list_only_shrinks():
    for module, reason in PENDING.items():
        assert reason.strip(), module
        assert writes_in(PACKAGE / module), f"{module} no longer writes: remove it from PENDING"


def _calls(source: str) -> list[bool]:
    return [is_write(node) for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)]


def test_the_rule_tells_model_writes_from_dict_set_and_progress_calls():
    flagged = (
        "Wave.objects.create(code='x')",
        "Wave.objects.filter(pk=1).update(status='open')",
        "Answer.objects.select_for_update().get(pk=1).delete()",
        "wave.save(update_fields=['status'])",
        "response.delete()",
        "wave.invitations.create(city=city, email='a@b.c')",
        "response.answers.update(value='')",
        "User.objects.bulk_create(users)",
        "Role.objects.get_or_create(user=u)",
        "qs.bulk_update(rows, ['x'])",
    )
    for source in flagged:
        assert any(_calls(source)), source
    ignored = (
        "counts.update(other)",
        "seen.update({1, 2})",
        "progress.update(task, advance=1)",
        "status.update('Loading')",
        "book.save(buffer)",
        "storage.delete(name)",
        "merged.update(row.answers)",
        "entry.update(Action='winsorise', Winsorised=0)",
    )
    for source in ignored:
        assert not any(_calls(source)), source
