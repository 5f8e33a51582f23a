"""The audit chain's anchor: a keyed seal on each entry and on the head (how many entries, the last hash).

The SHA-256 chain alone shows an edit, but not a log cut short at its end or
rewritten from some entry on with fresh hashes. So whoever holds the master
secret (an unlocked staff member, never the patient-facing kiosk) seals the
log: an HMAC over each entry's number and hash, and a sealed head holding the
count and the last hash, under a key derived from the master secret.

Entries the kiosk writes while nobody is unlocked (start-up purge, failed
unlocks) are chained at once and sealed at the next staff unlock or lock.
Each seal first checks the head against the log; what it finds is written
into the log itself as an `audit_check_failed` entry (sealed too), so a
finding cannot be lost by sealing over it, and the console's check keeps
showing it.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from kiosk.storage.shared_connection import Db
from kiosk.staff import audit
from kiosk.storage.db import atomic

FINDING = "audit_check_failed"
SYSTEM = "system"


def _mac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("ascii"), hashlib.sha256).digest()


def _entry_mac(key: bytes, seq: int, digest: str) -> bytes:
    return _mac(key, f"entry:{seq}:{digest}")


def _head_mac(key: bytes, count: int, last_hash: str) -> bytes:
    return _mac(key, f"head:{count}:{last_hash}")


def head_problems(conn: Db, key: bytes) -> list[str]:
    """The check made at every unlock: is the log still as long, and does it end where it was sealed?"""
    head = conn.execute("SELECT count, last_hash, mac FROM audit_head WHERE id = 1").fetchone()
    if head is None:
        if conn.execute("SELECT 1 FROM audit LIMIT 1").fetchone() is None:
            return []
        return ["the audit log has no sealed head (it was removed, or this install predates sealing); "
                "earlier entries can be checked only by their chain"]
    count, last_hash, mac = head
    if not hmac.compare_digest(bytes(mac), _head_mac(key, count, last_hash)):
        return ["the sealed head of the audit log does not match this install's key: it was replaced"]
    found: list[str] = []
    row = conn.execute("SELECT hash FROM audit WHERE seq = ?", (count,)).fetchone()
    last = conn.execute("SELECT coalesce(max(seq), 0) FROM audit").fetchone()[0]
    if row is None and last < count:
        found.append(f"the log was sealed at entry {count} but now ends at entry {last}: entries were cut from its end")
    elif row is None or row[0] != last_hash:
        found.append(f"the log was rewritten up to entry {count} after it was sealed")
    kept = conn.execute("SELECT count(*) FROM audit WHERE seq <= ?", (count,)).fetchone()[0]
    if kept != count and not (row is None and last < count):
        found.append(f"{count - kept} sealed entries are missing")
    return found


def seal(conn: Db, key: bytes, check: bool = True, from_start: bool = False) -> list[str]:
    """Check the head (recording any finding in the log), then seal every entry since; returns the findings.

    `from_start` seals every entry again (a new key epoch brings a new audit key)."""
    with atomic(conn):
        found = head_problems(conn, key) if check else []
        if found:
            audit.append(conn, SYSTEM, FINDING, "", {"problems": found})
        head = conn.execute("SELECT count FROM audit_head WHERE id = 1").fetchone()
        since = head[0] if head and not found and not from_start else 0
        rows = conn.execute("SELECT seq, hash FROM audit WHERE seq > ? ORDER BY seq", (since,)).fetchall()
        conn.executemany("INSERT INTO audit_macs (seq, mac) VALUES (?, ?) ON CONFLICT (seq) DO UPDATE SET mac = excluded.mac",
                         [(seq, _entry_mac(key, seq, digest)) for seq, digest in rows])
        if rows:
            count, last_hash = rows[-1]
            conn.execute("INSERT INTO audit_head (id, count, last_hash, mac) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE "
                         "SET count = excluded.count, last_hash = excluded.last_hash, mac = excluded.mac",
                         (count, last_hash, _head_mac(key, count, last_hash)))
    return found


def problems(conn: Db, key: bytes) -> list[str]:
    """Everything the seals say: the head, each sealed entry's seal, and every finding recorded earlier."""
    found = head_problems(conn, key)
    head = conn.execute("SELECT count FROM audit_head WHERE id = 1").fetchone()
    sealed_to = head[0] if head else 0
    for seq, digest, mac in conn.execute(
            "SELECT a.seq, a.hash, m.mac FROM audit a LEFT JOIN audit_macs m ON m.seq = a.seq ORDER BY a.seq"):
        if mac is None:
            if seq <= sealed_to:
                found.append(f"entry {seq} lost its seal")
        elif not hmac.compare_digest(bytes(mac), _entry_mac(key, seq, digest)):
            found.append(f"entry {seq} does not carry the seal it was given (rewritten after it was sealed)")
    for entry in conn.execute("SELECT seq, at, detail FROM audit WHERE action = ? ORDER BY seq", (FINDING,)):
        found.append(f"entry {entry[0]} records a check at {entry[1][:16]} that found: {'; '.join(_listed(entry[2]))}")
    return found


def _listed(detail: str) -> list[str]:
    try:
        return [str(p) for p in json.loads(detail).get("problems", [])]
    except (ValueError, AttributeError):
        return ["(unreadable detail)"]
