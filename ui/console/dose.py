"""Record what was given at a visit: the shot (which side, the kit's lot number) or pills prescribed.

A clinician's action, audited by the core; the next visit's page 1 names the other side and the due date.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QButtonGroup, QDialog, QFormLayout, QHBoxLayout, QRadioButton, QVBoxLayout, QWidget

from kiosk.console.controller import StaffConsole
from kiosk.report.doses import LOT_LIMIT, PILLS, SHOT, SIDES
from ui.console.common import button, console_style, label, line


class DoseDialog(QDialog):
    """`saved(text)` runs after a record is stored, with what staff read back."""

    def __init__(self, console: StaffConsole, submission_id: str, saved: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Shot or pills given")
        self.setObjectName("dose")
        self.setStyleSheet(console_style())
        self.console, self.submission_id, self.saved = console, submission_id, saved
        layout = QVBoxLayout(self)
        layout.addWidget(label(console.dose_text(submission_id), "Recorded now"))
        form = QFormLayout()
        self.kind = self._choices(form, "Given", (("Shot given at this visit", SHOT), ("Pills prescribed", PILLS)))
        self.side = self._choices(form, "Side", tuple((side.capitalize(), side) for side in SIDES))
        self.lot = line("Lot number", "Lot number printed on the kit", max_length=LOT_LIMIT)
        form.addRow(label("Lot number"), self.lot)
        layout.addLayout(form)
        self.message = label("", "message")
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.save_button = button("Save", self.save, buttons)
        self.cancel_button = button("Cancel", self.reject, buttons)
        layout.addLayout(buttons)
        self.kind.buttonToggled.connect(lambda _b, _on: self._shot_fields())
        self._show(console.dose(submission_id))
        self._shot_fields()

    def _show(self, record: object) -> None:
        """A visit already recorded opens with what was recorded, so a correction starts from it."""
        if record is None:
            return
        for group, value in ((self.kind, getattr(record, "kind", "")), (self.side, getattr(record, "side", ""))):
            for radio in group.buttons():
                radio.setChecked(radio.property("value") == value)
        self.lot.setText(str(getattr(record, "lot", "")))

    def _choices(self, form: QFormLayout, title: str, options: tuple[tuple[str, str], ...]) -> QButtonGroup:
        group, row = QButtonGroup(self), QHBoxLayout()
        for text, value in options:
            radio = QRadioButton(text)
            radio.setAccessibleName(text)
            radio.setProperty("value", value)
            group.addButton(radio)
            row.addWidget(radio)
        form.addRow(label(title), row)
        return group

    @staticmethod
    def _value(group: QButtonGroup) -> str:
        chosen = group.checkedButton()
        return str(chosen.property("value")) if chosen is not None else ""

    def _shot_fields(self) -> None:
        """Side and lot belong to a shot; pills carry neither."""
        shot = self._value(self.kind) != PILLS
        for radio in self.side.buttons():
            radio.setEnabled(shot)
        self.lot.setEnabled(shot)

    def save(self) -> None:
        kind = self._value(self.kind)
        if not kind:
            self.message.setText("Given: choose a shot given at this visit, or pills prescribed.")
            return
        try:
            text = self.console.record_dose(self.submission_id, kind, self._value(self.side), self.lot.text())
        except (ValueError, PermissionError) as exc:
            self.message.setText(str(exc))
            return
        self.saved(text)
        self.accept()
