"""The console shows administrators the same checks as `doctor`; other roles do not see them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from fake_staff import FakeStaffData
from fake_console import open_console
from kiosk.content import Content
from kiosk.console.doctor import Check

CHECKS = [Check("Database", True, "kiosk.db passes SQLite's integrity check"),
          Check("Print spool", False, "cupsd.conf keeps job files", "Set 'PreserveJobFiles No'")]


def test_an_administrator_sees_each_check_with_its_tick_or_cross_and_fix(qtbot, content: Content) -> None:
    window = open_console(qtbot, FakeStaffData(content, []), system_checks=lambda: list(CHECKS))
    assert window.system_button.isVisibleTo(window)
    qtbot.mouseClick(window.system_button, Qt.MouseButton.LeftButton)
    dialog = window.dialog
    lines = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert lines[0].startswith("\N{CHECK MARK} Database")
    assert lines[1].startswith("\N{BALLOT X} Print spool") and "Fix: Set 'PreserveJobFiles No'" in lines[1]
    assert "1 check(s) need fixing" in dialog.summary.text()


def test_front_desk_has_no_system_check(qtbot, content: Content) -> None:
    window = open_console(qtbot, FakeStaffData(content, [], actor="Lee", is_admin=False), system_checks=lambda: list(CHECKS))
    assert not window.system_button.isVisibleTo(window)
    with pytest.raises(PermissionError):
        window.console.system_checks()
