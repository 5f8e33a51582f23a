"""Export submissions for a date range as a FHIR R4 Bundle or CSV, to a file the staff names."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QMessageBox, QVBoxLayout, QWidget

from kiosk.console.controller import StaffConsole
from kiosk.console.forms import date_range
from ui.console.common import ask, button, console_style, label, line

FORMATS = (("FHIR R4 Bundle (JSON)", "fhir"), ("CSV (spreadsheet)", "csv"))


class ExportDialog(QDialog):
    def __init__(self, console: StaffConsole, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export submissions")
        self.setObjectName("export")
        self.setStyleSheet(console_style())
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
        self.path = line("File", "Choose where to save it", max_length=1000)
        self.path.setReadOnly(True)  # chosen in the file dialog, never typed
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        self.choose_button = button("Choose file...", self.choose_file, file_row)
        for text, widget in (("Format", self.format), ("From", self.since), ("To", self.until)):
            form.addRow(label(text), widget)
        form.addRow(label("File"), file_row)
        layout.addLayout(form)
        self.file_dialog: QFileDialog | None = None
        self.confirm: QMessageBox | None = None
        self.message = label("", "message")
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.export_button = button("Export", self.export, buttons)
        self.close_button = button("Close", self.accept, buttons)
        layout.addLayout(buttons)

    def choose_file(self) -> None:
        """A save dialog (Qt's own, so it looks the same on every kiosk); replacing a file is asked at Export."""
        suffix = "json" if self.format.currentData() == "fhir" else "csv"
        current = self.path.text().strip()
        dialog = QFileDialog(self, "Save the export as", current or str(Path.home() / f"intake-export.{suffix}"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOptions(QFileDialog.Option.DontUseNativeDialog | QFileDialog.Option.DontConfirmOverwrite)
        dialog.setDefaultSuffix(suffix)
        dialog.setNameFilter("FHIR JSON (*.json)" if suffix == "json" else "CSV (*.csv)")
        dialog.fileSelected.connect(self.path.setText)
        self.file_dialog = dialog
        dialog.open()

    def export(self) -> None:
        since, until, problems = date_range(self.since.text(), self.until.text())
        if not self.path.text().strip():
            problems.append("File: choose where to save it (Choose file...).")
        if problems:
            self.message.setText("\n".join(problems))
            return
        target = Path(self.path.text().strip()).expanduser()
        if target.exists():
            self.confirm = ask(self, QMessageBox.Icon.Warning, "Replace the file?",
                               f"{target} already exists. Replace it with this export?", "Replace",
                               lambda: self._write(since, until),
                               lambda: self.message.setText("Nothing exported; the file was left as it was."))
            return
        self._write(since, until)

    def _write(self, since, until) -> None:
        try:
            self.message.setText(self.console.export(self.format.currentData(), since, until,
                                                     Path(self.path.text().strip()).expanduser()))
        except (OSError, ImportError, ValueError) as exc:
            self.message.setText(f"Export failed: {exc}")
