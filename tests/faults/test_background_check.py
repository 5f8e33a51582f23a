"""A large database is checked beside the first screen, and a damaged one is still never written to."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import pytest

from kiosk.system import health
from kiosk import services
from kiosk.system.health import IntegrityCheck
from test_disk_and_damage import _damage


def _fill(conn: sqlite3.Connection) -> None:
    for number in range(60):
        conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (f"filler{number}", '"' + "x" * 900 + '"'))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def test_the_kiosk_connection_opens_before_a_slow_check_ends_and_writes_wait_for_it(
        installed: sqlite3.Connection, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(installed)
    release = threading.Event()
    real_check = health.check_database

    def slow_check(path: Path) -> health.DatabaseHealth:
        release.wait(30)  # stands for a cold read of a large file
        return real_check(path)

    monkeypatch.setattr(health, "check_database", slow_check)
    conn, integrity = services.open_kiosk_database(data_dir, background_above=0)
    assert integrity is not None and integrity.result(timeout=0) is None, "opened while the check is still running"
    assert conn.execute("SELECT count(*) FROM settings").fetchone()[0] > 0, "reads need no verdict"
    wrote = threading.Event()

    def write() -> None:
        conn.execute("INSERT INTO settings (key, value) VALUES ('after', '1')")
        wrote.set()

    writer = threading.Thread(target=write)
    writer.start()
    assert not wrote.wait(0.5), "a write waits for the verdict"
    release.set()
    writer.join(30)
    assert wrote.is_set()
    conn.close()


@pytest.mark.parametrize("how", ["truncated", "byte-flipped"])
def test_a_damaged_large_database_refuses_writes_and_the_smoke_start_says_so(
        installed: sqlite3.Connection, data_dir: Path, how: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from kiosk.cli import main

    _fill(installed)
    db = data_dir / "kiosk.db"
    _damage(db, how)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    integrity = IntegrityCheck(db)
    assert not integrity.result(30).ok
    monkeypatch.setattr(services, "BACKGROUND_CHECK_BYTES", 0)
    code = main(["--data-dir", str(data_dir), "--smoke", "--windowed"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "damaged" in err and "will not write" in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
