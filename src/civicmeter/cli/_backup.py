"""Back up and restore an embedded (SQLite) installation: the database and the uploaded files.

One ``.tar.gz`` holds ``manifest.json``, ``database.sqlite3`` and ``media/``. The database copy is
taken with SQLite's online backup API, so it is consistent even while the server keeps writing; the
manifest records each file's SHA-256, which restore checks before touching anything.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

FORMAT = "civicmeter-backup/1"
DATABASE_MEMBER = "database.sqlite3"
#: Tables a freshly migrated, never used installation already fills.
BOOKKEEPING_TABLES = {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}


class BackupError(Exception):
    """A problem the operator must fix; the message says what and how."""


@dataclass(frozen=True)
class Manifest:
    created_at: str
    database_sha256: str
    tables: dict[str, int]
    media: dict[str, str]  # relative path -> sha256

    def to_json(self) -> bytes:
        return json.dumps(
            {"format": FORMAT, "created_at": self.created_at, "database_sha256": self.database_sha256,
             "tables": self.tables, "media": self.media},
            indent=2, sort_keys=True,
        ).encode()  # fmt: skip


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _row_counts(db: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        query = "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
        names = [r[0] for r in conn.execute(query)]
        return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}  # noqa: S608


def _media_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []


def backup(db: Path, media: Path, out: Path) -> Manifest:
    """Write a consistent copy of ``db`` and every file under ``media`` to the archive ``out``."""
    if not db.is_file():
        raise BackupError(f"There is no database at {db}: nothing to back up (check CIVICMETER_HOME).")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as tmp:
        copy = Path(tmp) / DATABASE_MEMBER
        source, target = sqlite3.connect(db), sqlite3.connect(copy)
        try:
            source.backup(target)  # one step: a single consistent snapshot, writers only wait
        finally:
            target.close()
            source.close()
        files = _media_files(media)
        manifest = Manifest(
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            database_sha256=_sha256(copy),
            tables=_row_counts(copy),
            media={p.relative_to(media).as_posix(): _sha256(p) for p in files},
        )
        partial = Path(tmp) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            data = manifest.to_json()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(datetime.now(UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(copy, DATABASE_MEMBER)
            for path in files:
                tar.add(path, "media/" + path.relative_to(media).as_posix())
        os.replace(partial, out)  # the archive appears whole or not at all
    return manifest


def is_in_use(db: Path, media: Path) -> bool:
    """True when the installation holds anything beyond what a fresh ``migrate`` creates."""
    if _media_files(media):
        return True
    if not db.is_file() or db.stat().st_size == 0:
        return False
    counts = _row_counts(db)
    return any(n for table, n in counts.items() if table not in BOOKKEEPING_TABLES)


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile("manifest.json")
            manifest = json.loads(member.read()) if member else None
    except (tarfile.TarError, KeyError, OSError, json.JSONDecodeError) as exc:
        raise BackupError(f"{archive} is not a Civicmeter backup ({exc}).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a Civicmeter backup of format {FORMAT}.")
    return manifest


def restore(archive: Path, db: Path, media: Path, *, force: bool) -> tuple[dict, Path | None]:
    """Replace the installation's database and media with the archive's, after checking every file.

    Refuses to overwrite an installation in use unless ``force``; then the replaced database and media
    are moved aside (returned path), never deleted.
    """
    manifest = read_manifest(archive)
    if is_in_use(db, media) and not force:
        raise BackupError(
            f"This installation is not empty (database {db}, uploads {media}). Restoring would replace "
            "it. Stop the server, back it up first if needed, then run the restore again with --force."
        )
    db.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=db.parent, prefix=".restore-") as tmp:
        staging = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(staging, filter="data")  # refuses absolute paths, .. and links out
        _verify(manifest, staging)
        aside = _move_aside(db, media) if force else None
        os.replace(staging / DATABASE_MEMBER, db)
        if (staging / "media").is_dir():
            shutil.move(staging / "media", media)
        else:
            media.mkdir(parents=True, exist_ok=True)
    return manifest, aside


def _verify(manifest: dict, staging: Path) -> None:
    database = staging / DATABASE_MEMBER
    if not database.is_file() or _sha256(database) != manifest["database_sha256"]:
        raise BackupError("The backup's database does not match its manifest: the archive is damaged.")
    for name, digest in manifest["media"].items():
        path = staging / "media" / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"The backup's uploaded file {name} is missing or damaged.")


def _move_aside(db: Path, media: Path) -> Path | None:
    """Move the current database (with its WAL files) and media into ``replaced-<time>/``."""
    present = [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), media) if p.exists()]
    if not present:
        return None
    aside = db.parent / f"replaced-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    aside.mkdir()
    for path in present:
        shutil.move(path, aside / path.name)
    return aside
