"""A station's own audit entries (an import, its purge of forwarded rows) reach the clinic's audit chain on a real
PostgreSQL: written here first like the submission, sent with the next forward after a server outage, chained on the
server exactly as kiosk.staff.audit chains (the chain checks clean), and each lands once however often it is sent."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import psycopg
import pytest

from kiosk.cli import main
from kiosk.content import Content
from kiosk.services import open_kiosk_services
from kiosk.staff import audit
from kiosk.staff.vault import SYSTEM
from kiosk.storage.shared_connection import open_shared
from postgres_server import PostgresServer, own_postgres_server  # noqa: F401
from shared_clinic import clinic_env, make_clinic, response_file  # noqa: F401


def clinic_entries(url: str, action: str) -> list[audit.AuditEntry]:
    with open_shared(url) as shared:
        assert audit.problems(shared) == [], "the chain the server extended checks clean in Python"
        return [e for e in audit.entries(shared) if e.action == action]


def test_an_import_made_while_the_server_is_down_reaches_the_clinics_audit_log_once(
        content: Content, tmp_path: Path, own_postgres_server: PostgresServer, capsys: pytest.CaptureFixture[str],
        clinic_env: pytest.MonkeyPatch) -> None:  # noqa: F811
    server = own_postgres_server
    url = server.create_database()
    station = tmp_path / "tablet"
    make_clinic(url, station, capsys)
    clinic_env.setenv("KIOSK_STATION_NAME", "Waiting room tablet 2")
    server.stop()
    response = response_file(content, tmp_path / 'Résumé "q" \\ b.json', "Down Import")
    assert main(["import", "--data-dir", str(station), "--response", str(response)]) == 0
    submission_id, err = capsys.readouterr()
    submission_id = submission_id.strip()
    assert "queued" in err
    local = sqlite3.connect(station / "kiosk.db")
    assert [r[0] for r in local.execute("SELECT target FROM audit WHERE action = 'import'")] == [submission_id]

    server.start()
    assert main(["sync", "--data-dir", str(station)]) == 0, capsys.readouterr().err
    [entry] = clinic_entries(url, "import")
    assert entry.actor == f"station:{server.user}" and entry.target == submission_id
    # the file's name stays on the station: it may carry a patient's name, and the server's administrator reads this
    assert entry.detail == {"stored": True, "station": "Waiting room tablet 2", "by": SYSTEM}
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM audit WHERE detail LIKE '%Résumé%'").fetchone() == (0,)
    local_at = local.execute("SELECT at FROM audit WHERE action = 'import'").fetchone()[0]
    assert entry.at == dt.datetime.fromisoformat(local_at), "the time it happened, not the time it was sent"

    assert main(["sync", "--data-dir", str(station)]) == 0
    local.execute("DELETE FROM audit_forwarded")  # as if the station died after the server's commit
    local.commit()
    assert main(["sync", "--data-dir", str(station)]) == 0
    assert len(clinic_entries(url, "import")) == 1, "a repeated send adds nothing"
    assert local.execute("SELECT count(*) FROM audit_forwarded").fetchone() == (1,)
    local.close()

    # the kiosk's start-up purge of the forwarded row, a year on: its entry follows the import's
    services = open_kiosk_services(station)
    try:
        assert services.purge_expired(50, now=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=400)) == 1
    finally:
        services.close()
    assert main(["sync", "--data-dir", str(station)]) == 0
    [purge] = clinic_entries(url, "purge")
    assert purge.actor == f"station:{server.user}" and purge.seq > entry.seq
    assert purge.detail["deleted"] == 1 and purge.detail["by"] == SYSTEM


def test_the_server_chains_a_station_entry_as_python_does_at_any_time_and_takes_only_station_actions(
        own_postgres_server: PostgresServer) -> None:
    server = own_postgres_server
    url = server.create_database()
    open_shared(url).close()  # the tables and station_audit()
    with open_shared(url) as shared:
        audit.append(shared, "Ann", "unlock")
    times = [dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc),  # no microseconds: isoformat leaves them out
             dt.datetime(2026, 11, 2, 9, 0, 0, 120, tzinfo=dt.timezone.utc),
             dt.datetime(2026, 11, 2, 4, 30, 5, 999999, tzinfo=dt.timezone(dt.timedelta(hours=-5)))]
    with psycopg.connect(url, autocommit=True) as conn:
        for n, at in enumerate(times, start=1):
            assert conn.execute("SELECT station_audit('s1', %s, %s, 'purge', '', %s)",
                                (n, at, '{"deleted": 2, "older_than_days": 90, "station": "Ünïcode \\"desk\\""}')
                                ).fetchone() == (True,)
        assert conn.execute("SELECT station_audit('s1', 1, now(), 'purge', '', '{}')").fetchone() == (False,)
        with pytest.raises(psycopg.errors.RaiseException, match="may not write account_add entries"):
            conn.execute("SELECT station_audit('s1', 9, now(), 'account_add', 'Eve', '{}')")
        with pytest.raises(psycopg.errors.InvalidTextRepresentation):
            conn.execute("SELECT station_audit('s1', 10, now(), 'import', 'x', 'not json')")
    purges = clinic_entries(url, "purge")
    assert sorted(e.at for e in purges) == sorted(times) and len(purges) == 3
