"""The queue's first screen, read while a signing-in passphrase's key is derived.

Sign-in is the KDF (scrypt, about half a second on purpose) and then the
console's first count and page. The count and the page's rows need no key
(their headers stay sealed until the console opens them), so they are read on
the signing-in thread while scrypt runs on another. The console takes them
once, for its first count and page, and only when they are still exact: no
other connection has committed since (SQLite's data_version), this connection
has changed nothing since sign-in ended, and nothing was waiting to be indexed.
Otherwise it asks the database as always.
"""

from __future__ import annotations

import sqlite3

from kiosk.storage.repository import QueueEntry, QueueFilter
from kiosk.storage.shared_connection import Db, submission_store

UNFILTERED = QueueFilter()


def _data_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


class FirstPage:
    """`fetch` during the KDF; `count()` and `page()` hand the result over once each (None: ask the database)."""

    def __init__(self, conn: Db, limit: int = 200) -> None:
        self.conn = conn
        self.limit = limit
        self._count: int | None = None
        self._entries: list[QueueEntry] | None = None
        self._version = -1
        self._changes = -1

    def fetch(self) -> None:
        if not isinstance(self.conn, sqlite3.Connection):
            return  # a shared PostgreSQL database has no data_version to tell that the page is still exact
        try:
            store = submission_store(self.conn)
            if store.unindexed(1):
                return  # the first count indexes them, which gives the rows their headers: ask after that
            self._version = _data_version(self.conn)
            self._count = store.queue_count(UNFILTERED)
            self._entries = store.queue(UNFILTERED, 0, self.limit)
        except sqlite3.Error:
            self.forget()  # the console's own query will meet the same problem and report it

    def signed_in(self) -> None:
        """The unlock's own writes (audit, lockout) are done: from here, any change by this connection voids the page."""
        if isinstance(self.conn, sqlite3.Connection):
            self._changes = self.conn.total_changes

    def forget(self) -> None:
        self._count, self._entries = None, None

    def _exact(self) -> bool:
        if not isinstance(self.conn, sqlite3.Connection):
            return False
        exact = self.conn.total_changes == self._changes and _data_version(self.conn) == self._version
        if not exact:
            self.forget()
        return exact

    def count(self, where: QueueFilter) -> int | None:
        if self._count is None or where != UNFILTERED or not self._exact():
            return None
        found, self._count = self._count, None
        return found

    def page(self, where: QueueFilter, offset: int, limit: int) -> list[QueueEntry] | None:
        if self._entries is None or where != UNFILTERED or offset != 0 or limit > self.limit or not self._exact():
            return None
        found, self._entries = self._entries[:limit], None
        return found
