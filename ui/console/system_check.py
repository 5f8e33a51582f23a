"""The same checks as `naltrexone-kiosk doctor`, shown to an administrator in the console: tick or cross, and the fix."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QHBoxLayout, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from kiosk.console.controller import StaffConsole
from ui.console.common import button, label

CROSSED = "#8B0016"


class SystemCheckDialog(QDialog):
    def __init__(self, console: StaffConsole, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("System check")
        self.setObjectName("system_check")
        self.console = console
        layout = QVBoxLayout(self)
        self.summary = label("", "Summary")
        layout.addWidget(self.summary)
        self.list = QListWidget()
        self.list.setAccessibleName("Checks")
        self.list.setWordWrap(True)
        layout.addWidget(self.list, 1)
        bottom = QHBoxLayout()
        self.again_button = button("Check again", self.refresh, bottom)
        self.close_button = button("Close", self.accept, bottom)
        layout.addLayout(bottom)
        self.resize(900, 600)
        self.refresh()

    def refresh(self) -> None:
        checks = self.console.system_checks()
        self.list.clear()
        for check in checks:
            item = QListWidgetItem(check.line())
            if not check.ok:
                item.setForeground(QColor(CROSSED))
            self.list.addItem(item)
        crossed = sum(not c.ok for c in checks)
        self.summary.setText("All checks passed." if not crossed else
                             f"{crossed} check(s) need fixing (the same as 'naltrexone-kiosk doctor').")
