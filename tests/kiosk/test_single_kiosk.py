"""One patient-facing kiosk per data folder: a second start is refused and never steals a live patient's session."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE, ROOT
from kiosk.content import Content
from kiosk.patient.intake import REVIEW, THANKS
from kiosk.services import open_kiosk_services
from kiosk.staff import vault
from kiosk.staff.data import SealedStaffData
from kiosk.system.clock import utc_now
from kiosk.storage.instance_lock import InstanceLock
from answer_plans import answer_current_page, drive_to_review
from test_intake import FakeView

KIOSK = [sys.executable, "-m", "kiosk"]


def kiosk_env() -> dict[str, str]:
    """Offscreen, and no speech daemon: read-aloud is not what these tests are about, and a busy shared
    speech-dispatcher must not stall the start."""
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SPEECHD_ADDRESS": "unix_socket:/nonexistent/speechd.sock"}


def start_second(data_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KIOSK, "--data-dir", str(data_dir), "--windowed", *extra], capture_output=True, text=True,
                          timeout=120, env=kiosk_env(), cwd=ROOT)


def wait_for_lock(data_dir: Path, child: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert child.poll() is None, child.communicate()[1]
        probe = InstanceLock(data_dir)
        if probe.try_acquire():
            probe.release()
        elif probe.owner_pid() == child.pid:
            return
        time.sleep(0.1)
    raise AssertionError("the kiosk never took its lock")


@pytest.mark.slow
def test_a_second_kiosk_process_is_refused_while_the_first_runs(installed: sqlite3.Connection, data_dir: Path) -> None:
    installed.close()
    first = subprocess.Popen([*KIOSK, "--data-dir", str(data_dir), "--windowed"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=kiosk_env(), cwd=ROOT)
    try:
        wait_for_lock(data_dir, first)
        for extra in ((), ("--smoke",)):
            second = start_second(data_dir, *extra)
            assert second.returncode == 2, second.stderr
            assert f"already running on {data_dir} (pid {first.pid})" in second.stderr
            assert "Traceback" not in second.stderr
    finally:
        first.kill()
        first.communicate(timeout=30)
    after = start_second(data_dir, "--smoke")  # the OS dropped the lock with the process, even on kill
    assert after.returncode == 0, after.stderr


def walk_part_way(ctl) -> None:
    ctl.next()
    for _ in range(4):
        answer_current_page(ctl)
        assert ctl.next()


def finish(ctl) -> None:
    drive_to_review(ctl)


@pytest.mark.slow
def test_a_smoke_start_during_a_live_session_leaves_the_patient_alone(installed: sqlite3.Connection, data_dir: Path,
                                                                     content: Content) -> None:
    installed.close()
    services = open_kiosk_services(data_dir)
    services.hold_kiosk_lock()
    services.start_up()
    ctl = services.intake_controller()
    view = FakeView()
    ctl.attach(view)
    walk_part_way(ctl)
    sid = ctl.session.id
    assert services.conn.execute("SELECT count(*) FROM journal WHERE id = ?", (sid,)).fetchone()[0] == 1

    second = start_second(data_dir, "--smoke")
    assert second.returncode == 2 and "already running" in second.stderr
    other = open_kiosk_services(data_dir)  # a subcommand's start-up chores leave a live kiosk's autosave alone
    assert other.start_up() == 0
    other.close()
    assert services.conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0

    finish(ctl)
    assert ctl.submit() and ctl.session.position == THANKS and view.not_saved == 0
    staff = SealedStaffData(services.conn, vault.unlock(services.conn, ADMIN, ADMIN_PASSPHRASE), content, data_dir)
    stored = staff.submission(sid)
    assert stored.status == "new"
    assert stored.answers == ctl.session.submitted.submission.answers
    services.close()


def test_a_submit_whose_id_was_taken_is_not_reported_saved_and_a_retry_stores_the_answers(
        installed: sqlite3.Connection, data_dir: Path, content: Content) -> None:
    installed.close()
    services = open_kiosk_services(data_dir)
    ctl = services.intake_controller()
    view = FakeView()
    ctl.attach(view)
    walk_part_way(ctl)
    stolen = ctl.session.id
    services.store.adopt_autosaves(keep=True, at=utc_now())  # what a second process did before the lock existed
    finish(ctl)
    answers = dict(ctl.session.answers)

    assert ctl.submit() is False
    assert view.not_saved == 1 and ctl.session.position == REVIEW and ctl.session.answers == answers
    assert ctl.session.id != stolen
    assert ctl.submit() is True
    staff = SealedStaffData(services.conn, vault.unlock(services.conn, ADMIN, ADMIN_PASSPHRASE), content, data_dir)
    assert staff.submission(stolen).status == "abandoned"
    stored = staff.submission(ctl.session.id)
    assert stored.status == "new" and stored.answers[content.manifest.identity.name] == answers[
        content.manifest.identity.name]
    services.close()


def test_the_lock_is_exclusive_within_one_process_too(data_dir: Path) -> None:
    first, second = InstanceLock(data_dir), InstanceLock(data_dir)
    first.acquire()
    try:
        assert not second.try_acquire()
        assert second.owner_pid() == os.getpid()
        assert (data_dir / "kiosk.lock").stat().st_mode & 0o777 == 0o600
    finally:
        first.release()
    assert second.try_acquire()
    second.release()
