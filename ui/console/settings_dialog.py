"""Clinic settings, admins only: every change goes through StaffData.update_settings, which audits it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kiosk.console.controller import StaffConsole
from kiosk.console.forms import settings_changes
from kiosk.settings import NEXT_PATIENT, RESTART, SPECS, SettingSpec, Settings, applying
from ui.console.common import button, label, line

class SettingsDialog(QDialog):
    def __init__(self, console: StaffConsole, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settings")
        self.console = console
        self.current: Settings = console.settings()
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.widgets: dict[str, Any] = {}
        for spec in SPECS:
            if spec.in_console:
                widget = self._widget(spec, getattr(self.current, spec.name))
                widget.setAccessibleName(spec.label)
                widget.setToolTip(spec.help)
                self.widgets[spec.name] = widget
                name = label(spec.label)
                name.setWordWrap(False)  # a wrapped label beside a one-line box is cut to the box's height
                form.addRow(name, widget)
        # The form scrolls rather than squeezing its rows: large text on a short screen never cuts a label off.
        holder = QWidget()
        holder.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        layout.addWidget(scroll, 1)
        layout.addWidget(label(when_changes_apply()))
        self.message = label("", "message")
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.save_button = button("Save", self.save, buttons)
        self.close_button = button("Close", self.reject, buttons)
        layout.addLayout(buttons)

    def _widget(self, spec: SettingSpec, value: Any) -> QWidget:
        widget: QWidget
        if spec.name == "printer":
            return self._printer_widget(str(value))
        if spec.kind == "text":
            widget = line(spec.label, max_length=spec.max_length)
            widget.setText(str(value))
        elif spec.kind == "int":
            widget = QSpinBox()
            widget.setRange(spec.minimum or 0, spec.maximum or 2**31 - 1)
            widget.setValue(int(value))
        elif spec.kind == "bool":
            widget = QCheckBox()
            widget.setChecked(bool(value))
        elif spec.kind == "choice":
            widget = QComboBox()
            for code, name in spec.choices:
                widget.addItem(name, code)
            widget.setCurrentIndex(max(0, widget.findData(value)))
        else:  # a list: the languages the content has, each a box
            widget = QWidget()
            row = QHBoxLayout(widget)
            row.setContentsMargins(0, 0, 0, 0)
            widget.boxes = {}  # type: ignore[attr-defined]
            names = self.console.content.manifest.language_names
            for code in self.console.content.languages:
                box = QCheckBox(names.get(code, code))
                box.setAccessibleName(f"Offer {names.get(code, code)}")
                box.setChecked(code in value)
                widget.boxes[code] = box  # type: ignore[attr-defined]
                row.addWidget(box)
        return widget

    def _printer_widget(self, current: str) -> QWidget:
        """The printers CUPS has (never a typed name), and a test page to check the one chosen."""
        from kiosk.printing.cups import cups_printers

        widget = QWidget()
        row = QHBoxLayout(widget)
        row.setContentsMargins(0, 0, 0, 0)
        self.printer_box = QComboBox()
        self.printer_box.setAccessibleName("Printer")
        self.printer_box.addItem("System default printer", "")
        found = cups_printers()
        for name in found:
            self.printer_box.addItem(name, name)
        if current and current not in found:
            self.printer_box.addItem(f"{current} (not found in CUPS)", current)
        self.printer_box.setCurrentIndex(max(0, self.printer_box.findData(current)))
        row.addWidget(self.printer_box, 1)
        self.test_button = button("Print test page", self.print_test_page, row)
        return widget

    def print_test_page(self) -> None:
        from kiosk.printing.cups import CupsPrinter, test_page

        printer = CupsPrinter(self.printer_box.currentData() or "")
        ok, message = printer.print_pdf(test_page(printer.label), "Kiosk test page")
        self.message.setText(message if ok else f"Test page not printed: {message}")

    def form(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, widget in self.widgets.items():
            if key == "printer":
                values[key] = self.printer_box.currentData() or ""
            elif isinstance(widget, QSpinBox):
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
            self.current = self.console.update_settings(**changes)
        except Exception as exc:  # noqa: BLE001 - the core says why (permission, validation); shown, not raised
            self.message.setText(f"Not saved: {exc}")
            return
        self.message.setText("Saved: " + ", ".join(sorted(changes)))


def when_changes_apply() -> str:
    """The note under the form, from each setting's declared `applies`."""
    def names(specs: tuple[SettingSpec, ...]) -> str:
        return ", ".join(f"'{spec.label.split(' (')[0]}'" for spec in specs if spec.in_console)

    return (f"Every change is written to the audit log and most apply at once. The patient screens take "
            f"{names(applying(NEXT_PATIENT))} when you lock the console; {names(applying(RESTART))} "
            f"when the kiosk next starts.")
