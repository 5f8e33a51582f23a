"""packaging/postgres/init.sql and grants.sql on a real server, run with psql as an administrator would: a tablet's
role forwards sealed submissions but cannot read, change or delete one; a staff role can read the queue."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import psycopg
import pytest

from conftest import ROOT
from fake_staff import make_submission
from kiosk.cli import main
from kiosk.content import Content
from kiosk.staff import audit, vault
from kiosk.storage.forwarder import forward_pending
from kiosk.storage.postgres_submissions import connect_postgres
from kiosk.storage.shared_connection import open_shared
from kiosk.storage.sqlite_submissions import SubmissionStore
from postgres_server import PostgresServer, own_postgres_server  # noqa: F401
from shared_clinic import clinic_env, import_at, make_clinic  # noqa: F401
from test_store_and_forward import T0

SQL = ROOT / "packaging" / "postgres"


def psql(url: str, script: str) -> None:
    done = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-f", str(SQL / script)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def as_role(server: PostgresServer, user: str) -> str:
    return server.url("kiosk").replace(f"user={server.user}", f"user={user}")


def test_a_station_inserts_sealed_submissions_and_reads_none_back(
        installed: sqlite3.Connection, content: Content, own_postgres_server: PostgresServer) -> None:
    server = own_postgres_server
    psql(server.url(), "init.sql")
    connect_postgres(as_role(server, "kiosk_owner")).close()  # the owner's first connection creates the tables
    psql(as_role(server, "kiosk_owner"), "grants.sql")
    with psycopg.connect(server.url("kiosk"), autocommit=True) as admin:
        admin.execute("CREATE ROLE tablet_a LOGIN IN ROLE kiosk_station")
        admin.execute("CREATE ROLE desk_pc LOGIN IN ROLE kiosk_staff")

    store = SubmissionStore(installed)
    for n in range(3):
        store.save(make_submission(content, f"Pat {n}", "1980-02-03", T0))
    tablet = as_role(server, "tablet_a")
    sent = forward_pending(installed, tablet)
    assert (sent.forwarded, sent.remaining, sent.error) == (3, 0, None)
    installed.execute("DELETE FROM forwarded")
    assert forward_pending(installed, tablet).repeated == 3, "a repeated forward works with the station's rights"

    with psycopg.connect(tablet, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM install").fetchone() == (0,)  # the public key is readable
        for forbidden in ("SELECT payload FROM submissions", "SELECT * FROM submissions",
                          "SELECT header, note FROM submissions", "UPDATE submissions SET status = 'reviewed'",
                          "DELETE FROM submissions", "SELECT * FROM audit", "SELECT * FROM staff",
                          "CREATE TABLE leak (x int)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(forbidden)
    with psycopg.connect(as_role(server, "desk_pc"), autocommit=True) as conn:
        assert conn.execute("SELECT count(payload) FROM submissions").fetchone() == (3,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM audit")


def test_a_tablet_joins_with_its_station_login_and_a_desk_pc_works_with_the_staff_login(
        content: Content, tmp_path: Path, own_postgres_server: PostgresServer, capsys: pytest.CaptureFixture[str],
        clinic_env: pytest.MonkeyPatch) -> None:  # noqa: F811
    server = own_postgres_server
    psql(server.url(), "init.sql")
    owner = as_role(server, "kiosk_owner")
    recovery = make_clinic(owner, tmp_path / "office", capsys)  # the owner's setup makes the tables and the clinic
    psql(owner, "grants.sql")
    with psycopg.connect(server.url("kiosk"), autocommit=True) as admin:
        admin.execute("CREATE ROLE tablet_a LOGIN IN ROLE kiosk_station")
        admin.execute("CREATE ROLE desk_pc LOGIN IN ROLE kiosk_staff")
    tablet, desk = as_role(server, "tablet_a"), as_role(server, "desk_pc")

    # a tablet's login reads no account, so only the recovery key can prove the clinic's secret from it
    assert main(["setup", "--data-dir", str(tmp_path / "tablet"), "--database", tablet]) == 3
    assert "recovery key" in capsys.readouterr().err
    clinic_env.setenv("KIOSK_RECOVERY_KEY", recovery)
    assert main(["setup", "--data-dir", str(tmp_path / "tablet"), "--database", tablet]) == 0
    assert "Joined 'Riverside'" in capsys.readouterr().out
    clinic_env.delenv("KIOSK_RECOVERY_KEY")
    imported = import_at(tmp_path / "tablet", content, tmp_path, "Tab Patient", capsys)
    with open_shared(owner) as shared:  # the tablet's import entry is in the clinic's chain, under its login
        assert [(e.actor, e.target) for e in audit.entries(shared) if e.action == "import"] == [
            ("station:tablet_a", imported)]
        assert audit.problems(shared) == []
    with psycopg.connect(tablet, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.RaiseException, match="may not write unlock entries"):
            conn.execute("SELECT station_audit('forged', 1, now(), 'unlock', 'Ann', '{}')")
        assert conn.execute("SELECT count(public_key) FROM install").fetchone() == (1,)
        assert conn.execute("SELECT value FROM settings WHERE key = 'clinic_name'").fetchone() == ('"Riverside"',)
        for forbidden in ("SELECT payload FROM submissions", "SELECT * FROM staff", "SELECT * FROM audit",
                          "SELECT * FROM account_lockout", "UPDATE settings SET value = '1'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(forbidden)

    # the desk PC signs in with the clinic's accounts (lock-out, audit and its seals written with the staff login)
    out_file = tmp_path / "desk.csv"
    assert main(["export", "--data-dir", str(tmp_path / "desk"), "--database", desk, "--format", "csv",
                 "--out", str(out_file)]) == 0, capsys.readouterr().err
    assert "Tab Patient" in out_file.read_text(encoding="utf-8")
    assert main(["account", "rotate", "--data-dir", str(tmp_path / "desk"), "--database", desk]) == 0, \
        capsys.readouterr().err
    with psycopg.connect(desk, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM audit")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE audit SET actor = 'x'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM audit_macs")
        assert conn.execute("SELECT count(*) FROM audit a JOIN audit_macs m USING (seq)").fetchone()[0] > 0
    # the tablet takes up the new epoch's public key at its next sync, with its station login
    with open_shared(desk) as shared:
        new_key = vault.public_key(shared)
        assert audit.problems(shared) == []
    station = sqlite3.connect(tmp_path / "tablet" / "kiosk.db")
    assert vault.public_key(station) != new_key
    assert main(["sync", "--data-dir", str(tmp_path / "tablet")]) == 0
    assert "Took up the clinic's current public key" in capsys.readouterr().out
    assert vault.public_key(station) == new_key
    station.close()


def test_a_station_sends_alerts_and_status_changes_with_its_role_and_staff_acknowledge(
        installed: sqlite3.Connection, content: Content, own_postgres_server: PostgresServer) -> None:
    from kiosk.storage.alerts import raise_alert, waiting_alerts

    server = own_postgres_server
    psql(server.url(), "init.sql")
    connect_postgres(as_role(server, "kiosk_owner")).close()
    psql(as_role(server, "kiosk_owner"), "grants.sql")
    with psycopg.connect(server.url("kiosk"), autocommit=True) as admin:
        admin.execute("CREATE ROLE tablet_b LOGIN IN ROLE kiosk_station")
        admin.execute("CREATE ROLE desk_b LOGIN IN ROLE kiosk_staff")
    store = SubmissionStore(installed)
    urgent = make_submission(content, "Role Person", "1980-02-03", T0, urgent=True)
    store.save(urgent)
    raise_alert(installed, "help", urgent.id, station="Tablet B")
    tablet = as_role(server, "tablet_b")
    sent = forward_pending(installed, tablet)
    assert (sent.forwarded, sent.alerts, sent.error) == (1, 1, None) and waiting_alerts(installed) == []
    store.mark_reviewed(urgent.id, "Dr Ruiz", T0)
    assert forward_pending(installed, tablet).statuses == 1
    with psycopg.connect(tablet, autocommit=True) as conn:
        for forbidden in ("UPDATE submissions SET status = 'new'", "SELECT station FROM alerts",
                          "UPDATE alerts SET acknowledged_by = 'x'", "DELETE FROM alerts"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(forbidden)
    with psycopg.connect(as_role(server, "desk_b"), autocommit=True) as conn:
        assert conn.execute("SELECT status, reviewed_by FROM submissions").fetchone() == ("reviewed", "Dr Ruiz")
        assert sorted(r[0] for r in conn.execute("SELECT kind FROM alerts")) == ["help", "urgent"]
        assert conn.execute("UPDATE alerts SET acknowledged_by = 'Ann', acknowledged_at = now()").rowcount == 2
