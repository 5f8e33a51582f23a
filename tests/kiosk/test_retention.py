"""After a purge the deleted rows are gone from the database file and its WAL, not merely unlinked."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from conftest import ADMIN
from kiosk.content import Content
from kiosk.staff import audit
from kiosk.staff.retention import purge_older_than
from kiosk.storage.codecs import PlainCodec
from kiosk.storage.sqlite_submissions import SubmissionStore
from postgres_server import own_postgres_server  # noqa: F401
from test_sealed_submissions import make_submission

CANARY = "Purgeable-Canary-Wilhelmina"


def _files_contain(folder: Path, needle: bytes) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_purge_leaves_no_trace_of_old_rows_in_db_or_wal(installed: sqlite3.Connection, content: Content, data_dir: Path) -> None:
    now = dt.datetime(2026, 11, 24, 12, tzinfo=dt.timezone.utc)
    old = make_submission(content, CANARY, "1970-01-01", now - dt.timedelta(days=400))
    recent = make_submission(content, "Recent Person", "1970-01-01", now - dt.timedelta(days=3))
    # Plain payloads make the canary visible in the file, so the test can see it go (the kiosk seals them).
    plain = SubmissionStore(installed, PlainCodec())
    plain.save(old)
    plain.save(recent)
    assert _files_contain(data_dir, CANARY.encode()), "the canary must be on disk before the purge"
    sealed_store = SubmissionStore(installed)
    sealed_old = make_submission(content, "Someone Else", "1970-01-01", now - dt.timedelta(days=500))
    sealed_store.save(sealed_old)
    ciphertext = installed.execute("SELECT payload FROM submissions WHERE id = ?", (sealed_old.id,)).fetchone()[0][-40:]

    assert purge_older_than(SubmissionStore(installed), installed, 365, ADMIN, now=now, data_dir=data_dir) == 2
    assert [r[0] for r in installed.execute("SELECT id FROM submissions")] == [recent.id]
    assert _files_contain(data_dir, CANARY.encode()) == []
    assert _files_contain(data_dir, bytes(ciphertext)) == []
    entry = audit.entries(installed)[0]
    assert entry.action == "purge" and entry.detail == {"deleted": 2, "older_than_days": 365}


def test_purge_with_nothing_old_deletes_nothing(installed: sqlite3.Connection, content: Content) -> None:
    now = dt.datetime(2026, 11, 24, 12, tzinfo=dt.timezone.utc)
    SubmissionStore(installed).save(make_submission(content, "Kept", "1970-01-01", now - dt.timedelta(days=1)))
    assert purge_older_than(SubmissionStore(installed), installed, 30, ADMIN, now=now) == 0
    assert installed.execute("SELECT count(*) FROM submissions").fetchone()[0] == 1


def test_a_station_never_purges_a_row_it_has_not_forwarded_and_purges_it_once_forwarded(
        installed: sqlite3.Connection, content: Content, data_dir: Path, own_postgres_server, monkeypatch) -> None:
    from kiosk.services import open_kiosk_services
    from kiosk.staff.settings_store import save_settings
    from kiosk.storage.forwarder import forward_pending

    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)
    server = own_postgres_server
    url = server.create_database()
    server.stop()  # the clinic's server is down for a long while
    now = dt.datetime(2026, 11, 24, 12, tzinfo=dt.timezone.utc)
    save_settings(installed, ADMIN, True, database_url=url, retention_days=30)
    store = SubmissionStore(installed)
    unforwarded = make_submission(content, "Never Sent", "1970-01-01", now - dt.timedelta(days=90))
    training = make_submission(content, "Train Ing", "1970-01-01", now - dt.timedelta(days=90))
    training.source = "demo"
    store.save(unforwarded)
    store.save(training)
    assert forward_pending(installed, url, connect_timeout=2).remaining == 1

    services = open_kiosk_services(data_dir)
    try:
        assert services.purge_expired(200, now) == 1, "only the training row, which is never forwarded"
        assert [r[0] for r in services.conn.execute("SELECT id FROM submissions")] == [unforwarded.id]
        server.start()
        assert forward_pending(services.conn, url).forwarded == 1
        assert services.purge_expired(200, now) == 1
        assert services.conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0
        assert services.conn.execute("SELECT count(*) FROM forwarded").fetchone()[0] == 0
    finally:
        services.close()


def test_a_machine_alone_purges_by_age_as_before(installed: sqlite3.Connection, content: Content, data_dir: Path,
                                                 monkeypatch) -> None:
    from kiosk.services import open_kiosk_services

    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)
    now = dt.datetime(2026, 11, 24, 12, tzinfo=dt.timezone.utc)
    SubmissionStore(installed).save(make_submission(content, "Old One", "1970-01-01", now - dt.timedelta(days=400)))
    services = open_kiosk_services(data_dir)
    try:
        assert services.purge_expired(200, now) == 1
    finally:
        services.close()
