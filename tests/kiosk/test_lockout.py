"""Lock-out per account, an install-wide ceiling against spraying, and tries during a lock-out audited."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE
from kiosk.cli import main
from kiosk.staff import audit, lockout, vault
from kiosk.staff.rights import Role

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.timezone.utc)
BO, BO_PASSPHRASE = "Nurse Bo", "bo's own passphrase!"


@pytest.fixture
def two_accounts(installed: sqlite3.Connection) -> sqlite3.Connection:
    vault.add_account(installed, vault.unlock(installed, ADMIN, ADMIN_PASSPHRASE, now=NOW), BO, BO_PASSPHRASE,
                      Role.CLINICIAN)
    return installed


def test_wrong_tries_on_one_account_do_not_lock_the_others(two_accounts: sqlite3.Connection) -> None:
    for _ in range(lockout.FREE_FAILURES):
        with pytest.raises(vault.UnlockError):
            vault.unlock(two_accounts, BO, "someone guessing", now=NOW)
    with pytest.raises(vault.UnlockError, match="Try again in 25 seconds"):
        vault.unlock(two_accounts, BO, BO_PASSPHRASE, now=NOW + dt.timedelta(seconds=5))
    assert vault.lockout_remaining(two_accounts, NOW, BO) == 30
    assert vault.lockout_remaining(two_accounts, NOW, ADMIN) == 0
    assert vault.unlock(two_accounts, ADMIN, ADMIN_PASSPHRASE, now=NOW + dt.timedelta(seconds=6)).actor == ADMIN
    # the admin's success does not free Bo's account early
    with pytest.raises(vault.UnlockError, match="Try again in"):
        vault.unlock(two_accounts, BO, BO_PASSPHRASE, now=NOW + dt.timedelta(seconds=7))
    assert vault.unlock(two_accounts, BO, BO_PASSPHRASE, now=NOW + dt.timedelta(seconds=31)).actor == BO


def test_tries_during_a_lock_out_are_audited_without_checking_the_passphrase(two_accounts: sqlite3.Connection) -> None:
    for _ in range(lockout.FREE_FAILURES):
        with pytest.raises(vault.UnlockError):
            vault.unlock(two_accounts, BO, "someone guessing", now=NOW)
    for _ in range(3):
        with pytest.raises(vault.UnlockError, match="Try again in"):
            vault.unlock(two_accounts, BO, "still guessing", now=NOW + dt.timedelta(seconds=1))
    locked_out = [e for e in audit.entries(two_accounts) if e.action == "unlock_locked_out"]
    assert len(locked_out) == 3 and {e.target for e in locked_out} == {BO}
    assert locked_out[0].detail["scope"] == "account"
    failed = [e for e in audit.entries(two_accounts) if e.action == "unlock_failed"]
    assert len(failed) == lockout.FREE_FAILURES, "a try during the lock-out is not a counted guess"


def test_spraying_many_names_meets_the_install_wide_ceiling(two_accounts: sqlite3.Connection) -> None:
    for i in range(lockout.GLOBAL_FREE):
        with pytest.raises(vault.UnlockError):
            vault.unlock(two_accounts, f"Guess Name {i}", "summer2026summer", now=NOW)
    assert vault.lockout_remaining(two_accounts, NOW) == 30
    with pytest.raises(vault.UnlockError, match="Try again in 29 seconds"):
        vault.unlock(two_accounts, ADMIN, ADMIN_PASSPHRASE, now=NOW + dt.timedelta(seconds=1))
    with pytest.raises(vault.UnlockError, match="Try again in"):
        vault.unlock_any(two_accounts, ADMIN_PASSPHRASE, now=NOW + dt.timedelta(seconds=2))
    assert any(e.action == "unlock_locked_out" and e.detail["scope"] == "all" for e in audit.entries(two_accounts))
    assert vault.unlock(two_accounts, ADMIN, ADMIN_PASSPHRASE, now=NOW + dt.timedelta(seconds=31)).actor == ADMIN
    assert vault.lockout_remaining(two_accounts, NOW + dt.timedelta(seconds=31)) == 0, "a success resets the ceiling"


def test_the_ceiling_is_bounded_so_a_sprayer_cannot_lock_staff_out_for_an_hour(installed: sqlite3.Connection) -> None:
    moment = NOW
    for i in range(lockout.GLOBAL_FREE + 12):
        moment += dt.timedelta(seconds=vault.lockout_remaining(installed, moment) + 1)
        with pytest.raises(vault.UnlockError):
            vault.unlock(installed, f"Guess Name {i}", "summer2026summer", now=moment)
    assert vault.lockout_remaining(installed, moment) == lockout.GLOBAL_MAX_DELAY_S < lockout.MAX_DELAY_S


def test_a_scheduled_backup_runs_while_another_account_is_locked_out(data_dir: Path, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", ADMIN_PASSPHRASE)
    monkeypatch.setenv("KIOSK_STAFF_NAME", ADMIN)
    assert main(["setup", "--data-dir", str(data_dir), "--clinic", "Hill", "--admin", ADMIN]) == 0
    monkeypatch.setenv("KIOSK_NEW_STAFF_PASSPHRASE", BO_PASSPHRASE)
    assert main(["account", "add", "--data-dir", str(data_dir), "--name", BO]) == 0
    monkeypatch.setenv("KIOSK_STAFF_NAME", BO)
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", "a wrong passphrase")
    for _ in range(lockout.FREE_FAILURES):
        assert main(["backup", "--data-dir", str(data_dir), "--out", str(tmp_path / "bo.db")]) == 3
    monkeypatch.setenv("KIOSK_STAFF_NAME", ADMIN)
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", ADMIN_PASSPHRASE)
    assert main(["backup", "--data-dir", str(data_dir), "--out", str(tmp_path / "nightly.db")]) == 0
    assert (tmp_path / "nightly.db").exists()
