"""The core services a process needs, opened in one place: content, data folder, database, store.

The kiosk window, the staff console and the subcommands all open the data
directory through `open_kiosk_services`, so the checks (writable folder,
healthy database, current schema) and the sealing of payloads are the same
everywhere.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kiosk.content import Content, load_content
from kiosk.datadir import prepare_data_dir
from kiosk.health import check_database
from kiosk.paths import content_dir
from kiosk.storage.db import StorageError, connect
from kiosk.storage.submissions import SubmissionStore

DB_NAME = "kiosk.db"


@dataclass
class KioskServices:
    content: Content
    data_dir: Path
    conn: sqlite3.Connection
    store: SubmissionStore

    @property
    def report_dir(self) -> Path:
        return self.data_dir / "reports"

    def close(self) -> None:
        self.conn.close()


def open_database(data_dir: Path) -> sqlite3.Connection:
    """The one writer connection, after `quick_check` says the file is safe to write."""
    health = check_database(data_dir / DB_NAME)
    if not health.ok:
        raise StorageError(health.staff_message)
    try:
        return connect(data_dir / DB_NAME)
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"The database in {data_dir} cannot be opened ({exc}).") from exc


def open_kiosk_services(data_dir: Path | None, content_folder: Path | None = None) -> KioskServices:
    """Content, data folder and store for one process; raises DataDirError, StorageError or ContentInvalid with a plain message."""
    content = load_content(content_folder or content_dir())
    folder = prepare_data_dir(data_dir)
    conn = open_database(folder)
    return KioskServices(content=content, data_dir=folder, conn=conn, store=SubmissionStore(conn))
