"""Retention: submissions older than the clinic keeps them are deleted so that they cannot be recovered.

`secure_delete` (set on every connection) overwrites freed pages with zeros,
and a truncating checkpoint empties the WAL, so the deleted rows are gone
from both files, not merely unlinked. Outbox PDFs of purged rows go too.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from kiosk.staff import audit
from kiosk.storage.db import atomic


def purge_older_than(conn: sqlite3.Connection, days: int, actor: str, now: dt.datetime | None = None,
                     data_dir: Path | None = None, limit: int | None = None) -> int:
    """Delete every submission (and abandoned autosave) older than `days`; returns how many were deleted.

    With `limit`, at most that many of the oldest go in this call (the kiosk purges in small batches after
    its first paint, so a start never waits for a scan of every submission).
    """
    moment = now or dt.datetime.now(dt.timezone.utc)
    cutoff = (moment - dt.timedelta(days=days)).astimezone(dt.timezone.utc).isoformat()
    with atomic(conn):
        ids = expired_ids(conn, cutoff, limit)
        conn.executemany("DELETE FROM search_tokens WHERE submission_id = ?", [(i,) for i in ids])
        conn.executemany("DELETE FROM submissions WHERE id = ?", [(i,) for i in ids])
        conn.execute("DELETE FROM journal WHERE updated_at < ?", (cutoff,))
        if ids:
            audit.append(conn, actor, "purge", detail={"deleted": len(ids), "older_than_days": days})
    if ids or limit is None:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if data_dir is not None:
        for submission_id in ids:
            for leftover in (data_dir / "outbox").glob(f"{submission_id}*"):
                leftover.unlink(missing_ok=True)
    return len(ids)


def expired_ids(conn: sqlite3.Connection, cutoff: str, limit: int | None = None) -> list[str]:
    """Ids older than `cutoff`, oldest first, through the time index (never a scan of every row).

    A submission's age is its submitted time, or its start when it was never submitted; the two halves
    each walk `submissions_by_time`, which also holds the rows without a submitted time.
    """
    rows = conn.execute(
        "SELECT id FROM (SELECT id, submitted_at AS at FROM submissions WHERE submitted_at < ? "
        "UNION ALL SELECT id, started_at AS at FROM submissions WHERE submitted_at IS NULL AND started_at < ?) "
        "ORDER BY at LIMIT ?", (cutoff, cutoff, -1 if limit is None else limit))
    return [row[0] for row in rows]
