"""`civicmeter backup` / `restore`: an online, consistent SQLite copy plus uploads, checked on restore."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import pytest

from civicmeter.cli import _backup

CLI = str(Path(sys.executable).with_name("civicmeter"))


def _installation(root: Path, rows: int = 10) -> tuple[Path, Path]:
    db, media = root / "civicmeter.sqlite3", root / "media"
    root.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO django_migrations (name) VALUES ('0001_initial')")
        conn.execute("CREATE TABLE pair (id INTEGER PRIMARY KEY, batch INTEGER)")
        conn.executemany("INSERT INTO pair (batch) VALUES (?)", [(i // 2,) for i in range(rows)])
    (media / "evidence" / "2020").mkdir(parents=True)
    (media / "evidence" / "2020" / "plan.pdf").write_bytes(b"%PDF-1.4 plan")
    return db, media


def _pairs(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute("SELECT COUNT(*) FROM pair").fetchone()[0]


def test_round_trip_restores_the_database_and_the_uploads(tmp_path):
    db, media = _installation(tmp_path / "old")
    archive = tmp_path / "backup.tar.gz"
    manifest = _backup.backup(db, media, archive)
    assert manifest.tables["pair"] == 10 and list(manifest.media) == ["evidence/2020/plan.pdf"]
    new_db, new_media = tmp_path / "new" / "civicmeter.sqlite3", tmp_path / "new" / "media"
    restored, aside = _backup.restore(archive, new_db, new_media, force=False)
    assert aside is None and restored["tables"]["pair"] == 10
    assert _pairs(new_db) == 10
    assert (new_media / "evidence" / "2020" / "plan.pdf").read_bytes() == b"%PDF-1.4 plan"


def test_the_copy_is_consistent_while_a_writer_keeps_committing(tmp_path):
    db, media = _installation(tmp_path, rows=0)
    stop = threading.Event()

    def writer():
        with sqlite3.connect(db, timeout=30) as conn:
            batch = 0
            while not stop.is_set():
                with conn:  # each transaction adds exactly two rows
                    conn.executemany("INSERT INTO pair (batch) VALUES (?)", [(batch,), (batch,)])
                batch += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        counts = []
        for n in range(3):
            _backup.backup(db, media, tmp_path / f"b{n}.tar.gz")
            with tarfile.open(tmp_path / f"b{n}.tar.gz") as tar:
                tar.extract(_backup.DATABASE_MEMBER, tmp_path / f"x{n}", filter="data")
            counts.append(_pairs(tmp_path / f"x{n}" / _backup.DATABASE_MEMBER))
    finally:
        stop.set()
        thread.join()
    assert all(c % 2 == 0 for c in counts), counts  # never half a transaction
    assert counts[-1] > 0


def test_restore_refuses_an_installation_in_use_without_force_and_keeps_it_aside_with_force(tmp_path):
    db, media = _installation(tmp_path / "old", rows=4)
    archive = tmp_path / "backup.tar.gz"
    _backup.backup(db, media, archive)
    live_db, live_media = _installation(tmp_path / "live", rows=6)
    with pytest.raises(_backup.BackupError, match="not empty.*--force"):
        _backup.restore(archive, live_db, live_media, force=False)
    assert _pairs(live_db) == 6
    _, aside = _backup.restore(archive, live_db, live_media, force=True)
    assert _pairs(live_db) == 4
    assert _pairs(aside / "civicmeter.sqlite3") == 6 and (aside / "media" / "evidence").is_dir()


def test_a_freshly_migrated_installation_counts_as_empty(tmp_path):
    db, media = _installation(tmp_path, rows=0)
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    assert not _backup.is_in_use(db, media)


def test_a_damaged_archive_is_refused_before_anything_changes(tmp_path):
    db, media = _installation(tmp_path / "old")
    archive = tmp_path / "backup.tar.gz"
    _backup.backup(db, media, archive)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else b""
            if member.name.endswith("plan.pdf"):
                data = b"tampered"
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    target = tmp_path / "new"
    with pytest.raises(_backup.BackupError, match="evidence/2020/plan.pdf is missing or damaged"):
        _backup.restore(damaged, target / "civicmeter.sqlite3", target / "media", force=False)
    assert not (target / "civicmeter.sqlite3").exists()
    with pytest.raises(_backup.BackupError, match="not a Civicmeter backup"):
        _backup.restore(db, target / "civicmeter.sqlite3", target / "media", force=False)


def _cli_env(home: Path, **extra: str) -> dict[str, str]:
    skip = {"CIVICMETER_TESTING", "DEBUG", "DATABASE_URL", "EMAIL_BACKEND"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    return {**env, "CIVICMETER_HOME": str(home), "SECRET_KEY": "backup-test-" + "k" * 50, **extra}


def test_the_commands_round_trip_an_installation(tmp_path):
    old = tmp_path / "old"
    _installation(old)
    out = tmp_path / "site.tar.gz"
    run = lambda *args, home: subprocess.run(  # noqa: E731, S603
        [CLI, *args], env=_cli_env(home), capture_output=True, text=True, timeout=120
    )
    made = run("backup", "--out", str(out), home=old)
    assert made.returncode == 0, made.stderr
    assert "1 uploaded files" in made.stdout
    new = tmp_path / "new"
    restored = run("restore", str(out), home=new)
    assert restored.returncode == 0, restored.stderr
    assert _pairs(new / "civicmeter.sqlite3") == 10
    again = run("restore", str(out), home=new)
    assert again.returncode == 2 and "--force" in again.stderr


def test_postgresql_installations_are_told_the_pg_dump_commands(tmp_path):
    result = subprocess.run(  # noqa: S603
        [CLI, "backup", "--out", str(tmp_path / "x.tar.gz")],
        env=_cli_env(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/h2_nothing"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "pg_dump --format=custom" in result.stderr and "pg_restore" in result.stderr
    assert not (tmp_path / "x.tar.gz").exists()
