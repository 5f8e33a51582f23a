"""`naltrexone-kiosk console --database URL` on a front-desk PC with no patient screens: only the staff console, in
a window, signing in against the clinic's accounts and listing what two other stations stored (a real PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE, ROOT
from kiosk.cli import main
from kiosk.content import Content
from postgres_server import PostgresServer, postgres_server  # noqa: F401
from shared_clinic import clinic_env, import_at, make_clinic  # noqa: F401

CHILD = Path(__file__).with_name("shared_console_child.py")


def test_a_console_only_pc_lists_the_submissions_of_two_other_stations(
        content: Content, tmp_path: Path, postgres_server: PostgresServer, capsys: pytest.CaptureFixture[str],
        clinic_env: pytest.MonkeyPatch) -> None:  # noqa: F811
    url = postgres_server.create_database()
    one, two, desk = tmp_path / "tablet-1", tmp_path / "tablet-2", tmp_path / "front-desk"
    make_clinic(url, one, capsys)
    assert main(["setup", "--data-dir", str(two), "--database", url]) == 0
    capsys.readouterr()
    import_at(one, content, tmp_path, "Ada North", capsys)
    import_at(two, content, tmp_path, "Bo South", capsys)

    env = {**os.environ, "KIOSK_STAFF_NAME": ADMIN, "KIOSK_STAFF_PASSPHRASE": ADMIN_PASSPHRASE,
           "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env.pop("KIOSK_DATABASE_URL", None)
    done = subprocess.run([sys.executable, str(CHILD), str(desk), url], capture_output=True, text=True, timeout=180,
                          env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("ROW ")]
    assert len(rows) == 2, done.stdout
    assert any("Ada North" in row for row in rows) and any("Bo South" in row for row in rows)
    window = next(line for line in done.stdout.splitlines() if line.startswith("WINDOW "))
    assert window.endswith("False"), "a window on a PC, not full screen"
    assert "unlocked" in done.stdout.splitlines()
    assert not (desk / "kiosk.db").exists() or _no_patients(desk), "the PC keeps no patient of its own"


def _no_patients(folder: Path) -> bool:
    from kiosk.storage.db import connect

    conn = connect(folder / "kiosk.db")
    try:
        return conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_console_whose_shared_database_cannot_be_reached_says_so_and_opens_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gone = f"postgresql:///kiosk?host={tmp_path / 'no-server'}&port=5999"
    assert main(["console", "--data-dir", str(tmp_path / "desk"), "--database", gone, "--windowed"]) == 2
    err = capsys.readouterr().err
    assert "cannot be reached" in err and "Traceback" not in err
