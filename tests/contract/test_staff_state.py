"""The staff state contract: accounts and wrapped keys, lock-out, the audit chain and its seals, settings and key
epochs behave the same in this machine's SQLite file and in the clinic's PostgreSQL database (a real server).

The staff modules (kiosk/staff/) hold each rule once; these tests run every rule against both backends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE
from fake_staff import make_submission
from kiosk.content import Content
from kiosk.staff import audit, audit_seal, lockout, vault
from kiosk.staff.data import SealedStaffData
from kiosk.staff.records import QueueQuery
from kiosk.staff.settings_store import load_settings, save_settings
from kiosk.storage.db import atomic, connect
from kiosk.storage.shared_connection import Db, submission_store
from postgres_server import PostgresServer, postgres_server  # noqa: F401  (the session's real server)

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)
CLERK = ("Desk Dee", "dee's passphrase here")


@pytest.fixture(params=["postgresql", "sqlite"])
def clinic(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Db, str]]:
    """A set-up clinic (key pair, first administrator) on each backend; yields the connection and the recovery key."""
    if request.param == "postgresql":
        from kiosk.storage.shared_connection import open_shared

        conn: Db = open_shared(request.getfixturevalue("postgres_server").create_database())
    else:
        conn = connect(tmp_path / "kiosk.db")
    recovery = vault.setup_install(conn, "Riverside", ADMIN, ADMIN_PASSPHRASE)
    yield conn, recovery
    conn.close()


def test_unlock_takes_the_name_in_any_case_and_a_name_is_one_account(clinic: tuple[Db, str]) -> None:
    conn, _ = clinic
    assert vault.unlock(conn, "  admin   ANN ", ADMIN_PASSPHRASE).actor == ADMIN
    admin = vault.unlock(conn, ADMIN, ADMIN_PASSPHRASE)
    with pytest.raises(vault.SetupError, match="already a staff account"):
        vault.add_account(conn, admin, ADMIN.upper(), "another passphrase here")
    with pytest.raises(vault.SetupError, match="already set up"):
        vault.setup_install(conn, "Elsewhere", "Bob", "bob's passphrase here")


def test_wrong_passphrases_lock_the_account_out_and_a_success_resets_it(clinic: tuple[Db, str]) -> None:
    conn, _ = clinic
    admin = vault.unlock(conn, ADMIN, ADMIN_PASSPHRASE)
    vault.add_account(conn, admin, *CLERK)
    for _ in range(lockout.FREE_FAILURES):
        with pytest.raises(vault.UnlockError):
            vault.unlock(conn, CLERK[0], "wrong passphrase!!", now=T0)
    assert vault.lockout_remaining(conn, T0, CLERK[0]) == lockout.BASE_DELAY_S
    assert vault.lockout_remaining(conn, T0, ADMIN) == 0, "other accounts go on working"
    with pytest.raises(vault.UnlockError, match="Try again in 25 seconds"):
        vault.unlock(conn, CLERK[0], CLERK[1], now=T0 + dt.timedelta(seconds=5))
    later = T0 + dt.timedelta(seconds=lockout.BASE_DELAY_S + 1)
    assert vault.unlock(conn, CLERK[0], CLERK[1], now=later).actor == CLERK[0]
    assert vault.lockout_remaining(conn, later, CLERK[0]) == 0
    actions = [e.action for e in audit.entries(conn, 0, 50)]
    assert actions.count("unlock_failed") == lockout.FREE_FAILURES and "unlock_locked_out" in actions


def test_the_audit_chain_and_its_seals_check_out_and_an_edit_shows(clinic: tuple[Db, str]) -> None:
    conn, _ = clinic
    admin = vault.unlock(conn, ADMIN, ADMIN_PASSPHRASE)
    for n in range(5):
        audit.append(conn, admin.actor, "print", f"id-{n}", {"n": n, "name": "José"})
    audit_seal.seal(conn, admin.keys.audit_key)
    assert audit.problems(conn) == [] and audit_seal.problems(conn, admin.keys.audit_key) == []
    newest = audit.entries(conn, 0, 2)
    assert [(e.action, e.target, e.detail) for e in newest] == [("print", "id-4", {"n": 4, "name": "José"}),
                                                                 ("print", "id-3", {"n": 3, "name": "José"})]
    assert newest[0].at.tzinfo is not None and [e.seq for e in audit.entries(conn, 0, 500)][-1] == 1
    with pytest.raises(Exception, match="append-only"):
        with atomic(conn):
            conn.execute("UPDATE audit SET actor = 'someone else' WHERE seq = 2")


def test_settings_are_the_defaults_until_changed_and_each_change_is_audited(clinic: tuple[Db, str]) -> None:
    conn, _ = clinic
    assert load_settings(conn).clinic_name == "Riverside" and load_settings(conn).retention_days == 365
    save_settings(conn, ADMIN, True, retention_days=90, clinic_name="Riverside Health")
    assert (load_settings(conn).retention_days, load_settings(conn).clinic_name) == (90, "Riverside Health")
    changes = {e.target: e.detail for e in audit.entries(conn, 0, 2)}
    assert changes == {"retention_days": {"old": 365, "new": 90},
                       "clinic_name": {"old": "Riverside", "new": "Riverside Health"}}


def test_a_removed_account_leaves_a_new_epoch_that_the_others_and_the_recovery_key_open(
        clinic: tuple[Db, str], content: Content) -> None:
    conn, recovery = clinic
    kiosk = submission_store(conn)  # the station's side: seals to the clinic's public key, reads nothing back
    before = make_submission(content, "Before Rotation", "1980-02-03", T0)
    kiosk.save(before)
    admin = vault.unlock(conn, ADMIN, ADMIN_PASSPHRASE)
    vault.add_account(conn, admin, *CLERK)
    vault.unlock(conn, *CLERK)  # signs in once, so later epochs reach the account
    old_public = vault.public_key(conn)
    vault.add_account(conn, admin, "Gone Gary", "gary's passphrase here")
    admin, left_out = vault.remove_account(conn, admin, "Gone Gary")
    assert left_out == [] and vault.public_key(conn) != old_public
    after = make_submission(content, "After Rotation", "1980-02-03", T0 + dt.timedelta(hours=1))
    kiosk.save(after)
    with pytest.raises(vault.UnlockError):
        vault.unlock(conn, "Gone Gary", "gary's passphrase here")
    clerk = SealedStaffData(conn, vault.unlock(conn, *CLERK), content)
    assert sorted(r.name for r in clerk.rows(QueueQuery(), 0, 10)) == ["After Rotation", "Before Rotation"]
    clerk.lock()
    vault.recover(conn, recovery, ADMIN, "a brand new passphrase")
    assert vault.unlock(conn, ADMIN, "a brand new passphrase").keys.public_key == vault.public_key(conn)
    assert audit.problems(conn) == []


def test_consoles_appending_at_once_keep_one_unbroken_chain(postgres_server: PostgresServer) -> None:  # noqa: F811
    import threading

    from kiosk.storage.shared_connection import open_shared

    url = postgres_server.create_database()
    with open_shared(url) as first:
        vault.setup_install(first, "Riverside", ADMIN, ADMIN_PASSPHRASE)
    errors: list[BaseException] = []

    def console(name: str) -> None:
        try:
            with open_shared(url) as conn:
                for n in range(40):
                    audit.append(conn, name, "print", f"{name}-{n}")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=console, args=(f"desk {k}",)) for k in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with open_shared(url) as conn:
        seqs = [r[0] for r in conn.execute("SELECT seq FROM audit ORDER BY seq").fetchall()]
        assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) == 1 + 3 * 40
        assert audit.problems(conn) == []
