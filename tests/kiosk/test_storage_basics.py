"""The database: migrations step user_version, WAL and FULL sync, one row per submission id."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kiosk.storage.db import StorageError, atomic, connect, migrate, schema_version
from kiosk.storage.migrations import MIGRATIONS


def test_new_database_is_migrated_with_wal_and_full_sync(tmp_path: Path) -> None:
    conn = connect(tmp_path / "k.db")
    assert schema_version(conn) == len(MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_migrations_resume_from_the_stored_version(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "k.db", isolation_level=None)
    calls: list[int] = []
    steps = [lambda c: calls.append(1), lambda c: calls.append(2)]
    assert migrate(conn, steps[:1]) == 1
    assert migrate(conn, steps) == 2
    assert calls == [1, 2]


def test_a_database_from_a_newer_kiosk_is_refused_not_downgraded(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "k.db", isolation_level=None)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    with pytest.raises(StorageError, match="newer version"):
        migrate(conn)


def test_atomic_rolls_back_everything_on_error(tmp_path: Path) -> None:
    conn = connect(tmp_path / "k.db")
    conn.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(RuntimeError):
        with atomic(conn):
            conn.execute("INSERT INTO t VALUES (1)")
            with atomic(conn):
                conn.execute("INSERT INTO t VALUES (2)")
            raise RuntimeError("boom")
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 0


def test_a_submission_id_is_a_random_version_4_uuid() -> None:
    import uuid

    from kiosk.storage.submissions import new_submission_id

    ids = [new_submission_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for made in ids:
        parsed = uuid.UUID(made)
        assert parsed.hex == made and parsed.version == 4 and parsed.variant == uuid.RFC_4122
