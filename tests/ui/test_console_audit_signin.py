"""The console tells the administrator at sign-in what the audit-log check found."""

from __future__ import annotations

import sqlite3

from conftest import ADMIN, ADMIN_PASSPHRASE
from kiosk.console.controller import StaffConsole
from kiosk.staff import vault
from kiosk.staff.data import SealedStaffData
from ui.console.window import ConsoleWindow


def test_the_console_says_at_sign_in_what_the_check_found(installed: sqlite3.Connection, content, qtbot) -> None:
    first = SealedStaffData(installed, vault.unlock(installed, ADMIN, ADMIN_PASSPHRASE), content)
    first.record("view", "abc123")
    first.lock()
    installed.execute("DROP TRIGGER audit_no_delete")
    installed.execute("DELETE FROM audit WHERE seq > (SELECT max(seq) - 2 FROM audit)")
    data = SealedStaffData(installed, vault.unlock(installed, ADMIN, ADMIN_PASSPHRASE), content)
    window = ConsoleWindow(StaffConsole(content, data, lambda: "Clinic", lambda p, s: (True, "")))
    qtbot.addWidget(window)
    assert "cut from its end" in window.status.text()
    window.lock()
