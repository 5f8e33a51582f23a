"""kill -9 at random moments across many scripted submissions: what a patient was told was saved is there, once."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE
from kiosk.console.controller import QueueQuery
from kiosk.content import Content
from kiosk.staff import vault
from kiosk.staff.data import SealedStaffData
from kiosk.storage.db import connect

CHILD = Path(__file__).with_name("intake_child.py")
CANARY = "Crashcanary-Ottoline"
KILLS = 12


def run_until_killed(data_dir: Path, delay: float, seed: int) -> tuple[list[str], bool]:
    """Start a kiosk process, wait for its first saved patient, let it work `delay` seconds more (mid-way through the
    next patient, or mid-commit), kill -9 it; return the ids it reported saved."""
    child = subprocess.Popen([sys.executable, str(CHILD), str(data_dir), "1000", str(seed), CANARY],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    first = child.stdout.readline()
    assert first.strip() == "READY", child.stderr.read() if child.stderr else first
    progress = child.stdout.readline()
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate(timeout=30)
    saved = [line.split()[1] for line in (progress + out).splitlines() if line.startswith("SAVED ")]
    return saved, "NOT_SAVED" in out


@pytest.mark.slow
def test_every_submission_reported_saved_survives_kill_9_exactly_once(installed: sqlite3.Connection, data_dir: Path,
                                                                      content: Content) -> None:
    installed.close()
    chance = random.Random(7)
    told_saved: list[str] = []
    for round_number in range(KILLS):
        saved, not_saved = run_until_killed(data_dir, chance.uniform(0.0, 1.0), round_number)
        assert not not_saved
        told_saved += saved
    assert len(told_saved) >= KILLS, "the child should finish some patients between kills"

    conn = connect(data_dir / "kiosk.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ids = [row[0] for row in conn.execute("SELECT id FROM submissions WHERE status != 'abandoned'")]
    assert sorted(set(told_saved)) == sorted(set(told_saved) & set(ids))
    assert len(ids) == len(set(ids))
    # sessions cut off mid-intake are not lost: the next start hands them to staff as abandoned, and staff can read them
    from kiosk.services import open_kiosk_services

    services = open_kiosk_services(data_dir)
    services.start_up()
    staff = SealedStaffData(services.conn, vault.unlock(services.conn, ADMIN, ADMIN_PASSPHRASE), content, data_dir)
    rows = staff.rows(QueueQuery(), 0, 10_000)
    assert {r.id for r in rows} >= set(told_saved)
    abandoned = [r for r in rows if r.status == "abandoned"]
    assert abandoned, "at least one kill should land mid-intake"
    assert all(CANARY in r.name for r in abandoned if r.name)
    assert services.conn.execute("SELECT count(*) FROM journal").fetchone()[0] == 0
    services.close()
