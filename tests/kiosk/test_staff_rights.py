"""Roles and rights: declared once, enforced by the CLI and the data layer; the `account` command."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE
from kiosk.cli import main
from kiosk.staff import audit, rights, vault
from kiosk.staff.rights import Action, Role
from kiosk.storage.db import connect
from kiosk.storage.migrations import MIGRATIONS

DESK, DESK_PASSPHRASE = "Desk Dee", "dee's own passphrase"
NURSE, NURSE_PASSPHRASE = "Nurse Bo", "bo's own passphrase!"


@pytest.fixture
def as_admin(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> Path:
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", ADMIN_PASSPHRASE)
    monkeypatch.setenv("KIOSK_STAFF_NAME", ADMIN)
    assert main(["setup", "--data-dir", str(data_dir), "--clinic", "Hill", "--admin", ADMIN]) == 0
    assert main(["demo-data", "--data-dir", str(data_dir), "--count", "5", "--days", "30"]) == 0
    return data_dir


def as_staff(monkeypatch: pytest.MonkeyPatch, name: str, passphrase: str) -> None:
    monkeypatch.setenv("KIOSK_STAFF_NAME", name)
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", passphrase)


def test_the_role_table_is_what_the_clinic_was_promised() -> None:
    assert rights.RIGHTS[Role.FRONT_DESK] == {Action.FIND, Action.PREVIEW, Action.PRINT, Action.NOTE}
    assert rights.RIGHTS[Role.CLINICIAN] == rights.RIGHTS[Role.FRONT_DESK] | {Action.REVIEW, Action.PEOPLE, Action.DOSE}
    with pytest.raises(rights.NotAllowed, match="Recording a shot given or pills prescribed needs a clinician"):
        rights.require("front_desk", Action.DOSE)
    for action in (Action.SETTINGS, Action.ACCOUNTS, Action.EXPORT, Action.PURGE, Action.BACKUP):
        assert rights.allowed(Role.ADMINISTRATOR, action) and not rights.allowed(Role.CLINICIAN, action)
        with pytest.raises(rights.NotAllowed, match="needs an administrator"):
            rights.require("front_desk", action)


def test_account_add_list_remove_from_the_command_line_is_audited(as_admin: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("KIOSK_NEW_STAFF_PASSPHRASE", DESK_PASSPHRASE)
    assert main(["account", "add", "--data-dir", str(as_admin), "--name", DESK, "--role", "front_desk"]) == 0
    monkeypatch.setenv("KIOSK_NEW_STAFF_PASSPHRASE", NURSE_PASSPHRASE)
    assert main(["account", "--data-dir", str(as_admin), "add", "--name", NURSE]) == 0
    assert main(["account", "add", "--data-dir", str(as_admin), "--name", "Second Admin", "--admin"]) == 0
    capsys.readouterr()
    assert main(["account", "list", "--data-dir", str(as_admin)]) == 0
    listed = [line.split("\t")[:2] for line in capsys.readouterr().out.splitlines()]
    assert listed == [[ADMIN, "administrator"], [DESK, "front_desk"], [NURSE, "clinician"],
                      ["Second Admin", "administrator"]]
    assert main(["account", "remove", "--data-dir", str(as_admin), "--name", NURSE]) == 0
    assert main(["account", "remove", "--data-dir", str(as_admin), "--name", "Nobody Here"]) == 1
    assert "no staff account" in capsys.readouterr().err
    conn = connect(as_admin / "kiosk.db")
    changes = [(e.actor, e.action, e.target, e.detail) for e in audit.entries(conn) if e.action.startswith("account")]
    assert changes[::-1] == [(ADMIN, "account_add", DESK, {"role": "front_desk"}),
                             (ADMIN, "account_add", NURSE, {"role": "clinician"}),
                             (ADMIN, "account_add", "Second Admin", {"role": "administrator"}),
                             (ADMIN, "account_remove", NURSE, {})]
    with pytest.raises(vault.UnlockError):
        vault.unlock(conn, NURSE, NURSE_PASSPHRASE)
    assert vault.unlock(conn, DESK, DESK_PASSPHRASE).role is Role.FRONT_DESK


def test_account_add_without_a_new_passphrase_is_refused(as_admin: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("KIOSK_NEW_STAFF_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin", None)
    assert main(["account", "add", "--data-dir", str(as_admin), "--name", DESK]) == 1
    assert "KIOSK_NEW_STAFF_PASSPHRASE" in capsys.readouterr().err


@pytest.mark.parametrize("role", ["front_desk", "clinician"])
def test_non_administrators_get_exit_3_on_purge_backup_export_and_accounts(as_admin: Path, monkeypatch, capsys,
                                                                          tmp_path: Path, role: str) -> None:
    monkeypatch.setenv("KIOSK_NEW_STAFF_PASSPHRASE", DESK_PASSPHRASE)
    assert main(["account", "add", "--data-dir", str(as_admin), "--name", DESK, "--role", role]) == 0
    as_staff(monkeypatch, DESK, DESK_PASSPHRASE)
    folder = str(as_admin)
    refused = [["purge", "--data-dir", folder, "--days", "1"],
               ["backup", "--data-dir", folder, "--out", str(tmp_path / "b.db")],
               ["export", "--data-dir", folder, "--format", "csv", "--out", str(tmp_path / "x.csv")],
               ["account", "add", "--data-dir", folder, "--name", "Eve Intruder", "--admin"],
               ["account", "remove", "--data-dir", folder, "--name", ADMIN],
               ["account", "list", "--data-dir", folder]]
    capsys.readouterr()
    for argv in refused:
        assert main(argv) == 3, argv
        assert "needs an administrator" in capsys.readouterr().err
    assert not (tmp_path / "b.db").exists() and not (tmp_path / "x.csv").exists()
    conn = connect(as_admin / "kiosk.db")
    assert conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == 5
    assert {r[0] for r in conn.execute("SELECT name FROM staff")} == {ADMIN, DESK}
    denied = [e.detail["action"] for e in audit.entries(conn) if e.action == "refused" and e.actor == DESK]
    assert sorted(denied) == sorted(["purge", "backup", "export", "accounts", "accounts", "accounts"])


def test_existing_accounts_get_roles_when_the_database_is_upgraded(tmp_path: Path) -> None:
    from kiosk.storage.db import migrate

    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    migrate(conn, MIGRATIONS[:2])
    for name, admin in (("Old Admin", 1), ("Old Nurse", 0)):
        conn.execute("INSERT INTO staff (name, is_admin, created_at, kdf_salt, kdf_n, kdf_r, kdf_p, wrapped) "
                     "VALUES (?, ?, '2026-01-01T00:00:00+00:00', x'00', 1024, 8, 1, x'00')", (name, admin))
    migrate(conn)
    assert dict(conn.execute("SELECT name, role FROM staff").fetchall()) == {"Old Admin": "administrator",
                                                                             "Old Nurse": "clinician"}


def test_the_data_layer_refuses_what_the_role_may_not_do(installed: sqlite3.Connection, content) -> None:
    from kiosk.staff.data import SealedStaffData

    admin = vault.unlock(installed, ADMIN, ADMIN_PASSPHRASE)
    vault.add_account(installed, admin, DESK, DESK_PASSPHRASE, Role.FRONT_DESK)
    desk = SealedStaffData(installed, vault.unlock(installed, DESK, DESK_PASSPHRASE), content)
    for attempt in (lambda: desk.mark_reviewed("x"), lambda: desk.update_settings(clinic_name="Other"),
                    lambda: desk.add_account("Eve Intruder", "eve's passphrase!", Role.ADMINISTRATOR),
                    lambda: desk.submissions_between(None, None), desk.audit_entries):
        with pytest.raises(rights.NotAllowed):
            attempt()
    desk.add_note("x", "called back")  # allowed: a note (on no row here) is front-desk work
    assert desk.settings().clinic_name == "Riverside Clinic"
