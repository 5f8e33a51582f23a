"""Store and forward: each sealed submission is written to this machine's SQLite first, then copied to the shared
PostgreSQL database when one is configured.

The patient never waits for the network: the local commit is the submission;
forwarding happens after it, and when the server cannot be reached the row
simply waits (`pending_count`) for the next attempt (`Forwarder` retries with
backoff; `naltrexone-kiosk sync` forwards at once). Each submission lands on
the server exactly once: its id is the key and the server's insert is
`ON CONFLICT (id) DO NOTHING`, so a forward repeated after the server went
away between its commit and this machine's note of it stores nothing twice.
Payloads are copied as sealed bytes; forwarding never opens one. Training
rows (`demo-data`) stay on the machine they were made on.

Which rows have been forwarded is noted locally in `forwarded` (id, time, and
the status last sent), a table of this machine's own (migration 9), not part of
the shared schema. A status changed here after the forward (printed, reviewed
by staff on this station, a review undone) is sent too (`_send_statuses`).
Staff alerts waiting in this station's outbox (kiosk.storage.alerts) go first,
since a person is waiting on them; an urgent or stop submission rings the
consoles when it reaches the server. The station's own audit entries (an
import, its purge) go last, into the clinic's chain (`_send_audit`).
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.system.clock import iso_utc, utc_now
from kiosk.system.logs import FILE_ONLY
from kiosk.storage.connection_problems import diagnose, first_line as _first_line
from kiosk.storage.db import atomic
from kiosk.storage.database_url import BadDatabaseUrl, resolve_database_url

log = logging.getLogger("kiosk.forward")

BATCH = 200
WATCH_EVERY = 1.0  # seconds between looks at the local database for a new submission

_PENDING = ("FROM submissions s WHERE s.status != 'in_progress' AND s.demo = 0 "
            "AND NOT EXISTS (SELECT 1 FROM forwarded f WHERE f.id = s.id)")
# Forwarded rows whose status (or review) changed here since: what the server was last told differs.
_CHANGED = ("FROM submissions s JOIN forwarded f ON f.id = s.id "
            "WHERE f.status IS NOT s.status OR f.reviewed_at IS NOT s.reviewed_at")
# The server applies a station's status by its rule (postgres_migrations step 9, `station_status`).
_SERVER_STATUS = "SELECT station_status(%s, %s, %s, %s, %s)"


def describe(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(url)
    except Exception:  # noqa: BLE001 - an unparsable URL: say nothing more about it than its scheme
        return url.split("://", 1)[0] + "://..."
    host = parts.get("host") or "localhost"
    return f"database {parts.get('dbname', '?')} on {host}" + (f" port {parts['port']}" if parts.get("port") else "")


def connection_problem(url: str, error: BaseException) -> str:
    """Why connecting to `url` failed, in one line without the URL's password (kiosk.storage.connection_problems)."""
    return diagnose(url, error).text


def unreachable(url: str, error: BaseException) -> tuple[str, bool]:
    """What a forward or a sync says when the server failed it, and whether that is lasting (a setting must change)."""
    problem = diagnose(url, error)
    return f"the shared database cannot be reached ({describe(url)}): {problem.text}", problem.lasting


def pending_count(local: sqlite3.Connection) -> int:
    """Submissions this station has not forwarded yet."""
    return int(local.execute(f"SELECT count(*) {_PENDING}").fetchone()[0])


# This station's own audit entries (an import, its purge of forwarded rows) made after it joined the clinic, that the
# clinic's chain does not hold yet (postgres_migrations step 10, `station_audit`). They are sent in order, so only
# entries past the last one sent are looked at (a range of the primary key, not the whole log, at every forward).
_STATION_ACTIONS = ("import", "purge")
# What of each entry's detail the clinic's log receives: an import's file name stays here (it may carry a patient's
# name, and the server's administrator reads the audit table).
_SENT_DETAIL = {"import": ("stored",), "purge": ("deleted", "older_than_days")}
_JOIN = "(SELECT seq FROM audit WHERE action = 'station_join' ORDER BY seq LIMIT 1)"
_AUDIT = (f"FROM audit a WHERE a.seq > max({_JOIN}, coalesce((SELECT max(seq) FROM audit_forwarded), 0)) "
          f"AND a.action IN {_STATION_ACTIONS} AND NOT EXISTS (SELECT 1 FROM audit_forwarded f WHERE f.seq = a.seq)")


def _work_waiting(local: sqlite3.Connection) -> bool:
    return any(local.execute(f"SELECT EXISTS (SELECT 1 {where})").fetchone()[0]
               for where in ("FROM alerts", _PENDING, _CHANGED, _AUDIT))


