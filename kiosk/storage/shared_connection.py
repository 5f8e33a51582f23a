"""`SharedConnection`: the clinic's PostgreSQL database as the staff modules read and write it.

Accounts, wrapped keys, key epochs, lock-out, the audit chain and settings are
the same tables on both backends (the numbered migrations), and the staff
modules (kiosk/staff/) write them with the few sqlite3 calls they need:
`execute`, `executemany`, rows read by position, times as ISO text, and
`kiosk.storage.db.atomic` for a transaction. This wrapper gives a psycopg
connection exactly those calls, so one copy of each rule (unlock, lock-out,
chaining an audit entry, rotating keys) serves one machine and a whole clinic.
Times come back as ISO text in UTC, as SQLite stores them, so an audit entry's
hash reads the same on either backend.

psycopg is imported only when a postgresql:// URL is configured.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    from kiosk.storage.codecs import PayloadCodec
    from kiosk.storage.repository import SubmissionRepository

DIALECT = "postgresql"


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat()
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _sql(statement: str) -> str:
    """sqlite3's `?` placeholders as psycopg's `%s` (a literal `%` doubled)."""
    return statement.replace("%", "%%").replace("?", "%s")


class SharedCursor:
    """The rows of one statement, read like sqlite3's: by position, times as ISO text, blobs as bytes."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor
        self.rowcount: int = cursor.rowcount

    def _rows(self) -> Iterator[tuple[Any, ...]]:
        if self._cursor.description is None:
            return
        for row in self._cursor:
            yield tuple(_value(v) for v in row)

    def fetchone(self) -> Any:
        return next(self._rows(), None)

    def fetchall(self) -> list[Any]:
        return list(self._rows())

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return self._rows()


class SharedConnection:
    """A psycopg connection (autocommit; `transaction()` groups writes) with the sqlite3 calls of kiosk/staff/."""

    dialect = DIALECT

    def __init__(self, raw: Any, url: str = "") -> None:
        self.raw = raw
        self.url = url

    def execute(self, statement: str, params: Sequence[Any] = ()) -> SharedCursor:
        return SharedCursor(self.raw.execute(_sql(statement), tuple(params)))

    def executemany(self, statement: str, rows: Iterable[Sequence[Any]]) -> SharedCursor:
        cursor = self.raw.cursor()
        cursor.executemany(_sql(statement), [tuple(r) for r in rows])
        return SharedCursor(cursor)

    def transaction(self) -> Any:
        """One transaction, or a savepoint inside one."""
        return self.raw.transaction()

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return bool(self.raw.info.transaction_status != TransactionStatus.IDLE)

    def serialize(self, lock: int) -> None:
        """Inside a transaction: wait for every other station's transaction holding `lock` (the audit chain has one
        end, so two stations must not both append to the same last entry)."""
        self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (lock,))

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> SharedConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Where the staff modules keep their tables: this machine's SQLite file, or the clinic's shared database.
Db = Union[sqlite3.Connection, SharedConnection]


def is_shared(conn: Any) -> bool:
    return getattr(conn, "dialect", None) == DIALECT


def open_shared(url: str, connect_timeout: int = 5) -> SharedConnection:
    """The clinic's database, migrated to this version's schema; raises psycopg.Error or RuntimeError."""
    from kiosk.storage.postgres_submissions import connect_postgres

    return SharedConnection(connect_postgres(url, connect_timeout=connect_timeout), url)


def submission_store(conn: Db, codec: PayloadCodec | None = None) -> SubmissionRepository:
    """The submissions repository over `conn`, whichever backend it is."""
    if isinstance(conn, SharedConnection):
        from kiosk.storage.postgres_submissions import PostgresSubmissionStore

        return PostgresSubmissionStore(conn.raw, codec)
    from kiosk.storage.sqlite_submissions import SubmissionStore

    return SubmissionStore(conn, codec)
