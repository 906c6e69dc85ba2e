"""The ``civicmeter`` command.

Each sub-module owns one area and exposes ``register(app)``; commands stay thin and call the same
domain functions or web services the web interface calls.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="civicmeter",
    help="Measure, benchmark and improve city governments' innovation and data-use capacity.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    # Plain help: rendering it with rich costs ~0.2 s of start-up, more than everything else together,
    # and a command people run often must start fast (issue 9: `civicmeter --help` under 0.3 s).
    rich_markup_mode=None,
)

# One module per area; each defines register(app).
COMMAND_MODULES = (
    "platform", "instrument", "responses", "index", "index_audit", "outcomes", "analysis", "scoring",
    "wellbeing", "backup", "waves", "assessment", "programme", "outcome_names", "publish",
    "tokens", "goals", "recommendations", "agenda",
)

for _name in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}").register(app)


def main() -> None:
    app()
