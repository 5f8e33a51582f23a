"""Is the database safe to write? Checked at start, before anything touches the file.

A damaged database is never "repaired" by writing to it: the kiosk refuses to
write, keeps the file as it is, and tells staff how to start a fresh one.
"""

from __future__ import annotations

import sqlite3
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
