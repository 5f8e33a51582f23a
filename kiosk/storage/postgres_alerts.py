"""Staff alerts on the shared PostgreSQL database: stored in `alerts`, announced with NOTIFY, acknowledged by staff.

A NOTIFY sent inside a transaction is delivered when it commits, so a console
hears of an alert only once the server holds it, and of a flagged submission
only once the submission itself is stored. The payload is
`kiosk.storage.alerts.Alert.payload()` (event, id, station, kind, time) or an
acknowledgement (event, id): never a name, an answer or a flag's wording.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from kiosk.storage.alerts import CHANNEL, Alert

Connection = Any  # psycopg.Connection: psycopg is imported only when a postgresql:// URL is used
_ARRIVALS = uuid.UUID("5f0e1c2a-6b1d-4a57-9a52-3d8f2b7c9e11")  # names the alerts of flagged submissions
OPEN_FOR = dt.timedelta(hours=12)  # an alert nobody acknowledged is still shown at an unlock this long after


def deliver(conn: Connection, alerts: Sequence[tuple[Alert, str | None]]) -> list[str]:
    """Store alerts (with their submission id) and NOTIFY each one the server did not hold yet, in one transaction;
    returns the ids of those it now holds (new or repeated), so the station may drop them from its outbox.

    An urgent or stop alert for a submission that already rang (its live alert, or an earlier forward) is not
    announced twice.
    """
    held: list[str] = []
    with conn.transaction():
        for alert, submission_id in alerts:
            held.append(alert.id)
            if submission_id is not None and alert.kind in ("urgent", "stop") and conn.execute(
                    "SELECT 1 FROM alerts WHERE submission_id = %s AND kind = %s", (submission_id, alert.kind)
            ).fetchone() is not None:
                continue
            stored = conn.execute(
                "INSERT INTO alerts (id, station, kind, submission_id, raised_at) VALUES (%s, %s, %s, %s, %s) "
                "ON CONFLICT (id) DO NOTHING RETURNING id",
                (alert.id, alert.station, alert.kind, submission_id, alert.raised_at)).fetchone()
            if stored is not None:
                conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, alert.payload()))
    return held


def open_alerts(conn: Connection, now: dt.datetime, within: dt.timedelta = OPEN_FOR) -> list[Alert]:
    """Alerts nobody has acknowledged yet, raised within `within` of `now`, oldest first (shown at an unlock)."""
    rows = conn.execute("SELECT id, station, kind, raised_at FROM alerts WHERE acknowledged_at IS NULL "
                        "AND raised_at >= %s ORDER BY raised_at", (now - within,)).fetchall()
    return [Alert(id=r[0], station=r[1], kind=r[2], raised_at=r[3]) for r in rows]


def acknowledge(conn: Connection, alert_id: str, actor: str, at: dt.datetime) -> bool:
    """Note who acknowledged an alert and tell every console (their banners drop it); False when someone already
    had."""
    with conn.transaction():
        done = conn.execute("UPDATE alerts SET acknowledged_by = %s, acknowledged_at = %s "
                            "WHERE id = %s AND acknowledged_at IS NULL RETURNING id", (actor, at, alert_id)).fetchone()
        conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, json.dumps({"event": "acknowledged", "id": alert_id})))
    return done is not None


def acknowledged_by(conn: Connection, alert_id: str) -> tuple[str, dt.datetime] | None:
    row = conn.execute("SELECT acknowledged_by, acknowledged_at FROM alerts WHERE id = %s", (alert_id,)).fetchone()
    return None if row is None or row[0] is None else (row[0], row[1])


def parse(payload: str) -> tuple[str, Alert | str] | None:
    """("alert", Alert) or ("acknowledged", id) from a NOTIFY payload; None for anything else."""
    try:
        data = json.loads(payload)
        if data.get("event") == "acknowledged":
            return "acknowledged", str(data["id"])
        if data.get("event") == "alert":
            return "alert", Alert(id=str(data["id"]), station=str(data["station"]), kind=str(data["kind"]),
                                  raised_at=dt.datetime.fromisoformat(data["at"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return None


def flagged_alerts(rows: Iterable[Any], station: str) -> list[tuple[Alert, str | None]]:
    """An alert for each urgent or stop submission among forwarded rows (`SealedRow`s), dated when it was
    submitted."""
    from kiosk.storage.submissions import SEVERITY_RANK

    kinds = {SEVERITY_RANK["urgent"]: "urgent", SEVERITY_RANK["stop"]: "stop"}
    found = []
    for row in rows:
        kind = kinds.get(row.severity)
        if kind is not None and not row.demo and row.status != "in_progress":
            # an id of its own, the same at every repeat of the forward, that does not show the submission's
            found.append((Alert(id=uuid.uuid5(_ARRIVALS, f"{row.id}/{kind}").hex, station=station, kind=kind,
                                raised_at=row.submitted_at or row.started_at), row.id))
    return found
