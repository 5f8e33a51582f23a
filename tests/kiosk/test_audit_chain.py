"""The audit log is append-only and an edit made behind the app's back is reported."""

from __future__ import annotations

import sqlite3

import pytest

from conftest import ADMIN
from kiosk.staff import audit


def test_an_intact_log_has_no_problems(installed: sqlite3.Connection) -> None:
    for action in ("view", "print", "review"):
        audit.append(installed, ADMIN, action, "abc123")
    assert audit.problems(installed) == []
    assert [e.action for e in audit.entries(installed)][:3] == ["review", "print", "view"]


def test_sql_cannot_update_or_delete_entries(installed: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        installed.execute("UPDATE audit SET actor = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        installed.execute("DELETE FROM audit")


def test_an_edited_row_is_reported_by_its_number(installed: sqlite3.Connection) -> None:
    for action in ("view", "print", "export"):
        audit.append(installed, ADMIN, action, "abc123")
    installed.execute("DROP TRIGGER audit_no_update")  # what someone with the file and sqlite3 could do
    installed.execute("UPDATE audit SET actor = 'Nobody' WHERE action = 'print'")
    seq = installed.execute("SELECT seq FROM audit WHERE action = 'print'").fetchone()[0]
    assert audit.problems(installed) == [f"entry {seq} was changed after it was written"]


def test_a_deleted_row_breaks_the_chain(installed: sqlite3.Connection) -> None:
    for action in ("view", "print", "export"):
        audit.append(installed, ADMIN, action, "abc123")
    installed.execute("DROP TRIGGER audit_no_delete")
    installed.execute("DELETE FROM audit WHERE action = 'print'")
    found = audit.problems(installed)
    assert any("missing" in p for p in found) and any("does not follow" in p for p in found)
