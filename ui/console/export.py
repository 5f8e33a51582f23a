"""Export submissions for a date range as a FHIR R4 Bundle or CSV, to a file the staff names."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.console import StaffConsole
from kiosk.console_forms import date_range
from ui.console.common import button, label, line

FORMATS = (("FHIR R4 Bundle (JSON)", "fhir"), ("CSV (spreadsheet)", "csv"))


class ExportDialog(QDialog):
    def __init__(self, console: StaffConsole, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export submissions")
        self.setObjectName("export")
        self.console = console
        layout = QVBoxLayout(self)
        layout.addWidget(label("The exported file holds patient data in readable form: save it only to an "
                               "encrypted or clinic-controlled place, and delete it when it has been imported."))
        form = QFormLayout()
        self.format = QComboBox()
        self.format.setAccessibleName("Format")
        for text, code in FORMATS:
            self.format.addItem(text, code)
        self.since = line("From", "YYYY-MM-DD (empty: from the first)", max_length=10)
        self.until = line("To", "YYYY-MM-DD (empty: up to today)", max_length=10)
        self.path = line("File", "Full path of the file to write, e.g. /media/usb/intake.json", max_length=1000)
        for text, widget in (("Format", self.format), ("From", self.since), ("To", self.until), ("File", self.path)):
            form.addRow(label(text), widget)
        layout.addLayout(form)
        self.message = label("", "message")
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.export_button = button("Export", self.export, buttons)
        self.close_button = button("Close", self.accept, buttons)
        layout.addLayout(buttons)

    def export(self) -> None:
        since, until, problems = date_range(self.since.text(), self.until.text())
        if not self.path.text().strip():
            problems.append("File: enter the full path of the file to write.")
        if problems:
            self.message.setText("\n".join(problems))
            return
        try:
            self.message.setText(self.console.export(self.format.currentData(), since, until,
                                                     Path(self.path.text().strip()).expanduser()))
        except (OSError, ImportError, ValueError) as exc:
            self.message.setText(f"Export failed: {exc}")
