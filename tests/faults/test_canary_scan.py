"""No plaintext patient data anywhere on disk: database, WAL, outbox, logs, temp files."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE
from kiosk.content import Content
from kiosk.system.logs import setup_logging
from kiosk.services import open_kiosk_services
from kiosk.staff import vault
from kiosk.staff.data import SealedStaffData
from kiosk.staff.settings_store import save_settings

CANARY = "Canaryname-Philomena"
CHILD = Path(__file__).with_name("intake_child.py")


def files_with(folder: Path, needle: str) -> list[Path]:
    forms = [needle.encode("utf-8"), needle.encode("utf-16-le"), needle.encode("utf-16-be")]
    return [p for p in folder.rglob("*") if p.is_file() and any(f in p.read_bytes() for f in forms)]


@pytest.mark.slow
def test_sessions_leave_no_canary_in_any_file(installed: sqlite3.Connection, data_dir: Path, content: Content,
                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save_settings(installed, ADMIN, True, auto_print=True, printer="no-such-printer-queue")  # every PDF waits in the outbox
    installed.close()
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # whatever this process writes to temp lands where we scan
    env_tmp = {"TMPDIR": str(temp)}

    child = subprocess.run([sys.executable, str(CHILD), str(data_dir), "3", "1", CANARY], capture_output=True, text=True,
                           timeout=300, env={**os.environ, **env_tmp})
    assert child.returncode == 0, child.stderr
    assert child.stdout.count("SAVED ") == 3

    # a walked-away session, and the logs of a process that ran all of it
    setup_logging(data_dir)
    services = open_kiosk_services(data_dir)
    ctl = services.intake_controller()
    ctl.next()
    ctl.set_answer(content.manifest.identity.name, CANARY + " walked away")
    ctl.abandon()
    outbox = list((data_dir / "outbox").iterdir())
    assert len(outbox) == 3, "the PDFs must be waiting, sealed"
    staff = SealedStaffData(services.conn, vault.unlock(services.conn, ADMIN, ADMIN_PASSPHRASE), content, data_dir)
    assert all(staff.open_outbox(p.read_bytes()).startswith(b"%PDF") for p in outbox)
    services.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    leaks = files_with(data_dir, CANARY) + files_with(temp, CANARY)
    assert leaks == []
    assert (data_dir / "logs" / "kiosk.log").stat().st_size > 0, "the log was written, and holds no canary"
    services.close()


@pytest.fixture(autouse=True)
def _drop_log_handlers():
    """setup_logging attaches file handlers to the root logger; detach them so later tests do not write here."""
    yield
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_kiosk_log", False)]:
        root.removeHandler(handler)
        handler.close()
