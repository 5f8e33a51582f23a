"""The staff console window over FakeStaffData, shown and exposed, with a printer that always succeeds."""

from __future__ import annotations

from typing import Any

from fake_staff import FakeStaffData
from kiosk.console.controller import StaffConsole
from ui.console.window import ConsoleWindow


def open_console(qtbot, data: FakeStaffData, **console_options: Any) -> ConsoleWindow:
    """`console_options` go to StaffConsole (e.g. system_checks)."""
    window = ConsoleWindow(StaffConsole(data.content, data, lambda: "North Clinic", lambda pdf, sid: (True, ""),
                                        **console_options))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window
