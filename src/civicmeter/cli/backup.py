"""``civicmeter backup`` and ``civicmeter restore``: the database and uploaded files in one archive.

For the embedded SQLite database only; a PostgreSQL installation is backed up with pg_dump, and
these commands say exactly how. Exporting responses and importing them elsewhere is not a backup:
users, roles, statuses and history would be lost.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ._django import setup_django
from ._errors import user_errors
from ._flags import input_file

POSTGRES_HELP = """This installation uses PostgreSQL ({name}); back it up with PostgreSQL's own tools.
Back up (the database, then the uploaded files):
  pg_dump --format=custom --file=civicmeter.dump "$DATABASE_URL"
  tar -czf civicmeter-media.tar.gz -C "$CIVICMETER_HOME" media
Restore into a new, empty database (stop the server first):
  createdb civicmeter_restored
  pg_restore --no-owner --exit-on-error --dbname=postgres://USER@HOST:5432/civicmeter_restored civicmeter.dump
  tar -xzf civicmeter-media.tar.gz -C "$CIVICMETER_HOME"
Then point DATABASE_URL at the restored database. See docs/operations.md."""


def _installation() -> tuple[Path, Path] | None:
    """(database file, media folder) for SQLite; None after printing the PostgreSQL commands."""
    setup_django()
    from django.conf import settings

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        typer.echo(POSTGRES_HELP.format(name=database.get("NAME", "")), err=True)
        raise typer.Exit(code=2)
    return Path(database["NAME"]), Path(settings.MEDIA_ROOT)


def backup(
    out: Path = typer.Option(..., "--out", help="The archive to write (.tar.gz)."),
) -> None:
    """Back up the SQLite database (an online, consistent copy) and the uploaded files."""
    from . import _backup

    db, media = _installation()
    with user_errors(_backup.BackupError):
        manifest = _backup.backup(db, media, out)
    rows = sum(manifest.tables.values())
    typer.echo(
        f"Backed up {db.name} ({len(manifest.tables)} tables, {rows} rows) and {len(manifest.media)} "
        f"uploaded files to {out}"
    )


def restore(
    archive: Path = input_file("An archive from `civicmeter backup`."),
    force: bool = typer.Option(
        False,
        "--force",
        help="Replace an installation that is in use (its files are moved aside, not deleted).",
    ),
) -> None:
    """Restore a backup into CIVICMETER_HOME (stop the server first)."""
    from . import _backup

    db, media = _installation()
    with user_errors(_backup.BackupError):
        manifest, aside = _backup.restore(archive, db, media, force=force)
    typer.echo(
        f"Restored the backup of {manifest['created_at']} ({sum(manifest['tables'].values())} rows, "
        f"{len(manifest['media'])} uploaded files) into {db.parent}"
    )
    if aside:
        typer.echo(f"The replaced database and uploads were moved to {aside}")
    typer.echo("`civicmeter serve` applies any newer migrations when it starts.")


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
