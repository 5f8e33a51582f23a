"""A status changed on a station after its submission was forwarded (printed there, reviewed by staff there, a review
undone) reaches the shared database, by the rule that never undoes a review made at another console; and the
`forwarded` bookkeeping is migration 9, taking over the table earlier kiosks made on first use."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import psycopg

from fake_staff import make_submission
from kiosk.content import Content
from kiosk.storage.db import connect, migrate, schema_version
from kiosk.storage.forwarder import forward_pending, pending_count
from kiosk.storage.migrations import MIGRATIONS
from kiosk.storage.sqlite_submissions import SubmissionStore
from kiosk.storage.submissions import Submission
from postgres_server import PostgresServer, postgres_server  # noqa: F401
from test_store_and_forward import T0


def server_status(url: str, submission_id: str) -> tuple[str, str | None, dt.datetime | None]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT status, reviewed_by, reviewed_at FROM submissions WHERE id = %s",
                            (submission_id,)).fetchone()


def saved_on_station(installed: sqlite3.Connection, content: Content, name: str) -> tuple[SubmissionStore, Submission]:
    """A station's store with one new submission of `name` in it, not forwarded yet."""
    store = SubmissionStore(installed)
    submission = make_submission(content, name, "1970-01-01", T0)
    store.save(submission)
    return store, submission


def test_printed_reviewed_and_undone_on_a_station_reach_the_server(
        installed: sqlite3.Connection, content: Content, postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database()
    store, submission = saved_on_station(installed, content, "Status Person")
    assert forward_pending(installed, url).forwarded == 1
    assert server_status(url, submission.id) == ("new", None, None)

    store.mark_printed(submission.id)
    assert forward_pending(installed, url).statuses == 1
    assert server_status(url, submission.id) == ("printed", None, None)

    reviewed_at = T0 + dt.timedelta(hours=1)
    store.mark_reviewed(submission.id, "Dr Ruiz", reviewed_at)
    assert forward_pending(installed, url).statuses == 1
    assert server_status(url, submission.id) == ("reviewed", "Dr Ruiz", reviewed_at)

    store.undo_review(submission.id, "printed")
    assert forward_pending(installed, url).statuses == 1
    assert server_status(url, submission.id) == ("printed", None, None)
    again = forward_pending(installed, url)
    assert (again.statuses, again.forwarded) == (0, 0), "nothing changed since: nothing sent"


def test_a_review_made_at_another_console_is_not_undone_by_a_station_that_printed(
        installed: sqlite3.Connection, content: Content, postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database()
    store, submission = saved_on_station(installed, content, "Desk Person")
    forward_pending(installed, url)
    with psycopg.connect(url, autocommit=True) as desk:  # a console on the shared database marks it reviewed
        desk.execute("UPDATE submissions SET status = 'reviewed', reviewed_by = 'Nurse Kim', reviewed_at = %s "
                     "WHERE id = %s", (T0, submission.id))
    store.mark_printed(submission.id)  # meanwhile the tablet printed it
    assert forward_pending(installed, url).statuses == 1
    assert server_status(url, submission.id) == ("reviewed", "Nurse Kim", T0)


def test_a_status_changed_before_the_first_forward_arrives_with_its_reviewer(
        installed: sqlite3.Connection, content: Content, postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database()
    store, submission = saved_on_station(installed, content, "Early Review")
    store.mark_reviewed(submission.id, "Dr Ruiz", T0)
    sent = forward_pending(installed, url)
    assert (sent.forwarded, sent.statuses) == (1, 1)
    assert server_status(url, submission.id) == ("reviewed", "Dr Ruiz", T0)


def test_migration_9_keeps_what_an_earlier_kiosk_noted_as_forwarded(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    migrate(conn, MIGRATIONS[:8])
    # what the forwarder of the earlier kiosk created on its first use, and noted
    conn.execute("CREATE TABLE IF NOT EXISTS forwarded (id TEXT PRIMARY KEY, at TEXT NOT NULL) STRICT")
    conn.execute("INSERT INTO forwarded (id, at) VALUES ('sent-before', '2026-11-01T09:00:00+00:00')")
    assert migrate(conn) == 10 == len(MIGRATIONS)
    assert conn.execute("SELECT id, at, status, reviewed_at FROM forwarded").fetchall() == [
        ("sent-before", "2026-11-01T09:00:00+00:00", None, None)]
    assert conn.execute("SELECT count(*) FROM alerts").fetchone() == (0,)


def test_a_new_database_has_the_bookkeeping_from_migration_9(tmp_path: Path) -> None:
    conn = connect(tmp_path / "new.db")
    assert schema_version(conn) == 10
    columns = [r[1] for r in conn.execute("PRAGMA table_info(forwarded)")]
    assert columns == ["id", "at", "status", "reviewed_at"]
    assert [r[1] for r in conn.execute("PRAGMA table_info(alerts)")] == [
        "id", "station", "kind", "submission_id", "raised_at"]
    assert pending_count(conn) == 0
