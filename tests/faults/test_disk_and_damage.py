"""A full disk, a read-only or missing data folder, a truncated or byte-flipped database: each gets a clear answer."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE
from world_readable import world_readable
from kiosk.content import Content
from kiosk.cli import main
from kiosk.system.health import check_database
from kiosk.system.paths import content_dir
from kiosk.staff import vault
from kiosk.staff.data import SealedStaffData
from kiosk.storage.db import connect

HERE = Path(__file__).parent
KIOSK = [sys.executable, "-m", "kiosk"]


def smoke(data_dir: Path, user: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([*KIOSK, "--data-dir", str(data_dir), "--smoke"], capture_output=True, text=True, timeout=120,
                          env=env, user=user, cwd=Path(__file__).resolve().parents[2])


@pytest.mark.slow
def test_full_disk_at_submit_keeps_the_answers_and_a_retry_saves_once(installed: sqlite3.Connection, data_dir: Path,
                                                                      content: Content) -> None:
    installed.close()
    child = subprocess.run([sys.executable, str(HERE / "disk_full_child.py"), str(data_dir), "Fulldisk Patient"],
                           capture_output=True, text=True, timeout=300)
    lines = child.stdout.split()
    assert child.returncode == 0, child.stdout + child.stderr
    assert lines[:3] == ["NOT_SAVED", "STILL_AT_REVIEW", "SAVED"], child.stdout
    conn = connect(data_dir / "kiosk.db")
    staff = SealedStaffData(conn, vault.unlock(conn, ADMIN, ADMIN_PASSPHRASE), content, data_dir)
    stored = staff.submission(lines[3])
    assert stored.answers[content.manifest.identity.name].startswith("Fulldisk Patient")
    assert conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == 1
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncated":
        path.write_bytes(bytes(data[: len(data) // 3]))
    else:
        for offset in range(4096 + 100, len(data), 997):  # flip bytes on every page past the header
            data[offset] ^= 0xFF
        path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["truncated", "byte-flipped"])
def test_a_damaged_database_is_kept_untouched_and_explained(installed: sqlite3.Connection, data_dir: Path, how: str) -> None:
    for number in range(60):
        installed.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (f"filler{number}", '"' + "x" * 900 + '"'))
    installed.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    installed.close()
    db = data_dir / "kiosk.db"
    _damage(db, how)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    health = check_database(db)
    assert not health.ok and "damaged" in health.staff_message and "kiosk.db.damaged" in health.staff_message
    result = smoke(data_dir)
    assert result.returncode == 0, result.stderr  # patients get the out-of-service screen, not a crash
    assert "damaged" in result.stderr and "will not write" in result.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def import_everything() -> None:
    """Every module of the core and the kiosk window, so nothing is read from the checkout once root is dropped."""
    import importlib
    import pkgutil

    import kiosk

    for module in pkgutil.walk_packages(kiosk.__path__, "kiosk."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    for name in ("ui.app", "ctypes"):  # ctypes: the start-up hardening loads it when it runs
        importlib.import_module(name)


@pytest.fixture
def as_nobody(capsys):
    """Run the kiosk's start-up as an ordinary user: root ignores file permissions, so drop to `nobody` meanwhile."""

    def start(folder: Path) -> tuple[int, str]:
        import_everything()  # as root: the checkout may be where `nobody` cannot read
        with world_readable(content_dir()) as (content,):
            dropped = os.geteuid() == 0
            if dropped:
                os.seteuid(65534)
            try:
                code = main(["--data-dir", str(folder), "--content", str(content), "--smoke"])
            finally:
                if dropped:
                    os.seteuid(0)
        return code, capsys.readouterr().err

    return start


@pytest.fixture
def open_tmp():
    """A folder an ordinary user can reach (pytest's own tmp folders are owner-only)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="kiosk-perm-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755)
    import shutil

    shutil.rmtree(folder)


def test_a_read_only_data_folder_gets_a_clear_message(open_tmp: Path, as_nobody) -> None:
    folder = open_tmp / "readonly"
    folder.mkdir()
    os.chmod(folder, 0o555)
    code, err = as_nobody(folder)
    assert code == 2
    assert f"The kiosk cannot write in {folder}" in err and "--data-dir" in err and "Traceback" not in err


def test_a_data_folder_that_cannot_be_created_gets_a_clear_message(open_tmp: Path, as_nobody) -> None:
    parent = open_tmp / "locked"
    parent.mkdir()
    os.chmod(parent, 0o555)
    code, err = as_nobody(parent / "kiosk-data")
    assert code == 2
    assert f"{parent / 'kiosk-data'} does not exist and cannot be created" in err
