"""Key epochs: a removed account, even with an old backup and its old passphrase, cannot open later submissions."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE
from fake_staff import make_submission
from kiosk.cli import main
from kiosk.console.controller import QueueQuery, StaffConsole
from kiosk.staff import index, vault
from kiosk.system.crypto import CryptoError
from kiosk.staff.data import OUTBOX_AAD, SealedStaffData, outbox_sealer
from kiosk.staff.rights import Role
from kiosk.storage.db import connect
from kiosk.storage.sqlite_submissions import SubmissionStore

BO, BO_PASSPHRASE = "Nurse Bo", "bo's own passphrase!"
CY, CY_PASSPHRASE = "Desk Cy", "cy's own passphrase!"
AT = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone.utc)


def save(conn: sqlite3.Connection, content, name: str) -> str:
    """A submission stored the way the kiosk stores it: sealed to the install's current public key, no key held."""
    submission = make_submission(content, name, "1980-01-01", AT)
    assert SubmissionStore(conn).save(submission)
    return submission.id


def copy(conn: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    target = sqlite3.connect(path)
    conn.backup(target)
    target.close()
    return connect(path)


@pytest.fixture
def install(data_dir: Path) -> tuple[sqlite3.Connection, str]:
    conn = connect(data_dir / "kiosk.db")
    recovery = vault.setup_install(conn, "Riverside Clinic", ADMIN, ADMIN_PASSPHRASE)
    admin = vault.unlock(conn, ADMIN, ADMIN_PASSPHRASE)
    vault.add_account(conn, admin, BO, BO_PASSPHRASE, Role.CLINICIAN)
    vault.add_account(conn, admin, CY, CY_PASSPHRASE, Role.FRONT_DESK)
    yield conn, recovery
    conn.close()


def test_an_old_backup_and_a_removed_passphrase_do_not_open_what_came_after(install, content, tmp_path: Path) -> None:
    conn, _ = install
    seal_pdf = outbox_sealer(conn)  # made once, as the kiosk makes it at start
    before = save(conn, content, "Early Patient")
    staff = SealedStaffData(conn, vault.unlock(conn, ADMIN, ADMIN_PASSPHRASE), content)
    staff.add_note(before, "call back Tuesday")
    assert staff.count(QueueQuery()) == 1
    old_backup = copy(conn, tmp_path / "old-backup.db")

    staff.remove_account(BO)
    after = save(conn, content, "Later Patient")
    waiting_pdf = seal_pdf(b"%PDF-1.4 later patient")
    assert staff.count(QueueQuery()) == 2
    staff.lock()
    new_backup = copy(conn, tmp_path / "new-backup.db")

    bo_keys = vault.unlock(old_backup, BO, BO_PASSPHRASE).keys  # what someone who once held the account keeps
    payload, header = new_backup.execute("SELECT payload, header FROM submissions WHERE id = ?", (after,)).fetchone()
    with pytest.raises(CryptoError):
        bo_keys.open_sealed(payload, after.encode("ascii"))
    with pytest.raises(CryptoError):
        index.decrypt_header(bo_keys, after, header)
    with pytest.raises(CryptoError):
        bo_keys.open_sealed(waiting_pdf, OUTBOX_AAD)
    with pytest.raises(vault.UnlockError):
        vault.unlock(new_backup, BO, BO_PASSPHRASE)

    # the accounts that remain read both epochs, search works, notes moved to the new keys
    cy = SealedStaffData(new_backup, vault.unlock(new_backup, CY, CY_PASSPHRASE), content)
    assert {r.name for r in cy.rows(QueueQuery(), 0, 10)} == {"Early Patient", "Later Patient"}
    assert [r.name for r in cy.rows(QueueQuery(name="early"), 0, 10)] == ["Early Patient"]
    assert cy.note(before) == "call back Tuesday"
    assert cy.open_outbox(waiting_pdf).startswith(b"%PDF")
    assert cy.submission(after).answers and cy.submission(before).answers
    admin = SealedStaffData(new_backup, vault.unlock(new_backup, ADMIN, ADMIN_PASSPHRASE), content)
    console = StaffConsole(content, admin, lambda: "Clinic", lambda pdf, sid: (True, ""))
    assert console.audit_check() == "Audit log intact"


def test_the_recovery_key_reaches_the_newest_epoch(install, content) -> None:
    conn, recovery = install
    admin = SealedStaffData(conn, vault.unlock(conn, ADMIN, ADMIN_PASSPHRASE), content)
    admin.remove_account(BO)
    admin.rotate_keys()
    after = save(conn, content, "Later Patient")
    vault.recover(conn, recovery, "New Admin", "a brand new passphrase")
    keys = vault.unlock(conn, "New Admin", "a brand new passphrase").keys
    payload = conn.execute("SELECT payload FROM submissions WHERE id = ?", (after,)).fetchone()[0]
    assert keys.open_sealed(payload, after.encode("ascii"))


def test_account_rotate_from_the_command_line(data_dir: Path, monkeypatch, content, capsys) -> None:
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", ADMIN_PASSPHRASE)
    monkeypatch.setenv("KIOSK_STAFF_NAME", ADMIN)
    assert main(["setup", "--data-dir", str(data_dir), "--clinic", "Hill", "--admin", ADMIN]) == 0
    conn = connect(data_dir / "kiosk.db")
    first = vault.public_key(conn)
    earlier = save(conn, content, "Early Patient")
    assert main(["account", "rotate", "--data-dir", str(data_dir)]) == 0
    assert "new key epoch" in capsys.readouterr().out
    assert vault.public_key(conn) != first
    keys = vault.unlock(conn, ADMIN, ADMIN_PASSPHRASE).keys
    payload = conn.execute("SELECT payload FROM submissions WHERE id = ?", (earlier,)).fetchone()[0]
    assert keys.open_sealed(payload, earlier.encode("ascii")) and keys.epochs_held == 2
