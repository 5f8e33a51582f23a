"""Staff alerts from a station: "Need help?", an urgent answer, a stop flag, answers that could not be saved.

On a machine that works alone the kiosk's own signal (a beep, a corner marker)
is the whole alert. With a shared database each alert is also written here, to
this station's SQLite outbox (`alerts`, migration 9), and the forwarder sends
it to the server, which announces it to every unlocked console with NOTIFY.
An alert raised while the server is down waits in the outbox and is sent with
the next forward, with the time it was raised.

An alert carries no patient content, ever: which station, what kind, when, and
an id. The submission's id is kept beside it on the server (so an urgent
submission that arrives after its live alert does not ring twice) but is not
in the notification.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.storage.db import atomic
from kiosk.system.clock import iso_utc, utc_now

# What staff read on the banner, per kind; the kinds a station may raise.
ALERT_KINDS: dict[str, str] = {
    "help": "Needs help",
    "urgent": "Urgent answer",
    "stop": "Stop flag",
    "not_saved": "Answers not saved",
}
CHANNEL = "kiosk_alerts"  # the NOTIFY channel every console listens on
STATION_VARIABLE = "KIOSK_STATION_NAME"
STATION_LIMIT = 60


def station_name() -> str:
    """This machine's name on the consoles' banner: $KIOSK_STATION_NAME (e.g. "Waiting room tablet 2"), else the
    host name. Per machine on purpose: the clinic's settings are shared by every station."""
    name = (os.environ.get(STATION_VARIABLE) or "").strip() or socket.gethostname() or "station"
    return " ".join(name.split())[:STATION_LIMIT]


@dataclass(frozen=True)
class Alert:
    id: str
    station: str
    kind: str
    raised_at: dt.datetime

    @property
    def title(self) -> str:
        return ALERT_KINDS.get(self.kind, self.kind)

    def payload(self) -> str:
        """The NOTIFY payload: only the event, id, station, kind and time."""
        return json.dumps({"event": "alert", "id": self.id, "station": self.station, "kind": self.kind,
                           "at": self.raised_at.isoformat()})


def new_alert(kind: str, station: str | None = None, clock: Callable[[], dt.datetime] = utc_now) -> Alert:
    if kind not in ALERT_KINDS:
        raise ValueError(f"unknown alert kind {kind!r} (one of: {', '.join(ALERT_KINDS)})")
    return Alert(id=uuid.uuid4().hex, station=station or station_name(), kind=kind, raised_at=clock())


def raise_alert(local: sqlite3.Connection, kind: str, submission_id: str | None = None, station: str | None = None,
                clock: Callable[[], dt.datetime] = utc_now) -> Alert:
    """Put an alert in this station's outbox (committed at once); the forwarder sends it."""
    alert = new_alert(kind, station, clock)
    with atomic(local):
        local.execute("INSERT INTO alerts (id, station, kind, submission_id, raised_at) VALUES (?, ?, ?, ?, ?)",
                      (alert.id, alert.station, alert.kind, submission_id, iso_utc(alert.raised_at)))
    return alert


def waiting_alerts(local: sqlite3.Connection) -> list[tuple[Alert, str | None]]:
    """(alert, submission id) still in the outbox, oldest first."""
    rows = local.execute("SELECT id, station, kind, submission_id, raised_at FROM alerts ORDER BY raised_at")
    return [(Alert(id=r[0], station=r[1], kind=r[2], raised_at=dt.datetime.fromisoformat(r[4])), r[3]) for r in rows]


def sent(local: sqlite3.Connection, ids: list[str]) -> None:
    """The server holds these: they leave the outbox."""
    with atomic(local):
        local.executemany("DELETE FROM alerts WHERE id = ?", [(i,) for i in ids])
