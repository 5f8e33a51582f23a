"""One export for the command and the console: same rows, damaged payloads named and skipped, files owner-only."""

from __future__ import annotations

import csv
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE
from kiosk.cli import main
from kiosk.console.controller import StaffConsole
from kiosk.content import Content
from kiosk.staff import vault
from kiosk.staff.data import SealedStaffData
from kiosk.storage.db import connect


@pytest.fixture
def filled(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A set-up folder with demo patients and one abandoned session."""
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", ADMIN_PASSPHRASE)
    monkeypatch.delenv("KIOSK_STAFF_NAME", raising=False)
    assert main(["setup", "--data-dir", str(data_dir), "--clinic", "Hill", "--admin", ADMIN]) == 0
    assert main(["demo-data", "--data-dir", str(data_dir), "--count", "6", "--days", "3"]) == 0
    conn = connect(data_dir / "kiosk.db")
    conn.execute("UPDATE submissions SET status = 'abandoned' WHERE id = (SELECT min(id) FROM submissions)")
    conn.close()
    return data_dir


def damage_one(data_dir: Path) -> str:
    conn = connect(data_dir / "kiosk.db")
    sid, payload = conn.execute("SELECT id, payload FROM submissions WHERE status != 'abandoned' "
                                "ORDER BY id DESC LIMIT 1").fetchone()
    broken = bytearray(payload)
    broken[len(broken) // 2] ^= 0xFF
    conn.execute("UPDATE submissions SET payload = ? WHERE id = ?", (bytes(broken), sid))
    conn.close()
    return sid


def console_on(data_dir: Path, content: Content) -> tuple[StaffConsole, sqlite3.Connection]:
    conn = connect(data_dir / "kiosk.db")
    data = SealedStaffData(conn, vault.unlock(conn, ADMIN, ADMIN_PASSPHRASE), content, data_dir)
    return StaffConsole(content, data, lambda: "Hill", lambda pdf, sid: (True, "")), conn


def submitted(data_dir: Path) -> int:
    conn = connect(data_dir / "kiosk.db")
    count = conn.execute("SELECT count(*) FROM submissions WHERE status NOT IN ('abandoned', 'in_progress')").fetchone()[0]
    conn.close()
    return int(count)


def csv_ids(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as stream:
        return sorted(row["submission_id"] for row in csv.DictReader(stream))


def test_command_and_console_export_the_same_rows_owner_only(filled: Path, content: Content, tmp_path: Path) -> None:
    cli_out, console_out = tmp_path / "cli.csv", tmp_path / "console.csv"
    assert main(["export", "--data-dir", str(filled), "--format", "csv", "--out", str(cli_out)]) == 0
    console, conn = console_on(filled, content)
    console.export("csv", None, None, console_out)
    conn.close()
    assert csv_ids(cli_out) == csv_ids(console_out) and len(csv_ids(cli_out)) == submitted(filled)
    assert submitted(filled) < 6  # abandoned sessions are left out of both
    for path in (cli_out, console_out):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_damaged_payload_is_named_and_every_readable_submission_is_exported(filled: Path, content: Content,
                                                                              tmp_path: Path, capsys, qtbot) -> None:
    damaged = damage_one(filled)
    readable = submitted(filled) - 1
    for kind in ("csv", "fhir"):
        out = tmp_path / f"all.{kind}"
        assert main(["export", "--data-dir", str(filled), "--format", kind, "--out", str(out)]) == 1
        captured = capsys.readouterr()
        assert damaged in captured.err and "damaged" in captured.err and "Traceback" not in captured.err
        assert f"Exported {readable} submission(s)" in captured.out
        assert damaged not in out.read_text(encoding="utf-8")
    assert len(csv_ids(tmp_path / "all.csv")) == readable

    from PySide6.QtCore import Qt
    from ui.console.export import ExportDialog  # the console's dialog says the same

    console, conn = console_on(filled, content)
    dialog = ExportDialog(console)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "console.json"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    conn.close()
    assert f"Exported {readable} submission(s)" in dialog.message.text() and damaged in dialog.message.text()


def test_a_planted_symlink_never_receives_the_export(filled: Path, tmp_path: Path, capsys) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("untouched", encoding="utf-8")
    out = tmp_path / "out.csv"
    (tmp_path / "out.csv.partial").symlink_to(elsewhere)
    (tmp_path / "out.csv.part").symlink_to(elsewhere)
    assert main(["export", "--data-dir", str(filled), "--format", "csv", "--out", str(out)]) == 0
    assert elsewhere.read_text(encoding="utf-8") == "untouched"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and not out.is_symlink()
    link = tmp_path / "link.csv"
    link.symlink_to(elsewhere)
    assert main(["export", "--data-dir", str(filled), "--format", "csv", "--out", str(link)]) == 1
    assert "symbolic link" in capsys.readouterr().err
    assert elsewhere.read_text(encoding="utf-8") == "untouched"


def test_database_files_and_outbox_are_owner_only(filled: Path, content: Content) -> None:
    os.umask(0o022)
    from kiosk.services import open_kiosk_services
    from kiosk.printing.outbox import Outbox

    services = open_kiosk_services(filled)
    Outbox(services.outbox_dir).put("abc", b"%PDF-1.4 sealed")
    for name in ("kiosk.db", "kiosk.db-wal", "kiosk.db-shm"):
        assert stat.S_IMODE((filled / name).stat().st_mode) == 0o600, name
    assert stat.S_IMODE(services.outbox_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((services.outbox_dir / "abc.pdf").stat().st_mode) == 0o600
    services.close()
