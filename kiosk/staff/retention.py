"""Retention: submissions older than the clinic keeps them are deleted so that they cannot be recovered.

The repository deletes (zeroed pages, emptied WAL); this adds the audit entry,
in the same transaction, and removes outbox PDFs of the purged rows.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from kiosk.system.clock import utc_now
from kiosk.storage.repository import SubmissionRepository


def purge_older_than(store: SubmissionRepository, audit_log: sqlite3.Connection, days: int, actor: str, now: dt.datetime | None = None,
                     data_dir: Path | None = None, limit: int | None = None, hold_unforwarded: bool = False) -> int:
    """Delete every submission (and abandoned autosave) older than `days`; returns how many were deleted.

    With `limit`, at most that many of the oldest go in this call (the kiosk purges in small batches after
    its first paint, so a start never waits for a scan of every submission). With `hold_unforwarded` (this
    station forwards to a shared database) a row not forwarded yet is kept, however old: the server may be
    down for days, and its copy must not be lost; it goes at the first purge after it was forwarded.
    """
    from kiosk.staff import audit  # here, not at the top: the purge runs after the kiosk's first paint

    cutoff = (now or utc_now()) - dt.timedelta(days=days)

    def record(ids: list[str]) -> None:
        if ids:
            audit.append(audit_log, actor, "purge", detail={"deleted": len(ids), "older_than_days": days})

    ids = store.purge_older_than(cutoff, record, limit, hold_unforwarded)
    if data_dir is not None:
        for submission_id in ids:
            for leftover in (data_dir / "outbox").glob(f"{submission_id}*"):
                leftover.unlink(missing_ok=True)
    return len(ids)