def _pending_rows(local: sqlite3.Connection, limit: int) -> list:  # list[SealedRow]
    from kiosk.storage.postgres_submissions import SealedRow

    rows = local.execute(f"SELECT s.id, s.started_at, s.submitted_at, s.status, s.content_version, s.language, "
                         f"s.severity, s.payload, s.demo {_PENDING} ORDER BY s.submitted_at LIMIT ?", (limit,))
    return [SealedRow(id=r[0], started_at=dt.datetime.fromisoformat(r[1]),
                      submitted_at=dt.datetime.fromisoformat(r[2]) if r[2] else None, status=r[3],
                      content_version=r[4], language=r[5], severity=int(r[6]), payload=bytes(r[7]), demo=int(r[8]))
            for r in rows]


@dataclass(frozen=True)
class ForwardResult:
    forwarded: int  # rows this run copied that the server did not hold yet
    repeated: int  # rows the server already held (a forward repeated after an interruption)
    remaining: int  # rows still waiting on this machine
    error: str | None = None  # why forwarding stopped early, in words
    alerts: int = 0  # staff alerts sent from the outbox
    statuses: int = 0  # status changes sent for rows forwarded earlier
    lasting: bool = False  # the error will not heal by trying again (certificate, login): a setting must change

    @property
    def done(self) -> bool:
        return self.error is None and self.remaining == 0


def forward_pending(local: sqlite3.Connection, url: str, connect_timeout: int = 5, batch: int = BATCH,
                    clock: Callable[[], dt.datetime] = utc_now, station: str | None = None) -> ForwardResult:
    """Send waiting alerts, copy every waiting submission (a batch per server transaction) and send status changes;
    never raises for the server."""
    if not _work_waiting(local):
        return ForwardResult(0, 0, 0)  # nothing waits: no connection to the server at all
    forwarded = repeated = alerts = statuses = 0
    error: str | None = None
    lasting = False
    try:
        import psycopg

        from kiosk.storage.postgres_submissions import PostgresSubmissionStore, connect_postgres
    except ImportError as missing:  # pragma: no cover - psycopg is a dependency; a broken install says so
        return ForwardResult(0, 0, pending_count(local), f"the PostgreSQL driver is missing ({missing})")
    from kiosk.storage import alerts as outbox
    from kiosk.storage.postgres_alerts import flagged_alerts

    station = station or outbox.station_name()
    try:
        with connect_postgres(url, connect_timeout=connect_timeout) as server:
            if waiting := outbox.waiting_alerts(local):  # a person is waiting on these: first
                held = _ring(server, waiting)
                outbox.sent(local, held)
                alerts = len(held)
            store = PostgresSubmissionStore(server)
            while rows := _pending_rows(local, batch):
                with server.transaction():  # the rows and the alerts of flagged ones commit (and ring) together
                    new = store.receive(rows)
                    _ring(server, flagged_alerts(rows, station))
                with atomic(local):  # noted only once the server committed
                    local.executemany("INSERT INTO forwarded (id, at, status) VALUES (?, ?, ?) "
                                      "ON CONFLICT (id) DO NOTHING",
                                      [(row.id, iso_utc(clock()), row.status) for row in rows])
                forwarded += new
                repeated += len(rows) - new
            statuses = _send_statuses(local, server, batch)
            _send_audit(local, server, batch, station, clock)
    except (psycopg.Error, RuntimeError) as failed:
        error, lasting = unreachable(url, failed)
        log.warning("forwarding stopped: %s", error, extra=FILE_ONLY)  # each caller tells the user in its own words
    return ForwardResult(forwarded, repeated, pending_count(local), error, alerts, statuses, lasting)


def _ring(server: Any, alerts: list[Any]) -> list[str]:
    """Deliver alerts (kiosk.storage.postgres_alerts.deliver); a server whose grants predate alerts refuses them,
    which must not hold back a submission: they wait here, and the log says what to run."""
    import psycopg

    from kiosk.storage.postgres_alerts import deliver

    if not alerts:
        return []
    try:
        return deliver(server, alerts)
    except psycopg.errors.InsufficientPrivilege as refused:
        log.error("staff alerts not sent: this station's role may not add them (%s); run "
                  "packaging/postgres/grants.sql again on the server", _first_line(refused))
        return []


