"""Clinic settings, admins only: every change goes through StaffData.update_settings, which audits it."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QSpinBox, QVBoxLayout, QWidget

from kiosk.console import StaffConsole
from kiosk.console_forms import settings_changes
from kiosk.settings import Settings
from ui.console.common import button, label, line

# (setting, label, kind, limits): the form is built from this, skipping settings this version does not have.
FIELDS: tuple[tuple[str, str, str, tuple[int, int]], ...] = (
    ("clinic_name", "Clinic name", "text", (0, 120)),
    ("clinic_logo", "Clinic logo (image file path)", "text", (0, 1000)),
    ("idle_timeout_s", "Patient idle timeout (seconds)", "int", (30, 3600)),
    ("idle_warning_s", "Idle warning shown for (seconds)", "int", (5, 600)),
    ("console_idle_timeout_s", "Console locks after (seconds idle)", "int", (30, 3600)),
    ("printer", "Printer (CUPS queue; empty: system default)", "text", (0, 200)),
    ("auto_print", "Print each submission automatically", "bool", (0, 0)),
    ("languages", "Languages offered", "languages", (0, 0)),
    ("retention_days", "Keep submissions for (days)", "int", (1, 36500)),
    ("staff_alert", "Staff alert for urgent flags and help", "alert", (0, 0)),
    ("keep_abandoned", "Keep abandoned sessions for staff", "bool", (0, 0)),
    ("touch_only", "Touch-only device (on-screen keyboard)", "bool", (0, 0)),
)
ALERTS = (("Sound", "sound"), ("None", "none"))


class SettingsDialog(QDialog):
    def __init__(self, console: StaffConsole, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settings")
        self.console = console
        self.current: Settings = console.data.settings()
        known = {f.name for f in fields(Settings)}
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.widgets: dict[str, Any] = {}
        for key, text, kind, limits in FIELDS:
            if key in known:
                widget = self._widget(key, text, kind, limits, getattr(self.current, key))
                self.widgets[key] = widget
                form.addRow(label(text), widget)
        layout.addLayout(form)
        layout.addWidget(label("Every change is written to the audit log. Printing, the PDF and abandoned sessions use "
                               "it at once; the patient screens (clinic name, languages, timeouts, alert, touch-only) "
                               "pick it up when the kiosk next starts."))
        self.message = label("", "message")
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.save_button = button("Save", self.save, buttons)
        self.close_button = button("Close", self.reject, buttons)
        layout.addLayout(buttons)

    def _widget(self, key: str, text: str, kind: str, limits: tuple[int, int], value: Any) -> QWidget:
        if kind == "text":
            widget = line(text, max_length=limits[1])
            widget.setText(str(value))
        elif kind == "int":
            widget = QSpinBox()
            widget.setRange(*limits)
            widget.setValue(int(value))
        elif kind == "bool":
            widget = QCheckBox()
            widget.setChecked(bool(value))
        elif kind == "alert":
            widget = QComboBox()
            for name, code in ALERTS:
                widget.addItem(name, code)
            widget.setCurrentIndex(max(0, widget.findData(value)))
        else:
            widget = QWidget()
            row = QHBoxLayout(widget)
            row.setContentsMargins(0, 0, 0, 0)
            widget.boxes = {}
            names = self.console.content.manifest.language_names
            for code in self.console.content.languages:
                box = QCheckBox(names.get(code, code))
                box.setAccessibleName(f"Offer {names.get(code, code)}")
                box.setChecked(code in value)
                widget.boxes[code] = box
                row.addWidget(box)
        widget.setAccessibleName(text)
        return widget

    def form(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, widget in self.widgets.items():
            if isinstance(widget, QSpinBox):
                values[key] = widget.value()
            elif isinstance(widget, QCheckBox):
                values[key] = widget.isChecked()
            elif isinstance(widget, QComboBox):
                values[key] = widget.currentData()
            elif hasattr(widget, "boxes"):
                values[key] = [code for code, box in widget.boxes.items() if box.isChecked()]
            else:
                values[key] = widget.text()
        return values

    def save(self) -> None:
        changes, problems = settings_changes(self.current, self.form())
        if problems:
            self.message.setText("\n".join(problems))
            return
        if not changes:
            self.message.setText("Nothing changed.")
            return
        try:
            self.current = self.console.data.update_settings(**changes)
        except Exception as exc:  # noqa: BLE001 - the core says why (permission, validation); shown, not raised
            self.message.setText(f"Not saved: {exc}")
            return
        self.message.setText("Saved: " + ", ".join(sorted(changes)))
