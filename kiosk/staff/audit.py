"""The audit log: who did what, when; append-only and chained by hash so an edit shows.

Every entry's hash covers its fields and the previous entry's hash, so changing,
deleting or reordering a row behind the app's back breaks the chain at that
row, and `problems()` says where. Triggers refuse UPDATE and DELETE from SQL.
Entries name staff, actions and submission ids, never patient data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from kiosk.staff.records import AuditEntry
from kiosk.system.clock import utc_now
from kiosk.storage.db import atomic
from kiosk.storage.shared_connection import Db, SharedConnection

GENESIS = "0" * 64
CHAIN_LOCK = 0x6175646974  # "audit": the shared database's advisory lock for appending


def _digest(prev: str, at: str, actor: str, action: str, target: str, detail: str) -> str:
    body = json.dumps([prev, at, actor, action, target, detail], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append(conn: Db, actor: str, action: str, target: str = "",
           detail: dict[str, Any] | None = None, at: dt.datetime | None = None) -> None:
    """Add one entry, chained to the last, inside the caller's transaction if there is one."""
    moment = (at or utc_now()).astimezone(dt.timezone.utc).isoformat()
    text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)
    with atomic(conn):
        if isinstance(conn, SharedConnection):
            conn.serialize(CHAIN_LOCK)  # stations append one at a time, each to the entry before it
        row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
        conn.execute(
            "INSERT INTO audit (seq, at, actor, action, target, detail, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, moment, actor, action, target, text, prev, _digest(prev, moment, actor, action, target, text)),
        )


def entries(conn: Db, offset: int = 0, limit: int = 500) -> list[AuditEntry]:
    """Newest first."""
    rows = conn.execute(
        "SELECT seq, at, actor, action, target, detail FROM audit ORDER BY seq DESC LIMIT ? OFFSET ?", (limit, offset)
    ).fetchall()
    return [AuditEntry(r[0], dt.datetime.fromisoformat(r[1]), r[2], r[3], r[4], json.loads(r[5])) for r in rows]


def problems(conn: Db) -> list[str]:
    """Walk the chain from the first entry; every break is reported with its sequence number."""
    found: list[str] = []
    prev = GENESIS
    expected_seq = 1
    for seq, at, actor, action, target, detail, stored_prev, stored_hash in conn.execute(
        "SELECT seq, at, actor, action, target, detail, prev, hash FROM audit ORDER BY seq"
    ):
        if seq != expected_seq:
            found.append(f"entries {expected_seq} to {seq - 1} are missing")
        if stored_prev != prev:
            found.append(f"entry {seq} does not follow the entry before it")
        if _digest(stored_prev, at, actor, action, target, detail) != stored_hash:
            found.append(f"entry {seq} was changed after it was written")
        prev = stored_hash
        expected_seq = seq + 1
    return found
