"""Is the database safe to write? Checked at start, before anything touches the file.

A damaged database is never "repaired" by writing to it: the kiosk refuses to
write, keeps the file as it is, and tells staff how to start a fresh one.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DatabaseHealth:
    ok: bool
    staff_message: str = ""


def check_database(path: Path) -> DatabaseHealth:
    """`PRAGMA quick_check` on a read-only connection; a missing file is healthy (it will be created)."""
    if not path.exists():
        return DatabaseHealth(True)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.text_factory = lambda raw: raw.decode("utf-8", "replace")  # a damaged page can make quick_check's text garbage
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return DatabaseHealth(False, _damaged(path, str(exc)))
    except UnicodeDecodeError:  # SQLite's own error text quoted bytes from a damaged page
        return DatabaseHealth(False, _damaged(path, "the file's structure is unreadable"))
    problems = [row[0] for row in rows if row[0] != "ok"]
    if problems:
        return DatabaseHealth(False, _damaged(path, "; ".join(problems[:3])))
    return DatabaseHealth(True)


def _damaged(path: Path, detail: str) -> str:
    return (
        f"The database {path} is damaged ({detail}). The kiosk will not write to it and has left it "
        "untouched. To go on: (1) copy the file somewhere safe for recovery; (2) rename it, e.g. to "
        f"{path.name}.damaged; (3) restart the kiosk to start a fresh database, or restore your last "
        "backup into the data folder first. Submissions in the damaged file are not lost while it is kept."
    )


# Statements that change the file; reads and pragmas that only report go through unguarded.
_WRITES = frozenset(getattr(sqlite3, name) for name in dir(sqlite3) if name.startswith(("SQLITE_INSERT", "SQLITE_UPDATE",
                    "SQLITE_DELETE", "SQLITE_CREATE_", "SQLITE_DROP_", "SQLITE_ALTER_TABLE")))


class IntegrityCheck:
    """`quick_check` of a large database in its own thread, so the first screen does not wait for a read of the file.

    Until the check has said "ok", a guarded connection cannot write: a write waits for the verdict and is
    refused (sqlite3.DatabaseError) when the file is damaged. A damaged file is therefore never written to,
    exactly as when the check runs before start-up.

    With `start=False` the read begins at `start()` (the kiosk calls it once its first screen is painted, so
    the check does not compete with the start for the disk and the CPU), or at the first question for the verdict.
    """

    def __init__(self, path: Path, start: bool = True) -> None:
        self.path = path
        self._health: DatabaseHealth | None = None
        self._done = threading.Event()
        self._started = False
        self._starting = threading.Lock()
        if start:
            self.start()

    def start(self) -> None:
        """Begin the check (once; later calls do nothing)."""
        with self._starting:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._run, name="integrity-check", daemon=True).start()

    @property
    def started(self) -> bool:
        return self._started

    def _run(self) -> None:
        try:
            self._health = check_database(self.path)
        except Exception as exc:  # noqa: BLE001 - the check itself failed: treat as unsafe to write, say why
            self._health = DatabaseHealth(False, _damaged(self.path, f"the check could not finish: {exc}"))
        finally:
            self._done.set()

    def result(self, timeout: float | None = None) -> DatabaseHealth | None:
        """The verdict, waiting up to `timeout` seconds (forever when None); None while it is still running.

        Asking starts the check if nothing has yet, so a write or a wait never waits for a check never begun."""
        self.start()
        return self._health if self._done.wait(timeout) else None

    def guard(self, conn: sqlite3.Connection) -> None:
        def authorize(action: int, *_: object) -> int:
            if action not in _WRITES:
                return sqlite3.SQLITE_OK
            health = self.result()
            return sqlite3.SQLITE_OK if health is not None and health.ok else sqlite3.SQLITE_DENY

        conn.set_authorizer(authorize)
