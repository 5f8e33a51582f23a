"""Lock-out after wrong passphrases: per account, plus one ceiling for the whole install against spraying.

Five wrong tries in a row on one account make that account wait (30 s,
doubling, at most an hour); other accounts, and scheduled backups run under
them, go on working. Tries on names that are not accounts, and tries that
give only a passphrase, count towards the install-wide ceiling: after
GLOBAL_FREE wrong tries in a row anywhere, every try waits (30 s, doubling, at
most GLOBAL_MAX_DELAY_S), so guessing one passphrase against many names stays
slow. A success resets its account and the ceiling. Every try made while
locked out is refused without checking the passphrase and is audited.

The counts live in the database, so they survive restarts; someone who can
write the database file can reset them (see the README).
"""

from __future__ import annotations

import datetime as dt

from kiosk.storage.shared_connection import Db
from kiosk.staff import audit
from kiosk.storage.db import atomic

FREE_FAILURES = 5
BASE_DELAY_S = 30
MAX_DELAY_S = 3600
GLOBAL_FREE = 20
GLOBAL_MAX_DELAY_S = 900
SYSTEM = "system"


def _delay(failures: int, free: int, ceiling: int) -> int:
    if failures < free:
        return 0
    return min(ceiling, BASE_DELAY_S * 2 ** min(failures - free, 20))


def _left(until: str | None, now: dt.datetime) -> int:
    if not until:
        return 0
    return max(0, int((dt.datetime.fromisoformat(until) - now).total_seconds() + 0.999))


def global_remaining(conn: Db, now: dt.datetime) -> int:
    row = conn.execute("SELECT locked_until FROM lockout WHERE id = 1").fetchone()
    return _left(row[0] if row else None, now)


def account_remaining(conn: Db, name: str, now: dt.datetime) -> int:
    row = conn.execute("SELECT locked_until FROM account_lockout WHERE name = ?", (name,)).fetchone()
    return _left(row[0] if row else None, now)


def remaining(conn: Db, now: dt.datetime, name: str | None = None) -> int:
    """Seconds before `name` (or anyone, when None) may try again; 0 when a try is allowed now."""
    wait = global_remaining(conn, now)
    return max(wait, account_remaining(conn, name, now)) if name else wait


def refuse_if_locked(conn: Db, known_name: str | None, now: dt.datetime) -> int:
    """The wait for this try (0 if allowed). A try during a lock-out is audited, naming the account only if it is one."""
    wait = remaining(conn, now, known_name)
    if wait:
        scope = "account" if known_name and account_remaining(conn, known_name, now) else "all"
        audit.append(conn, SYSTEM, "unlock_locked_out", known_name or "", {"scope": scope, "wait_s": wait}, at=now)
    return wait


def record_failure(conn: Db, known_name: str | None, now: dt.datetime) -> None:
    """Count one wrong try against the account (if the name was a real one) and against the ceiling; audit it."""
    with atomic(conn):
        row = conn.execute("SELECT failures FROM lockout WHERE id = 1").fetchone()
        total = (row[0] if row else 0) + 1
        wait = _delay(total, GLOBAL_FREE, GLOBAL_MAX_DELAY_S)
        conn.execute("INSERT INTO lockout (id, failures, locked_until) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE "
                     "SET failures = excluded.failures, locked_until = excluded.locked_until",
                     (total, (now + dt.timedelta(seconds=wait)).isoformat() if wait else None))
        detail = {"failures_all": total}
        if known_name:
            row = conn.execute("SELECT failures FROM account_lockout WHERE name = ?", (known_name,)).fetchone()
            failures = (row[0] if row else 0) + 1
            wait = _delay(failures, FREE_FAILURES, MAX_DELAY_S)
            conn.execute("INSERT INTO account_lockout (name, failures, locked_until) VALUES (?, ?, ?) ON CONFLICT (name) "
                         "DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until",
                         (known_name, failures, (now + dt.timedelta(seconds=wait)).isoformat() if wait else None))
            detail["failures"] = failures
        audit.append(conn, SYSTEM, "unlock_failed", known_name or "", detail, at=now)


def record_success(conn: Db, name: str) -> None:
    """Inside the caller's transaction: the account's count and the install-wide count start again."""
    conn.execute("DELETE FROM account_lockout WHERE name = ?", (name,))
    conn.execute("DELETE FROM lockout")


def clear(conn: Db, name: str | None = None) -> None:
    """After recovery or an account change: forget the counts (of one account, or all)."""
    if name is None:
        conn.execute("DELETE FROM account_lockout")
        conn.execute("DELETE FROM lockout")
    else:
        conn.execute("DELETE FROM account_lockout WHERE name = ?", (name,))
