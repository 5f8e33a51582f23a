"""Staff alerts through a real PostgreSQL server: a station's "Need help?" or flagged submission reaches a listening
console in another process within 2 seconds, carries no patient content, waits out a server that is down, rings
once per submission, and is acknowledged with an audit entry."""

from __future__ import annotations

import datetime as dt
import json
import queue
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import psycopg

from conftest import ADMIN, ADMIN_PASSPHRASE, ROOT
from fake_staff import make_submission
from kiosk.console.alerts import AlertDesk, AlertListener
from kiosk.content import Content
from kiosk.rules.assessment import Flag
from kiosk.staff import vault
from kiosk.staff.data import SealedStaffData
from kiosk.storage.alerts import Alert, raise_alert, waiting_alerts
from kiosk.storage.forwarder import forward_pending
from kiosk.storage.postgres_alerts import acknowledged_by
from kiosk.storage.sqlite_submissions import SubmissionStore
from postgres_server import PostgresServer, own_postgres_server, postgres_server  # noqa: F401

CANARY = "Zebulon Quackenbush"
T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)

STATION = """
import sys, time
from pathlib import Path
from kiosk.storage.alerts import raise_alert
from kiosk.storage.db import connect
from kiosk.storage.forwarder import Forwarder

data_dir, url = Path(sys.argv[1]), sys.argv[2]
forwarder = Forwarder(lambda: connect(data_dir / "kiosk.db"), url)
forwarder.start()
time.sleep(1.0)  # the forwarder has looked once and is idle, as on a kiosk between patients
conn = connect(data_dir / "kiosk.db")
raised = time.monotonic()
raise_alert(conn, "help", "a-session-id", station="Waiting room tablet 2")
forwarder.wake()  # what the kiosk does after queueing the alert
print(raised, flush=True)
deadline = time.monotonic() + 10
while conn.execute("SELECT count(*) FROM alerts").fetchone()[0] and time.monotonic() < deadline:
    time.sleep(0.02)
forwarder.stop()
"""


class Heard:
    """What a console's listener heard, with the (system-wide monotonic) time it heard it."""

    def __init__(self, url: str) -> None:
        self.events: queue.Queue[tuple[str, object, float]] = queue.Queue()
        self.listener = AlertListener(url, lambda a: self.events.put(("alert", a, time.monotonic())),
                                      lambda i: self.events.put(("acknowledged", i, time.monotonic())))
        self.listener.start()
        assert self.listener.listening.wait(10), "the listener never connected"

    def next(self, timeout: float = 5.0) -> tuple[str, object, float]:
        return self.events.get(timeout=timeout)

    def none_within(self, seconds: float) -> bool:
        try:
            self.events.get(timeout=seconds)
        except queue.Empty:
            return True
        return False


