"""The audit chain is anchored: a log cut short or re-chained behind the app's back is found at the next unlock."""

from __future__ import annotations

import sqlite3

from conftest import ADMIN, ADMIN_PASSPHRASE
from kiosk.console.controller import StaffConsole
from kiosk.staff import audit, audit_seal, vault
from kiosk.staff.data import SealedStaffData


def session(conn: sqlite3.Connection, content, actions=("view", "print", "export")) -> None:
    """One staff session as the console makes it: unlock, some actions, lock (which seals)."""
    staff = SealedStaffData(conn, vault.unlock(conn, ADMIN, ADMIN_PASSPHRASE), content)
    for action in actions:
        staff.record(action, "abc123")
    staff.lock()


def check_text(conn: sqlite3.Connection, content) -> tuple[str, tuple[str, ...]]:
    unlocked = vault.unlock(conn, ADMIN, ADMIN_PASSPHRASE)
    console = StaffConsole(content, SealedStaffData(conn, unlocked, content), lambda: "Clinic", lambda p, s: (True, ""))
    return console.audit_check(), unlocked.audit_findings


def test_an_untouched_log_stays_intact_across_sessions(installed: sqlite3.Connection, content) -> None:
    for _ in range(3):
        session(installed, content)
    text, findings = check_text(installed, content)
    assert text == "Audit log intact" and findings == ()


def test_deleting_the_tail_is_found_at_the_next_unlock(installed: sqlite3.Connection, content) -> None:
    session(installed, content)
    installed.execute("DROP TRIGGER audit_no_delete")  # what someone with the file and sqlite3 could do
    last = installed.execute("SELECT max(seq) FROM audit").fetchone()[0]
    installed.execute("DELETE FROM audit WHERE seq > ?", (last - 3,))
    assert audit.problems(installed) == [], "the bare hash chain cannot see a cut at its end"
    text, findings = check_text(installed, content)
    assert any("cut from its end" in f for f in findings)
    assert text.startswith("Audit log problems:") and "cut from its end" in text
    # the finding is written into the log and sealed: later sessions still show it
    session(installed, content)
    assert "cut from its end" in check_text(installed, content)[0]


def test_rewriting_and_re_chaining_the_log_is_found(installed: sqlite3.Connection, content) -> None:
    session(installed, content)
    installed.execute("DROP TRIGGER audit_no_update")
    installed.execute("DROP TRIGGER audit_no_delete")
    rows = installed.execute("SELECT seq, at, actor, action, target, detail FROM audit ORDER BY seq").fetchall()
    installed.execute("DELETE FROM audit")
    prev = audit.GENESIS
    for seq, at, actor, action, target, detail in rows:
        if action == "export":
            action = "view"  # hide the export, then recompute every hash so the chain itself looks whole
        digest = audit._digest(prev, at, actor, action, target, detail)
        installed.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          (seq, at, actor, action, target, detail, prev, digest))
        prev = digest
    assert audit.problems(installed) == []
    text, findings = check_text(installed, content)
    assert any("rewritten up to entry" in f for f in findings)
    assert "does not carry the seal" in text or "rewritten" in text


def test_a_removed_or_replaced_head_is_reported(installed: sqlite3.Connection, content) -> None:
    session(installed, content)
    installed.execute("UPDATE audit_head SET count = count - 2")
    assert any("replaced" in f for f in check_text(installed, content)[1])
    installed.execute("DELETE FROM audit_head")
    assert any("no sealed head" in f for f in check_text(installed, content)[1])


def test_entries_the_kiosk_writes_without_a_key_are_sealed_at_the_next_unlock(installed: sqlite3.Connection,
                                                                                content) -> None:
    audit.append(installed, "system", "purge", detail={"deleted": 2})  # the patient-facing kiosk holds no key
    seq = installed.execute("SELECT max(seq) FROM audit").fetchone()[0]
    assert installed.execute("SELECT 1 FROM audit_macs WHERE seq = ?", (seq,)).fetchone() is None
    unlocked = vault.unlock(installed, ADMIN, ADMIN_PASSPHRASE)
    assert unlocked.audit_findings == ()
    assert installed.execute("SELECT 1 FROM audit_macs WHERE seq = ?", (seq,)).fetchone() is not None
    assert audit_seal.problems(installed, unlocked.keys.audit_key) == []

