"""Staff alerts at an unlocked console, Qt-free: hear them from the shared database, acknowledge them (audited).

`AlertListener` holds its own PostgreSQL connection in a background thread,
LISTENs on the alerts channel, and hands each alert (and each acknowledgement
made at any console) to callbacks; at start it also hands over the alerts
nobody has acknowledged yet, so a console unlocked a minute after "Need help?"
still shows it. It works the same whether this console reads its queue from
SQLite or from PostgreSQL: only the shared database's URL matters. Losing the
server only pauses it; it connects again by itself.

`AlertDesk.acknowledge` writes the audit entry (who and when, through the
console's own audit log) and marks the alert acknowledged on the server, which
tells every other console to drop it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from kiosk.storage.alerts import CHANNEL, Alert
from kiosk.system.clock import utc_now

log = logging.getLogger("kiosk.alerts")

POLL = 0.2  # seconds between looks at the stop flag while waiting for a notification
RETRY = 2.0  # seconds before connecting again after the server went away


class AlertListener:
    def __init__(self, url: str, on_alert: Callable[[Alert], None], on_acknowledged: Callable[[str], None],
                 clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.url = url
        self.on_alert = on_alert
        self.on_acknowledged = on_acknowledged
        self.clock = clock
        self.listening = threading.Event()  # set once LISTEN is in place (tests wait for it)
        self._stop = threading.Event()
        # Held while a callback runs and while stopping: once stop() returns no callback starts, even when the
        # thread is still inside a slow connect or poll (the console window a callback signals may be gone by then).
        self._telling = threading.RLock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kiosk-alerts", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        with self._telling:
            self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception as exc:  # noqa: BLE001 - a server away must not end the console; try again later
                self.listening.clear()
                log.warning("alerts: the shared database cannot be reached (%s); trying again", type(exc).__name__)
                self._stop.wait(RETRY)

    def _listen(self) -> None:
        from kiosk.storage.postgres_alerts import open_alerts, parse
        from kiosk.storage.postgres_submissions import connect_postgres

        with connect_postgres(self.url) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            for alert in open_alerts(conn, self.clock()):  # raised before this console was unlocked
                self._tell(self.on_alert, alert)
            self.listening.set()
            while not self._stop.is_set():
                for note in conn.notifies(timeout=POLL):
                    event = parse(note.payload)
                    if event is None:
                        continue
                    if event[0] == "alert" and isinstance(event[1], Alert):
                        self._tell(self.on_alert, event[1])
                    elif event[0] == "acknowledged":
                        self._tell(self.on_acknowledged, str(event[1]))

    def _tell(self, callback: Callable[[Any], None], value: object) -> None:
        with self._telling:
            if not self._stop.is_set():
                callback(value)


class AlertDesk:
    """Acknowledging: `record(action, target, detail)` is the unlocked staff member's audit log (StaffData.record);
    `actor` is who is unlocked."""

    def __init__(self, url: str, actor: str, record: Callable[[str, str, dict[str, Any]], None],
                 clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.url = url
        self.actor = actor
        self.record = record
        self.clock = clock

    def acknowledge(self, alert: Alert) -> str:
        """Audit it, then mark it on the server; returns a line for staff (also when the server is away: the audit
        entry stands and the banner goes, other consoles keep theirs)."""
        at = self.clock()
        self.record("alert_acknowledged", alert.id,
                    {"station": alert.station, "kind": alert.kind, "raised_at": alert.raised_at.isoformat()})
        try:
            import psycopg

            from kiosk.storage.postgres_alerts import acknowledge

            with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as conn:
                first = acknowledge(conn, alert.id, self.actor, at)
        except Exception as exc:  # noqa: BLE001 - the acknowledgement is audited here; the server hears later or never
            log.warning("alerts: acknowledgement not sent to the shared database (%s)", type(exc).__name__)
            return f"Acknowledged by {self.actor}; other desks could not be told (the shared database is away)."
        return f"Acknowledged by {self.actor}" if first else "Already acknowledged at another desk"
