"""Retention: submissions older than the clinic keeps them are deleted so that they cannot be recovered.

`secure_delete` (set on every connection) overwrites freed pages with zeros,
and a truncating checkpoint empties the WAL, so the deleted rows are gone
from both files, not merely unlinked. Outbox PDFs of purged rows go too.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from kiosk.clock import utc_now
from kiosk.staff import audit
from kiosk.storage.db import atomic


def purge_older_than(conn: sqlite3.Connection, days: int, actor: str, now: dt.datetime | None = None,
                     data_dir: Path | None = None) -> int:
    """Delete every submission (and abandoned autosave) older than `days`; returns how many were deleted."""
    moment = now or utc_now()
    cutoff = (moment - dt.timedelta(days=days)).astimezone(dt.timezone.utc).isoformat()
    with atomic(conn):
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM submissions WHERE coalesce(submitted_at, started_at) < ?", (cutoff,))]
        conn.executemany("DELETE FROM search_tokens WHERE submission_id = ?", [(i,) for i in ids])
        conn.executemany("DELETE FROM submissions WHERE id = ?", [(i,) for i in ids])
        conn.execute("DELETE FROM journal WHERE updated_at < ?", (cutoff,))
        if ids:
            audit.append(conn, actor, "purge", detail={"deleted": len(ids), "older_than_days": days})
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if data_dir is not None:
        for submission_id in ids:
            for leftover in (data_dir / "outbox").glob(f"{submission_id}*"):
                leftover.unlink(missing_ok=True)
    return len(ids)