def _send_statuses(local: sqlite3.Connection, server: Any, batch: int) -> int:
    """Statuses changed here after their rows were forwarded; returns how many were sent."""
    count = 0
    while changed := local.execute(f"SELECT s.id, s.status, s.reviewed_by, s.reviewed_at, f.status {_CHANGED} "
                                   "LIMIT ?", (batch,)).fetchall():
        with server.transaction(), server.cursor() as cur:
            cur.executemany(_SERVER_STATUS, [
                (r[0], r[1], r[2], dt.datetime.fromisoformat(r[3]) if r[3] else None, r[4])
                for r in changed])
        with atomic(local):
            local.executemany("UPDATE forwarded SET status = ?, reviewed_at = ? WHERE id = ?",
                              [(r[1], r[3], r[0]) for r in changed])
        count += len(changed)
    return count


def _send_audit(local: sqlite3.Connection, server: Any, batch: int, station: str,
                clock: Callable[[], dt.datetime]) -> int:
    """This station's own audit entries, into the clinic's chain (each once: the station is known by the hash of its
    join entry, unique to this data folder); returns how many were sent. A server whose grants predate
    `station_audit` refuses them: they wait here, and the log says what to run."""
    import json

    import psycopg

    key = local.execute(f"SELECT hash FROM audit WHERE seq = {_JOIN}").fetchone()
    count = 0
    while key and (rows := local.execute(f"SELECT a.seq, a.at, a.actor, a.action, a.target, a.detail {_AUDIT} "
                                         "ORDER BY a.seq LIMIT ?", (batch,)).fetchall()):
        # the server's actor is the station's login; who acted here (the kiosk itself, or staff at `purge`) and
        # which station it was go in the detail
        entries = [(key[0], seq, dt.datetime.fromisoformat(at), action, target,
                    json.dumps({**{k: v for k, v in json.loads(detail).items() if k in _SENT_DETAIL[action]},
                                "station": station, "by": actor}, ensure_ascii=False, sort_keys=True))
                   for seq, at, actor, action, target, detail in rows]
        try:
            with server.transaction(), server.cursor() as cur:
                cur.executemany("SELECT station_audit(%s, %s, %s, %s, %s, %s)", entries)
        except psycopg.errors.InsufficientPrivilege as refused:
            log.error("audit entries of this station not sent: its role may not add them (%s); run "
                      "packaging/postgres/grants.sql again on the server", _first_line(refused))
            return count
        with atomic(local):
            local.executemany("INSERT INTO audit_forwarded (seq, at) VALUES (?, ?) ON CONFLICT (seq) DO NOTHING",
                              [(row[0], iso_utc(clock())) for row in rows])
        count += len(rows)
    return count


class Forwarder:
    """Forwards in a background thread on its own SQLite connection: at once when `wake()` is called (a patient
    just submitted), then every `interval` seconds; after a failure it waits 1, 2, 4 ... up to `max_backoff`
    seconds before trying again."""

    def __init__(self, open_local: Callable[[], sqlite3.Connection], url: str, interval: float = 10.0,
                 max_backoff: float = 300.0) -> None:
        self._open_local = open_local
        self.url = url
        self.interval = interval
        self.max_backoff = max_backoff
        self.last: ForwardResult | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kiosk-forwarder", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def next_wait(self, failures: int) -> float:
        return self.interval if failures == 0 else min(self.max_backoff, 2.0 ** (failures - 1))

    def _run(self) -> None:
        local = self._open_local()
        failures = 0
        try:
            while not self._stop.is_set():
                self.last = forward_pending(local, self.url)
                failures = 0 if self.last.error is None else failures + 1
                self._wait(local, self.next_wait(failures), watch=failures == 0)
        finally:
            local.close()

    def _wait(self, local: sqlite3.Connection, seconds: float, watch: bool) -> None:
        """Until `wake()`, the time is up, or (while the server answers) another connection committed to the local
        database: SQLite's `data_version` changes then, so a new submission goes out within a second."""
        version = local.execute("PRAGMA data_version").fetchone()[0]
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self._wake.wait(min(WATCH_EVERY, left)):
                break
            if watch and local.execute("PRAGMA data_version").fetchone()[0] != version:
                break
        self._wake.clear()


def start_forwarding(data_dir: Path, setting: str) -> Forwarder | None:
    """The kiosk's background forwarder when a shared database is configured ($KIOSK_DATABASE_URL or the
    database_url setting); None on a machine that works alone. A URL that is not postgresql:// is logged and
    ignored: the kiosk keeps taking patients on its own store."""
    try:
        url = resolve_database_url(None, setting)
    except BadDatabaseUrl as bad:
        log.error("not forwarding: %s", bad)
        return None
    if url is None:
        return None
    from kiosk.storage.db import connect

    forwarder = Forwarder(lambda: connect(data_dir / "kiosk.db"), url)
    forwarder.start()
    log.info("forwarding sealed submissions to the shared %s", describe(url))
    return forwarder
