"""Ordered schema migrations: migration N brings `PRAGMA user_version` from N-1 to N. Never edit a shipped one."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def _1_submissions(conn: sqlite3.Connection) -> None:
    conn.execute(
        """
        CREATE TABLE submissions (
            id              TEXT PRIMARY KEY,
            started_at      TEXT NOT NULL,
            submitted_at    TEXT,
            status          TEXT NOT NULL
                            CHECK (status IN ('in_progress', 'new', 'printed', 'reviewed', 'abandoned')),
            content_version TEXT NOT NULL,
            language        TEXT NOT NULL,
            severity        INTEGER NOT NULL DEFAULT 3,
            payload         BLOB NOT NULL
        ) STRICT
        """
    )
    conn.execute("CREATE INDEX submissions_by_time ON submissions (submitted_at DESC)")
    conn.execute("CREATE INDEX submissions_by_status ON submissions (status, severity)")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_1_submissions]
