"""Open the database safely and keep its schema current.

WAL with synchronous=FULL so a committed submission survives a power cut;
`BEGIN IMMEDIATE` so a write takes the lock before it reads; migrations step
`PRAGMA user_version` one at a time, each in its own transaction.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.storage.migrations import MIGRATIONS
from kiosk.storage.private_files import tighten

if TYPE_CHECKING:
    from kiosk.storage.shared_connection import Db


class StorageError(Exception):
    """A storage problem explained in words a front-desk person can act on."""


@contextmanager
def atomic(conn: Db) -> Iterator[Db]:
    """One transaction (or a savepoint inside one): all of it commits, or none of it.

    The clinic's shared database (`kiosk.storage.shared_connection.SharedConnection`) brings its own."""
    if not isinstance(conn, sqlite3.Connection):
        with conn.transaction():
            yield conn
        return
    if conn.in_transaction:
        conn.execute("SAVEPOINT atomic")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK TO SAVEPOINT atomic")
            conn.execute("RELEASE SAVEPOINT atomic")
            raise
        conn.execute("RELEASE SAVEPOINT atomic")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def connect(path: Path, guard: Callable[[sqlite3.Connection], None] | None = None) -> sqlite3.Connection:
    """The one writer connection, migrated to the newest schema; `guard` is installed before anything runs."""
    path = Path(path)
    _owner_only(path)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    if guard is not None:
        guard(conn)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA secure_delete=ON")
    migrate(conn)
    for suffix in ("-wal", "-shm"):
        tighten(path.with_name(path.name + suffix))
    return conn


def _owner_only(path: Path) -> None:
    """Create the database file owner-only before SQLite does (its -wal and -shm take the same mode)."""
    if os.name != "posix" or path.is_symlink():
        return
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600))
    except OSError:
        return  # SQLite gives the clear error when it cannot open the file
    tighten(path)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: list[Callable[[sqlite3.Connection], None]] | None = None) -> int:
    """Apply every migration past `user_version`, in order; return the new version."""
    steps = MIGRATIONS if migrations is None else migrations
    current = schema_version(conn)
    if current > len(steps):
        raise StorageError(
            f"The database was written by a newer version of the kiosk (schema {current}); "
            "install that version or restore a backup."
        )
    for number in range(current + 1, len(steps) + 1):
        with atomic(conn):
            steps[number - 1](conn)
            conn.execute(f"PRAGMA user_version = {number}")
    return schema_version(conn)
