"""setup, demo-data, export, backup, purge from the command line, as a script or an admin would run them."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE
from kiosk.cli import main
from kiosk.console.controller import QueueQuery
from kiosk.content import Content
from kiosk.staff import audit, vault
from kiosk.staff.data import SealedStaffData
from kiosk.storage.db import connect


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", ADMIN_PASSPHRASE)
    monkeypatch.delenv("KIOSK_STAFF_NAME", raising=False)


def test_setup_from_outside_prints_the_recovery_key_once_and_refuses_a_second_setup(tmp_path: Path) -> None:
    env = {**os.environ, "KIOSK_STAFF_PASSPHRASE": ADMIN_PASSPHRASE}
    folder = tmp_path / "data"
    args = [sys.executable, "-m", "kiosk", "setup", "--data-dir", str(folder), "--clinic", "Hill Clinic", "--admin", ADMIN]
    first = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "Recovery key: " in first.stdout and "cannot" not in first.stdout and "nobody" in first.stdout
    again = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 1 and "already set up" in again.stderr
    no_secret = {k: v for k, v in env.items() if k != "KIOSK_STAFF_PASSPHRASE"}
    missing = subprocess.run(args[:5] + [str(tmp_path / "other"), *args[6:]], env=no_secret, capture_output=True,
                             text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert missing.returncode == 3 and "KIOSK_STAFF_PASSPHRASE" in missing.stderr


def test_commands_on_a_folder_never_set_up_say_how_to_set_it_up(data_dir: Path, secret, capsys) -> None:
    assert main(["export", "--data-dir", str(data_dir), "--format", "csv", "--out", str(data_dir / "x.csv")]) == 2
    assert "naltrexone-kiosk setup" in capsys.readouterr().err
    assert not (data_dir / "x.csv").exists()


def test_demo_data_then_export_csv_and_fhir_are_audited(data_dir: Path, secret, content: Content, tmp_path: Path) -> None:
    assert main(["setup", "--data-dir", str(data_dir), "--clinic", "Hill", "--admin", ADMIN]) == 0
    assert main(["demo-data", "--data-dir", str(data_dir), "--count", "40", "--days", "10"]) == 0
    out_csv, out_json = tmp_path / "all.csv", tmp_path / "all.json"
    assert main(["export", "--data-dir", str(data_dir), "--format", "csv", "--out", str(out_csv)]) == 0
    assert main(["export", "--data-dir", str(data_dir), "--format", "fhir", "--since", "2000-01-01", "--out", str(out_json)]) == 0
    with out_csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    bundle = json.loads(out_json.read_text(encoding="utf-8"))
    assert 0 < len(rows) <= 40 and bundle["resourceType"] == "Bundle"
    responses = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    assert len(responses) == len(rows)
    assert oct(out_csv.stat().st_mode & 0o777) == "0o600"
    conn = connect(data_dir / "kiosk.db")
    exports = [e for e in audit.entries(conn) if e.action == "export"]
    assert [e.detail["format"] for e in exports] == ["fhir", "csv"] and all(e.actor == ADMIN for e in exports)


def test_wrong_secret_exports_nothing(data_dir: Path, secret, monkeypatch, tmp_path: Path, capsys) -> None:
    assert main(["setup", "--data-dir", str(data_dir), "--clinic", "Hill", "--admin", ADMIN]) == 0
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", "not the right passphrase")
    assert main(["export", "--data-dir", str(data_dir), "--format", "csv", "--out", str(tmp_path / "x.csv")]) == 3
    assert "does not open" in capsys.readouterr().err and not (tmp_path / "x.csv").exists()


def test_backup_restores_into_a_fresh_folder_with_the_same_submissions(data_dir: Path, secret, content: Content,
                                                                       tmp_path: Path) -> None:
    assert main(["setup", "--data-dir", str(data_dir), "--clinic", "Hill", "--admin", ADMIN]) == 0
    assert main(["demo-data", "--data-dir", str(data_dir), "--count", "25"]) == 0
    backup = tmp_path / "backup.db"
    assert main(["backup", "--data-dir", str(data_dir), "--out", str(backup)]) == 0
    assert b"SQLite format 3" in backup.read_bytes()[:16]
    fresh = tmp_path / "restored"
    fresh.mkdir()
    (fresh / "kiosk.db").write_bytes(backup.read_bytes())

    def queue(folder: Path) -> list[tuple[str, str, str]]:
        conn = connect(folder / "kiosk.db")
        staff = SealedStaffData(conn, vault.unlock(conn, ADMIN, ADMIN_PASSPHRASE), content, folder)
        return [(r.id, r.name, r.status) for r in staff.rows(QueueQuery(), 0, 100)]

    original = queue(data_dir)
    assert len(original) == 25 and queue(fresh) == original


def test_purge_deletes_only_what_is_older_than_asked(data_dir: Path, secret, content: Content) -> None:
    assert main(["setup", "--data-dir", str(data_dir), "--clinic", "Hill", "--admin", ADMIN]) == 0
    assert main(["demo-data", "--data-dir", str(data_dir), "--count", "30", "--days", "60"]) == 0
    conn = sqlite3.connect(data_dir / "kiosk.db")
    import datetime as dt

    cutoff = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=20)).isoformat()
    expected = conn.execute("SELECT count(*) FROM submissions WHERE submitted_at >= ?", (cutoff,)).fetchone()[0]
    assert 0 < expected < 30
    conn.close()
    assert main(["purge", "--data-dir", str(data_dir), "--days", "20"]) == 0
    conn = sqlite3.connect(data_dir / "kiosk.db")
    assert conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == expected
