"""Setup, unlock, lockout and recovery: the only ways to the install's master secret."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE
from kiosk.system import crypto
from kiosk.staff import audit, vault
from kiosk.storage.db import connect


def test_owasp_scrypt_is_the_production_default() -> None:
    assert (crypto.OWASP_SCRYPT.n, crypto.OWASP_SCRYPT.r, crypto.OWASP_SCRYPT.p) == (2**17, 8, 1)


def test_setup_has_no_default_password_and_refuses_short_passphrases(data_dir) -> None:
    conn = connect(data_dir / "kiosk.db")
    with pytest.raises(vault.SetupError, match="at least 12"):
        vault.setup_install(conn, "Clinic", "Ann", "short")
    assert not vault.is_set_up(conn)
    key = vault.setup_install(conn, "Clinic", "Ann", "a long enough passphrase")
    assert len(key.replace("-", "")) == 52
    with pytest.raises(vault.SetupError, match="already set up"):
        vault.setup_install(conn, "Clinic", "Bob", "another long passphrase")


def test_unlock_with_the_right_passphrase_opens_the_same_keys(installed: sqlite3.Connection) -> None:
    first = vault.unlock(installed, ADMIN, ADMIN_PASSPHRASE)
    second = vault.unlock(installed, ADMIN.upper(), ADMIN_PASSPHRASE)
    assert first.is_admin and first.actor == ADMIN
    assert first.keys.public_key == vault.public_key(installed) == second.keys.public_key


def test_wrong_passphrase_and_unknown_name_give_the_same_message(installed: sqlite3.Connection) -> None:
    with pytest.raises(vault.UnlockError) as wrong:
        vault.unlock(installed, ADMIN, "not the passphrase at all")
    with pytest.raises(vault.UnlockError) as unknown:
        vault.unlock(installed, "Nobody", ADMIN_PASSPHRASE)
    assert str(wrong.value) == str(unknown.value)


def test_lockout_grows_after_five_failures_and_survives_a_restart(installed: sqlite3.Connection, data_dir) -> None:
    now = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.timezone.utc)
    for _ in range(4):
        with pytest.raises(vault.UnlockError, match="do not match"):
            vault.unlock(installed, ADMIN, "wrong wrong wrong", now=now)
    assert vault.lockout_remaining(installed, now) == 0
    with pytest.raises(vault.UnlockError, match="wait 30 seconds"):
        vault.unlock(installed, ADMIN, "wrong wrong wrong", now=now)
    reopened = connect(data_dir / "kiosk.db")  # a restart does not reset the count
    with pytest.raises(vault.UnlockError, match="Try again in"):
        vault.unlock(reopened, ADMIN, ADMIN_PASSPHRASE, now=now + dt.timedelta(seconds=10))
    later = now + dt.timedelta(seconds=31)
    with pytest.raises(vault.UnlockError, match="1 minute"):
        vault.unlock(reopened, ADMIN, "wrong again wrong", now=later)
    assert vault.lockout_remaining(reopened, later, ADMIN) == 60
    opened = vault.unlock(reopened, ADMIN, ADMIN_PASSPHRASE, now=later + dt.timedelta(seconds=61))
    assert opened.actor == ADMIN and vault.lockout_remaining(reopened) == 0
    actions = [e.action for e in audit.entries(reopened)]
    assert actions.count("unlock_failed") == 6 and actions[0] == "unlock"


def test_failed_unlock_audit_never_records_what_was_typed(installed: sqlite3.Connection) -> None:
    with pytest.raises(vault.UnlockError):
        vault.unlock(installed, "my secret passphrase typed in the name box", "x" * 12)
    entry = audit.entries(installed)[0]
    assert entry.action == "unlock_failed" and "passphrase" not in repr(entry)


def test_each_staff_member_has_their_own_passphrase_and_admin_rights_are_checked(installed: sqlite3.Connection) -> None:
    admin = vault.unlock(installed, ADMIN, ADMIN_PASSPHRASE)
    vault.add_account(installed, admin, "Nurse Bo", "bo's own passphrase")
    bo = vault.unlock(installed, "Nurse Bo", "bo's own passphrase")
    assert not bo.is_admin and bo.keys.public_key == admin.keys.public_key
    with pytest.raises(vault.UnlockError):
        vault.unlock(installed, "Nurse Bo", ADMIN_PASSPHRASE)
    with pytest.raises(PermissionError):
        vault.add_account(installed, bo, "Eve", "eve's passphrase!")
    with pytest.raises(vault.SetupError, match="last admin"):
        vault.remove_account(installed, admin, ADMIN)
    vault.remove_account(installed, admin, "Nurse Bo")
    with pytest.raises(vault.UnlockError):
        vault.unlock(installed, "Nurse Bo", "bo's own passphrase")


def test_recovery_key_gives_an_admin_a_new_passphrase(data_dir) -> None:
    conn = connect(data_dir / "kiosk.db")
    key = vault.setup_install(conn, "Clinic", "Ann", "forgotten passphrase")
    with pytest.raises(vault.SetupError, match="does not open"):
        vault.recover(conn, "AAAA-" * 12 + "AAAA", "Ann", "brand new passphrase")
    vault.recover(conn, key.lower(), "Ann", "brand new passphrase")
    assert vault.unlock(conn, "Ann", "brand new passphrase").keys.public_key == vault.public_key(conn)
    with pytest.raises(vault.UnlockError):
        vault.unlock(conn, "Ann", "forgotten passphrase")