def raw_payloads(url: str, seconds: float) -> list[str]:
    """Every NOTIFY payload a plain LISTEN connection receives within `seconds`."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("LISTEN kiosk_alerts")
        return [n.payload for n in conn.notifies(timeout=seconds)]


def test_need_help_from_another_process_reaches_a_listening_console_within_two_seconds(
        installed: sqlite3.Connection, data_dir: Path, postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database()
    heard = Heard(url)
    try:
        station = subprocess.run([sys.executable, "-c", STATION, str(data_dir), url], capture_output=True, text=True,
                                 timeout=60, cwd=ROOT)
        assert station.returncode == 0, station.stderr
        raised = float(station.stdout.strip())
        kind, alert, at = heard.next()
    finally:
        heard.listener.stop()
    latency = at - raised
    print(f"alert latency, station process to console listener: {latency * 1000:.0f} ms")
    assert kind == "alert" and isinstance(alert, Alert)
    assert (alert.station, alert.kind, alert.title) == ("Waiting room tablet 2", "help", "Needs help")
    assert latency < 2.0
    assert waiting_alerts(installed) == [], "the outbox is empty once the server holds the alert"


def test_the_notification_carries_no_patient_content(
        installed: sqlite3.Connection, content: Content, postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database()
    forward_pending(installed, url)  # the schema, before anyone listens
    store = SubmissionStore(installed)
    urgent = make_submission(content, CANARY, "1961-07-08", T0, urgent=True)
    store.save(urgent)
    raise_alert(installed, "help", urgent.id, station="Tablet 1")
    with psycopg.connect(url, autocommit=True) as listening:
        listening.execute("LISTEN kiosk_alerts")
        assert forward_pending(installed, url).forwarded == 1
        payloads = [n.payload for n in listening.notifies(timeout=1.0)]
    assert len(payloads) == 2, payloads
    for payload in payloads:
        data = json.loads(payload)
        assert set(data) == {"event", "id", "station", "kind", "at"}
        assert CANARY.split()[0] not in payload and "1961" not in payload and urgent.id not in payload
    assert sorted(json.loads(p)["kind"] for p in payloads) == ["help", "urgent"]


def test_an_alert_raised_while_the_server_is_down_is_sent_with_the_next_forward(
        installed: sqlite3.Connection, own_postgres_server: PostgresServer) -> None:
    server = own_postgres_server
    url = server.create_database()
    forward_pending(installed, url)
    server.stop()
    raised = raise_alert(installed, "help", station="Tablet 3", clock=lambda: T0)
    cut = forward_pending(installed, url, connect_timeout=2)
    assert cut.error is not None and [a.id for a, _ in waiting_alerts(installed)] == [raised.id]
    server.start()
    heard = Heard(url)
    try:
        sent = forward_pending(installed, url)
        assert (sent.error, sent.alerts) == (None, 1)
        kind, alert, _ = heard.next()
    finally:
        heard.listener.stop()
    assert kind == "alert" and alert == raised, "the same alert, with the time it was raised"
    assert waiting_alerts(installed) == []


def test_an_urgent_submission_rings_once_and_a_stop_submission_rings_when_it_arrives(
        installed: sqlite3.Connection, content: Content, postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database()
    forward_pending(installed, url)
    store = SubmissionStore(installed)
    urgent = make_submission(content, "Urgent Person", "1970-01-01", T0, urgent=True)
    raise_alert(installed, "urgent", urgent.id, station="Tablet 1")  # the live alert while the patient answered
    store.save(urgent)
    stop = make_submission(content, "Stop Person", "1970-01-01", T0)
    stop.assessment = replace(stop.assessment, flags=(Flag("test_stop", "stop", "Stop test flag"),))
    assert stop.assessment.top_severity == "stop"
    store.save(stop)
    calm = make_submission(content, "Calm Person", "1970-01-01", T0)
    calm.assessment = replace(calm.assessment, flags=())
    store.save(calm)
    with psycopg.connect(url, autocommit=True) as listening:
        listening.execute("LISTEN kiosk_alerts")
        assert forward_pending(installed, url, station="Tablet 1").forwarded == 3
        installed.execute("DELETE FROM forwarded")  # the forward repeated (a lost reply): nothing rings again
        assert forward_pending(installed, url, station="Tablet 1").repeated == 3
        kinds = sorted(json.loads(n.payload)["kind"] for n in listening.notifies(timeout=1.0))
    assert kinds == ["stop", "urgent"]


def test_acknowledging_is_audited_and_clears_the_alert_at_every_console(
        installed: sqlite3.Connection, content: Content, postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database()
    forward_pending(installed, url)
    staff = SealedStaffData(installed, vault.unlock(installed, ADMIN, ADMIN_PASSPHRASE), content)
    other_desk = Heard(url)
    try:
        raise_alert(installed, "help", station="Tablet 2")
        forward_pending(installed, url)
        _, alert, _ = other_desk.next()
        assert isinstance(alert, Alert)
        desk = AlertDesk(url, staff.actor, staff.record, clock=lambda: T0)
        assert desk.acknowledge(alert) == f"Acknowledged by {ADMIN}"
        assert other_desk.next()[:2] == ("acknowledged", alert.id)
        assert desk.acknowledge(alert) == "Already acknowledged at another desk"
    finally:
        other_desk.listener.stop()
    with psycopg.connect(url, autocommit=True) as conn:
        assert acknowledged_by(conn, alert.id) == (ADMIN, T0)
    entries = [e for e in staff.audit_entries() if e.action == "alert_acknowledged"]
    assert entries and entries[0].actor == ADMIN and entries[0].target == alert.id
    assert entries[0].detail["station"] == "Tablet 2" and entries[0].detail["kind"] == "help"
    # A console unlocked later is not shown an alert someone already acknowledged.
    late = Heard(url)
    try:
        assert late.none_within(0.5)
    finally:
        late.listener.stop()


def test_a_console_unlocked_after_the_alert_still_shows_it(
        installed: sqlite3.Connection, postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database()
    raised = raise_alert(installed, "help", station="Tablet 4")
    forward_pending(installed, url)
    late = Heard(url)
    try:
        kind, alert, _ = late.next()
    finally:
        late.listener.stop()
    assert (kind, alert) == ("alert", raised)


def test_alerts_on_the_server_age_out_with_the_retention_purge(
        installed: sqlite3.Connection, postgres_server: PostgresServer) -> None:
    from kiosk.storage.postgres_submissions import PostgresSubmissionStore, connect_postgres

    url = postgres_server.create_database()
    raise_alert(installed, "help", station="Tablet 5", clock=lambda: T0)
    kept = raise_alert(installed, "help", station="Tablet 5", clock=lambda: T0 + dt.timedelta(days=40))
    forward_pending(installed, url)
    with connect_postgres(url) as conn:
        PostgresSubmissionStore(conn).purge_older_than(T0 + dt.timedelta(days=30))
        assert [r[0] for r in conn.execute("SELECT id FROM alerts")] == [kept.id]


def test_no_alert_is_handed_over_once_the_listener_is_stopped_even_while_its_thread_still_polls(
        installed: sqlite3.Connection, postgres_server: PostgresServer, monkeypatch) -> None:
    """A console locks with `stop(timeout=1.0)`: its thread may still be inside a poll when the window is deleted,
    and a callback then signalled a deleted Qt object ("Signal source has been deleted", or a crash)."""
    import kiosk.console.alerts as alerts

    monkeypatch.setattr(alerts, "POLL", 5.0)  # a poll long enough that the thread is surely still inside it
    url = postgres_server.create_database()
    heard = Heard(url)
    thread = heard.listener._thread
    heard.listener.stop(timeout=0)
    assert thread is not None and thread.is_alive(), "the thread is still polling when stop() returns"
    raise_alert(installed, "help", station="Waiting room tablet 2")
    forward_pending(installed, url)
    thread.join(10)
    assert not thread.is_alive()
    assert heard.none_within(0.1), "nothing reaches the console after stop()"
