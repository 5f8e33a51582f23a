"""The audit log: who did what and when, the hash-chain check result, and an export to a file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QHBoxLayout, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from kiosk.console.controller import StaffConsole
from ui.console.common import button, label, line

SHOWN = 500
COLUMNS = ("When", "Who", "Action", "Submission / target", "Detail")


class AuditDialog(QDialog):
    def __init__(self, console: StaffConsole, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Audit log")
        self.setObjectName("audit")
        self.console = console
        layout = QVBoxLayout(self)
        check = console.audit_check()
        self.check = label(check, "Audit check")
        self.check.setStyleSheet("" if check == "Audit log intact" else "color: #8B0016; font-weight: bold;")
        layout.addWidget(self.check)
        layout.addWidget(label(f"Newest first; the latest {SHOWN} entries are shown, the export has them all."))
        entries = console.audit_entries(SHOWN)
        self.table = QTableWidget(len(entries), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Audit entries")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for row, entry in enumerate(entries):
            detail = ", ".join(f"{k}={v}" for k, v in entry.detail.items())
            cells = (entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), entry.actor, entry.action, entry.target, detail)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.path = line("Export to file", "Full path of the file to write, e.g. /media/usb/audit.jsonl", max_length=1000)
        bottom.addWidget(self.path, 1)
        self.export_button = button("Export audit log", self.export, bottom)
        self.close_button = button("Close", self.accept, bottom)
        layout.addLayout(bottom)
        self.message = label("", "message")
        layout.addWidget(self.message)
        self.resize(900, 600)

    def export(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.message.setText("Enter the full path of the file to write.")
            return
        try:
            self.message.setText(self.console.export_audit(Path(text).expanduser()))
        except OSError as exc:
            self.message.setText(f"Could not write {text}: {exc}")
