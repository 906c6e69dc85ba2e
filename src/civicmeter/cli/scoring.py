"""``civicmeter score`` and ``civicmeter results export``: compute, store, export wave scores.

Both call the web app's service and selectors, so a run from the shell is the same as the web button
(recorded with no user: the operator at the shell is the system actor).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer

from ._django import setup_django
from ._errors import user_errors
from ._lookup import PROGRAMME_OPTION, WAVE_OPTION, NotFound, find_wave

results_app = typer.Typer(help="Read stored results.", no_args_is_help=True)


def score(
    wave: str = WAVE_OPTION,
    programme: str | None = PROGRAMME_OPTION,
) -> None:
    """Score the wave's submitted and validated responses and store them as a new run."""
    setup_django()
    from django.core.exceptions import ValidationError
    from rich.console import Console
    from rich.table import Table

    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.results import services

    with user_errors(NotFound, ValidationError):
        chosen = find_wave(wave, programme)
        with Console(stderr=True).status(f"Scoring wave {chosen.code} and its rank intervals"):
            run = services.scores_compute(actor=SYSTEM, wave=chosen)
    scores = list(run.scores.select_related("city"))  # this run's own scores, best rank first
    counts = Counter(s.score_class for s in scores)
    typer.echo(
        f"{chosen.programme.slug} {chosen.code}: scored {run.n} cities with {run.recipe} "
        f"{run.recipe_version} (sha256 {run.recipe_sha256[:12]}), run {run.pk}, "
        f"Civicmeter {run.code_version}"
    )
    shares = ", ".join(f"{code} {count} ({count / run.n:.0%})" for code, count in counts.items())
    tiers = Counter(s.tier for s in scores if s.tier)
    if tiers:
        typer.echo("tiers: " + ", ".join(f"{code} {count}" for code, count in tiers.items()))
    if run.n:
        typer.echo(f"classes: {shares}")
    for note in run.notes:
        typer.echo(f"note: {note}")
    table = Table("rank", "city", "index", "class", "p5-p95", title="Top 10")
    for row in scores[:10]:
        table.add_row(
            str(row.rank),
            row.city.name,
            f"{row.index:g}",
            row.score_class,
            f"{row.rank_p5:.0f}-{row.rank_p95:.0f}",
        )
    Console().print(table)


@results_app.command("export")
def export(
    wave: str = WAVE_OPTION,
    out: Path = typer.Option(..., "--out", help="CSV file to write."),  # noqa: B008 - typer idiom
    programme: str | None = PROGRAMME_OPTION,
) -> None:
    """Write the latest results of the wave, one row per city, to a CSV file (for an assessment
    wave: data-use index, class, tier and the share of each practice's criteria accepted)."""
    setup_django()
    from civicmeter.web.results import selectors

    with user_errors(NotFound, OSError):
        chosen = find_wave(wave, programme)
        if chosen.instrument.kind == "assessment":  # index, class, tier and practice shares
            from civicmeter.web.assessment.results_table import export_csv

            text = export_csv(chosen)
        else:
            text = selectors.export_csv(chosen)
        out.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {text.count(chr(10)) - 1} cities to {out}")


def register(app: typer.Typer) -> None:
    app.command("score")(score)
    app.add_typer(results_app, name="results")
